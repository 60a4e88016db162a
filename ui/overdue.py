"""超期督办提醒: the non-modal window that comes up for a department leader when requests
their departments hold go overdue, with each one's whole history (未完成办件信息情况).

The main window calls :meth:`OverdueWindow.check` after every notification check (sync
brought something, or 30 s passed). The look at the cache runs off the UI thread; what is
overdue, and what the pop-up has already shown, is decided in ``app.escalations``. The
window pops up, with one tray message, when an item is overdue that it never showed (marked
in the cache, so also across restarts); otherwise it only keeps its list current.

Seam for tests: :meth:`LeaderUrgeDialog.ask`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.entities import Staff
from app.domain.errors import Rejected
from app.escalations import (
    OverdueItem,
    mark_popped_up,
    newly_overdue,
    overdue_for_supervisor,
    popup_notice,
)
from app.store import Store
from ui.actions import UrgeDialog
from ui.context import UiContext
from ui.detail import Timeline
from ui.i18n import say
from ui.notify import Notifier
from ui.style import OVERDUE, ROW_HEIGHT
from ui.tasks import run_in_background

log = logging.getLogger(__name__)

WHEN = "%m-%d %H:%M"  # as the timeline writes times
Looked = tuple[list[OverdueItem], list[OverdueItem]]  # everything overdue; what is new


class LeaderUrgeDialog(UrgeDialog):
    """督办: a note for the department holding the request, sent on 确定. The rules decide
    at once; a refusal is shown under the note and the dialog stays open, so nothing typed
    is lost."""

    def __init__(self, parent: QWidget | None, item: OverdueItem,
                 send: Callable[[str], object]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("督办"))
        self._send = send
        about = QLabel(self.tr("督促 %1 办理「%2」（已超期 %3，工作时间）")
                       .replace("%1", item.holder).replace("%2", item.subject)
                       .replace("%3", say(item.overdue_text)))
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        self.form.insertRow(0, about)

    def problem(self) -> str:
        try:
            self._send(self.value())  # writes only if the rules accept it
        except Rejected as refused:
            return say(refused.message)
        return ""


class OverdueWindow(QDialog):
    """A list of the overdue requests (most overdue first) and, beside it, the selected
    one's summary and timeline; 督办… and 知道了 (close) under them."""

    openRequest = Signal(str)  # 在主窗口打开
    checked = Signal()  # a look at the cache has landed (tests wait on it)

    def __init__(self, ctx: UiContext, notifier: Notifier,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)  # a window of its own beside the main one
        self.setModal(False)
        self.setWindowTitle(self.tr("一窗协同 — 超期督办提醒"))
        self.resize(1180, 720)
        self.ctx = ctx
        self.notifier = notifier
        self.items: list[OverdueItem] = []
        self._new: set[str] = set()  # what the latest pop-up was about: marked 新
        self._busy = self._again = False

        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.heading.setStyleSheet(f"color: {OVERDUE.foreground.name()};")
        self.empty = QLabel(self.tr("目前没有超期的协同请求。"))
        self.empty.setProperty("role", "hint")

        headers = [self.tr("状态"), self.tr("协同请求"), self.tr("现在由"), self.tr("期限")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.itemDoubleClicked.connect(lambda _cell: self._open_selected())

        self.summary = QFormLayout()
        self.summary.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.summary.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.history = QScrollArea()
        self.history.setWidgetResizable(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline: Timeline | None = None
        history_heading = QLabel(self.tr("办理经过"))
        history_heading.setStyleSheet("font-weight: bold; color: #424242;")
        details = QGroupBox(self.tr("未完成办件信息情况"))
        column = QVBoxLayout(details)
        column.addLayout(self.summary)
        column.addWidget(history_heading)
        column.addWidget(self.history, 1)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.table)
        self.split.addWidget(details)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 5)
        self.split.setSizes([520, 640])  # the list's four columns without a scroll bar
        self.split.setChildrenCollapsible(False)

        self.urge_button = QPushButton(self.tr("督办…"))
        self.urge_button.setToolTip(self.tr("给承办部门留言督促办理，记入办理经过"))
        self.urge_button.clicked.connect(self.urge_selected)
        self.open_button = QPushButton(self.tr("在主窗口打开"))
        self.open_button.clicked.connect(self._open_selected)
        self.ack_button = QPushButton(self.tr("知道了"))
        self.ack_button.setDefault(True)
        self.ack_button.setToolTip(self.tr("关闭提醒；有新超期的请求时会再次弹出"))
        self.ack_button.clicked.connect(self.accept)
        self.feedback = QLabel()
        self.feedback.setProperty("role", "hint")
        self.feedback.setWordWrap(True)
        hint = QLabel(self.tr("每件超期请求只弹出提醒一次；有新超期的请求时本窗口会再次弹出。"
                              "可在菜单「查看 → 超期督办」中随时打开。"))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.urge_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.feedback, 1)
        buttons.addWidget(self.ack_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty)
        layout.addWidget(self.split, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        self._show_items([])

    # -- looking -------------------------------------------------------------------------

    def check(self, *_: object) -> None:
        """Look for overdue requests off the UI thread; pop up if one is new."""
        if self._busy:
            self._again = True  # one look at a time; the newest question is asked next
            return
        self._busy = True
        store, actor, now = self.ctx.store, self.ctx.actor, self.ctx.now()
        run_in_background(lambda: _look(store, actor, now), self._looked, self._failed)

    def busy(self) -> bool:
        """A look is running or waiting to run."""
        return self._busy or self._again

    def reveal(self) -> None:
        """Bring the window up with what is overdue now (菜单「超期督办」, a tray click)."""
        self.present()
        self.check()

    def present(self) -> None:
        """Come up without taking the keyboard from whatever the leader is typing in."""
        if self.isMinimized():
            self.showNormal()
        else:
            self.show()
        self.raise_()

    def _looked(self, result: Looked) -> None:
        if not isValid(self):
            return
        self._busy = False
        items, new = result
        if new:
            self._new = {i.key for i in new}
        self._show_items(items)
        if new:
            self.notifier.show(popup_notice(new))
            self.present()
        self.checked.emit()
        if self._again:
            self._again = False
            self.check()

    def _failed(self, error: BaseException) -> None:
        log.error("looking for overdue requests failed", exc_info=error)
        if isValid(self):
            self._busy = self._again = False  # the next check (30 s, a sync) tries again

    # -- showing -------------------------------------------------------------------------

    def _show_items(self, items: list[OverdueItem]) -> None:
        selected = self.selected()
        self.items = items
        self.heading.setText(
            (f"{OVERDUE.symbol} " + self.tr("%n 件协同请求已超期，请督促尽快答复", "", len(items)))
            if items else self.tr("超期督办"))
        self.empty.setVisible(not items)
        self.split.setVisible(bool(items))
        self.urge_button.setEnabled(bool(items))
        self.open_button.setEnabled(bool(items))
        self.table.blockSignals(True)  # one _show_selected after the rows, not one per cell
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            state = f"{OVERDUE.symbol} " + self.tr("超期") + f" {say(item.overdue_text)}"
            if item.key in self._new:
                state += self.tr("（新）")
            holder = item.holder + (f" {item.accepted_by}" if item.accepted_by
                                    else self.tr("（未签收）"))
            cells = (state, item.subject, holder, f"{item.due_at:{WHEN}}")
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
            self.table.item(row, 1).setToolTip(
                self.tr("%1 发起：%2").replace("%1", item.from_department)
                .replace("%2", item.subject))
            band = self.table.item(row, 0)
            band.setBackground(QBrush(OVERDUE.background))
            band.setForeground(QBrush(OVERDUE.foreground))
            if item.key in self._new:
                font = QFont(band.font())
                font.setBold(True)
                band.setFont(font)
        again = next((r for r, i in enumerate(items) if i.request_id == selected), 0)
        if items:
            self.table.selectRow(again)
        self.table.blockSignals(False)
        self._show_selected()

    def selected(self) -> str | None:
        item = self._selected_item()
        return item.request_id if item else None

    def _selected_item(self) -> OverdueItem | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_selected(self) -> None:
        item = self._selected_item()
        while self.summary.rowCount():
            self.summary.removeRow(0)
        if item is None:
            return
        sent = f"{item.from_department} {item.sent_by} · {item.sent_at:{WHEN}}"
        accepted = (f"{item.holder} {item.accepted_by} · {item.accepted_at:{WHEN}}"
                    if item.accepted_at else self.tr("尚未签收"))
        late = (f"{item.due_at:{WHEN}} · {OVERDUE.symbol} "
                + self.tr("已超期 %1（工作时间）").replace("%1", say(item.overdue_text)))
        counts = (self.tr("到期提醒 %1 次 · 催办 %2 次 · 督办 %3 次")
                  .replace("%1", str(item.reminders)).replace("%2", str(item.urges))
                  .replace("%3", str(item.leader_urges)))
        holder = " ".join(p for p in (item.holder, item.accepted_by) if p)
        holder += f"（{say(item.state)}）"
        source = (self.tr("服务器已发出超期督办通知") if item.escalated
                  else self.tr("本机倒计时（尚未收到服务器的超期督办通知）"))
        rows = ((self.tr("协同请求"), f"{item.subject}（{say(item.role)}）"),
                (self.tr("办件"), item.case_line),
                (self.tr("发起"), sent),
                (self.tr("签收"), accepted),
                (self.tr("现在由"), holder),
                (self.tr("期限"), late),
                (self.tr("提醒与催办"), counts),
                (self.tr("判定依据"), source))
        for label, text in rows:
            value = QLabel(text)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.summary.addRow(label, value)
        deadline = self.summary.itemAt(5, QFormLayout.ItemRole.FieldRole).widget()
        deadline.setStyleSheet(f"color: {OVERDUE.foreground.name()}; font-weight: bold;")
        if self.timeline is None or self.timeline.entries != item.history:
            self.timeline = Timeline(item.history)  # rebuilt only when it changed: keeps
            self.history.setWidget(self.timeline)  # the reader's place on a 30 s refresh

    def summary_texts(self) -> dict[str, str]:
        """The selected item's summary, label → text (for tests)."""
        out = {}
        for row in range(self.summary.rowCount()):
            label = self.summary.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            value = self.summary.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            out[label.text()] = value.text()
        return out

    # -- acting --------------------------------------------------------------------------

    def urge_selected(self) -> None:
        """督办…: a note, then the leader's urge through the desk (the sync takes it to the
        server, where it joins the request's timeline)."""
        item = self._selected_item()
        if item is None:
            return
        note = LeaderUrgeDialog.ask(self, item,
                                    lambda text: self.ctx.desk.urge(item.request_id, text))
        if note is None:
            return
        self.feedback.setText(self.tr("已督办 %1「%2」，联网后送达服务器")
                              .replace("%1", item.holder).replace("%2", item.subject))
        self.check()  # the 督办 shows in the history at once, marked 待同步

    def _open_selected(self) -> None:
        request_id = self.selected()
        if request_id:
            self.openRequest.emit(request_id)


def _look(store: Store, actor: Staff, now: datetime) -> Looked:
    """On a worker thread: what is overdue, and what of it the pop-up is to show now —
    marked at once, as notifications are: a pop-up that fails must not repeat forever."""
    items = overdue_for_supervisor(store, actor, now)
    new = newly_overdue(store, items)
    if new:
        mark_popped_up(store, new, now)
    return items, new


__all__ = ["LeaderUrgeDialog", "OverdueWindow"]
