"""One clerk's window: navigation, the screens, the request detail beside them, and a
status bar that always says whether the counter is in touch with the server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
)

from app.escalations import is_supervisor
from app.intake import departments
from app.reports import may_view as may_view_reports
from app.unsatisfied import may_view as may_view_unsatisfied
from sync.client import LoginFailed
from sync.engine import Link, Status
from ui.cases import CasesPage
from ui.conflicts import ConflictsPage
from ui.context import UiContext
from ui.detail import RequestDetail
from ui.i18n import tr
from ui.inbox import InboxPage
from ui.intake import IntakeForm
from ui.notify import NotificationCenter, Notifier
from ui.overdue import OverdueWindow
from ui.tasks import run_in_background
from ui.unsatisfied import UnsatisfiedPage

if TYPE_CHECKING:
    from ui.dashboard import DashboardPage
    from ui.evaluation import EvaluationPage

# Said through ui.i18n.tr (build.py puts them in its context): lupdate sees no literal here.
LINK_WORDS = {Link.ONLINE: "● 在线", Link.OFFLINE: "○ 离线", Link.SYNCING: "⟳ 同步中",
              Link.NEEDS_LOGIN: "⚠ 需要重新登录"}


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, notifier: Notifier, *, demo: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        user = ctx.client.profile.user
        title = self.tr("一窗协同") + f" — {user['name']}（{self._department_name()}）"
        self.setWindowTitle(title + (self.tr("　【演示模式】") if demo else ""))
        self.resize(1280, 800)

        self.inbox = InboxPage(ctx, mode="inbox")
        self.sent = InboxPage(ctx, mode="sent")
        self.intake = IntakeForm(ctx)
        self.cases = CasesPage(ctx)
        self.conflicts = ConflictsPage(ctx)
        self.detail = RequestDetail(ctx)
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setFixedWidth(132)
        for label, page in ((self.tr("收件箱"), self.inbox), (self.tr("已发起"), self.sent),
                            (self.tr("受理登记"), self.intake), (self.tr("办件查询"), self.cases),
                            (self.tr("冲突"), self.conflicts)):
            self.pages.addWidget(page)
            QListWidgetItem(label, self.nav)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self._conflict_row = self.nav.count() - 1
        self.unsatisfied: UnsatisfiedPage | None = None  # 办理不满意, for every working user
        if may_view_unsatisfied(ctx.actor):
            self.unsatisfied = UnsatisfiedPage(ctx)
            self.pages.addWidget(self.unsatisfied)
            QListWidgetItem(self.tr("办理不满意"), self.nav)
        self.dashboard: DashboardPage | None = None
        self.evaluation: EvaluationPage | None = None
        if may_view_reports(ctx.actor):  # the server answers department leaders and admins
            # QtCharts is loaded only for those who see the figures (issue #8, P1)
            from ui.dashboard import DashboardPage
            from ui.evaluation import EvaluationPage

            self.dashboard, self.evaluation = DashboardPage(ctx), EvaluationPage(ctx)
            for label, page in ((self.tr("统计"), self.dashboard),
                                (self.tr("月度考核"), self.evaluation)):
                self.pages.addWidget(page)
                QListWidgetItem(label, self.nav)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.nav)
        split.addWidget(self.pages)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setCollapsible(0, False)
        split.setSizes([132, 1148, 0])
        self.detail.hide()
        self.setCentralWidget(split)

        self.link = QLabel()
        self.pending = QLabel()
        self.last_sync = QLabel()
        self.clock_warning = QLabel()
        self.clock_warning.setProperty("role", "error")
        for label in (self.link, self.pending, self.last_sync):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.clock_warning)

        for page in (self.inbox, self.sent, self.cases):
            page.openRequest.connect(self.open_request)
        self.intake.registered.connect(lambda _case: self._refresh_lists())
        self.detail.acted.connect(self._refresh_lists)
        if self.unsatisfied is not None:
            self.unsatisfied.openRequest.connect(self.open_request)
            self.unsatisfied.acted.connect(self._refresh_lists)
            self.unsatisfied.acted.connect(self.detail.refresh)
        self.conflicts.countChanged.connect(self._show_conflicts_entry)
        self._show_conflicts_entry(self.conflicts.count())

        adapter = ctx.adapter
        adapter.statusChanged.connect(self.show_status)
        adapter.itemsArrived.connect(lambda _keys: self._refresh_lists())
        adapter.conflictsAdded.connect(lambda _ids: self.conflicts.refresh())
        # The list first: the look at what came while the app was closed reads the whole
        # cache too, and at 100,000 requests the two together held the first paint back.
        self.notifications = NotificationCenter(ctx, notifier, look_now=False)
        self.inbox.refreshed.connect(self._first_look, Qt.ConnectionType.SingleShotConnection)
        self.notifications.openItem.connect(self._open_item)
        self.overdue: OverdueWindow | None = None  # 超期督办提醒, for department leaders
        if is_supervisor(ctx.actor):
            self.overdue = OverdueWindow(ctx, notifier, self)
            self.overdue.openRequest.connect(lambda i: self._open_item("request", i))
            self.notifications.checked.connect(self.overdue.check)
            view_menu = self.menuBar().addMenu(self.tr("查看"))
            view_menu.addAction(self.tr("超期督办…"), self.overdue.reveal)

        settings_menu = self.menuBar().addMenu(self.tr("设置"))
        languages = settings_menu.addMenu(self.tr("界面语言"))
        current = QSettings().value("language", "zh_CN")
        for code, name in (("zh_CN", "中文"), ("en", "English")):
            action = languages.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _=False, code=code: self._choose_language(code))

        QShortcut(QKeySequence(Qt.Key.Key_F2), self, activated=self.new_intake)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.find)
        self._asking_login = False
        QTimer.singleShot(0, lambda: self.show_status(ctx.client.engine.status()))

    # -- navigation ----------------------------------------------------------------------

    def open_request(self, request_id: str) -> None:
        self.detail.show_request(request_id)
        if not self.detail.isVisible():
            self.detail.show()
            split = self.centralWidget()
            width = sum(split.sizes())
            split.setSizes([132, (width - 132) * 3 // 5, (width - 132) * 2 // 5])

    def new_intake(self) -> None:
        self.nav.setCurrentRow(2)
        self.intake.start_new()

    def find(self) -> None:
        self.nav.setCurrentRow(0)
        self.inbox.focus_search()

    def _open_item(self, entity: str, entity_id: str) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if entity == "conflict":
            self.nav.setCurrentRow(self._conflict_row)
        elif entity == "request":
            self.open_request(entity_id)
        elif entity == "overdue" and self.overdue is not None:
            self.overdue.reveal()

    def _first_look(self) -> None:
        self.notifications.check()

    def _refresh_lists(self) -> None:
        for page in (self.inbox, self.sent, self.cases, self.conflicts, self.unsatisfied):
            if page is not None:
                page.refresh()  # the detail pane refreshes itself on news about its request

    def _show_conflicts_entry(self, count: int) -> None:
        item = self.nav.item(self._conflict_row)
        item.setText(self.tr("冲突") + (f"（{count}）" if count else ""))
        item.setHidden(count == 0)

    def _choose_language(self, code: str) -> None:
        QSettings().setValue("language", code)
        self.statusBar().showMessage(self.tr("界面语言将在下次启动时生效"), 8000)

    def _department_name(self) -> str:
        names = dict(departments(self.ctx.store))
        code = self.ctx.actor.department or ""
        return names.get(code, code)

    # -- the status bar ------------------------------------------------------------------

    def show_status(self, status: Status) -> None:
        word = tr(LINK_WORDS[status.link])
        self.link.setText(word + (f"：{status.detail}" if status.detail else ""))
        self.pending.setText(self.tr("待上传 %n 项", "", status.pending) if status.pending
                             else self.tr("无待上传操作"))
        if status.last_sync:
            local = status.last_sync.astimezone(self.ctx.now().astimezone().tzinfo)
            self.last_sync.setText(self.tr("上次同步") + f" {local:%H:%M:%S}")
        self.clock_warning.setText(
            self.tr("⚠ 本机时钟与服务器相差 %1 分钟，倒计时按服务器时间显示")
            .replace("%1", str(round(abs(status.clock_offset) / 60)))
            if status.clock_skewed else "")
        for label in (self.link, self.pending, self.last_sync):
            label.setMinimumWidth(label.sizeHint().width())  # never squeezed to one glyph
        if status.link is Link.NEEDS_LOGIN and not self._asking_login:
            self._asking_login = True
            QTimer.singleShot(0, self._ask_login)

    def _ask_login(self) -> None:
        password, ok = QInputDialog.getText(
            self, self.tr("重新登录"),
            self.tr("登录已失效，请输入密码重新登录（未上传的操作会保留）："),
            QLineEdit.EchoMode.Password)
        if not ok or not password:
            self._asking_login = False
            return

        def failed(error: BaseException) -> None:
            self._asking_login = False
            self.link.setText(str(error) if isinstance(error, LoginFailed) else str(error))

        run_in_background(lambda: self.ctx.client.relogin(password),
                          lambda _: setattr(self, "_asking_login", False), failed)
