"""The login dialog: server, user, password, remember me; offline unlock when the server
cannot be reached. The network call runs off the UI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from sync import credentials
from sync.client import Client, LoginFailed
from sync.engine import Listener
from ui.tasks import run_in_background


class LoginDialog(QDialog):
    def __init__(self, data_dir: Path, listener: Listener, parent=None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.listener = listener
        self.client: Client | None = None
        self.offline = False
        self.setWindowTitle(self.tr("一窗协同 — 登录"))
        self.setMinimumWidth(420)
        profile = credentials.load_profile(data_dir)
        self.server = QLineEdit(profile.server if profile else "http://127.0.0.1:8765")
        self.username = QLineEdit(profile.username if profile else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("记住登录（凭据保存在系统密钥环）"))
        self.remember.setChecked(True)
        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("服务器地址"), self.server)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password if profile else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        server, user, password = (self.server.text().strip(), self.username.text().strip(),
                                  self.password.text())
        if not (server and user and password):
            self.message.setText(self.tr("请填写服务器地址、用户名和密码"))
            return
        self.buttons.setEnabled(False)
        self.message.setProperty("role", "hint")
        self.message.setText(self.tr("正在登录…"))
        run_in_background(lambda: self._login(server, user, password), self._done, self._failed)

    def _login(self, server: str, user: str, password: str) -> Client:
        try:
            return Client.login(self.data_dir, server, user, password, listener=self.listener)
        except LoginFailed as failure:
            if not failure.offline:
                raise
            self.offline = True  # the server is unreachable: the last user may still work
            return Client.unlock_offline(self.data_dir, user, password,
                                         listener=self.listener)

    def _done(self, client: Client) -> None:
        self.client = client
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setProperty("role", "error")
        self.message.setText(str(error))
        self.password.selectAll()
        self.password.setFocus()
