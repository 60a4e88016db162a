"""Starting the desktop client: Qt, style, translations, login (or the demo's two
counters), the main window, and a clean stop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.heap import keep_what_is_built
from app.paths import resources_dir
from app.secrets import KeyringUnavailable
from app.store import StoreError
from sync import credentials
from sync.client import Client
from sync.qt import SyncAdapter
from ui.context import UiContext
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.notify import make_notifier
from ui.style import apply_style
from ui.tasks import finish_background_work

LANGUAGES = ("zh_CN", "en")


def make_application(language: str | None = None) -> QApplication:
    """``language`` None: the one chosen under 设置 → 界面语言 (Chinese by default)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("WindowDesk")
    app.setApplicationName("WindowDesk")
    app.setApplicationDisplayName("一窗协同")
    apply_style(app)
    install_translations(app, language or str(QSettings().value("language", "zh_CN")))
    return app


def install_translations(app: QApplication, language: str) -> None:
    """Chinese is the source language; English comes from resources/i18n. Qt's own strings
    (确定/取消 on standard buttons) come from Qt's translations for the same language."""
    QLocale.setDefault(QLocale(language))
    translators = []
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt)
    if language != "zh_CN":
        ours = QTranslator(app)
        if ours.load(f"windowdesk_{language}", str(resources_dir() / "i18n")):
            translators.append(ours)
    for translator in translators:
        app.installTranslator(translator)


def open_window(client: Client, adapter: SyncAdapter, *, demo: bool = False) -> MainWindow:
    keep_what_is_built()  # no collection first: it would hold the first paint back
    ctx = UiContext(client=client, adapter=adapter)
    window = MainWindow(ctx, make_notifier(None), demo=demo)
    adapter.start(client.engine)
    return window


def run(data_dir: Path, language: str | None = None) -> int:
    """The counter's app: resume the remembered session, or log in first."""
    app = make_application(language)
    adapter = SyncAdapter()
    remember = True
    try:
        client = _resume(data_dir, adapter)
        if client is None:
            dialog = LoginDialog(data_dir, adapter)
            if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.client is None:
                return 1
            client, remember = dialog.client, dialog.remember.isChecked()
    except (KeyringUnavailable, StoreError) as problem:
        QMessageBox.critical(None, "一窗协同", str(problem))
        return 2
    window = open_window(client, adapter)
    window.show()
    try:
        return app.exec()
    finally:
        adapter.stop()
        if not remember:
            credentials.forget_token(client.profile)  # next start asks for the password
        finish_background_work()
        client.close()


def run_demo(server_url: str, data_dir: Path, users: tuple[str, ...], password: str,
             language: str | None = None) -> int:
    """Two counters side by side, each logged in with its own data directory."""
    app = make_application(language)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    width = screen.width() // len(users)
    sessions = []
    for i, username in enumerate(users):
        adapter = SyncAdapter()
        client = Client.login(data_dir / username, server_url, username, password,
                              listener=adapter)
        window = open_window(client, adapter, demo=True)
        window.setGeometry(screen.x() + i * width, screen.y(), width, screen.height())
        window.show()
        sessions.append((adapter, client, window))
    try:
        return app.exec()
    finally:
        for adapter, _, _ in sessions:
            adapter.stop()
        finish_background_work()
        for _, client, _ in sessions:
            client.close()


def _resume(data_dir: Path, adapter: SyncAdapter) -> Client | None:
    profile = credentials.load_profile(data_dir)
    if profile is None or credentials.token(profile) is None:
        return None
    return Client.resume(data_dir, listener=adapter)
