"""办理不满意: the requests rated 不满意 or 非常不满意 whose 差评整改 is still owed, most urgent
first — the working time left until the rectification deadline, its state, the other
department, the matter, the citizen (masked), the rating, what was unsatisfactory and why.

Selecting a row opens the request's detail beside the list, where the callback (整改回访),
the appeal (申诉) and its decision are done. 重新办理… is here too, for the department that
rated. The rows come from :mod:`app.unsatisfied`, read off the UI thread; every 30 s the
list is read again, so the countdowns move and rectifications that ran out join the top.

Seams for tests: ``ReasonDialog.ask`` and :func:`show_message`.
"""

from __future__ import annotations

import logging
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.enums import RectificationState as RS
from app.domain.errors import Rejected
from app.inbox import remaining_text
from app.unsatisfied import UnsatisfiedRow, unsatisfied_rows
from ui import style
from ui.actions import ReasonDialog, stars
from ui.context import UiContext
from ui.i18n import say, tr
from ui.tables import ReadsWhenShown
from ui.tasks import run_in_background

log = logging.getLogger(__name__)

REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TICK_MS = 30_000
WHEN = "%m-%d %H:%M"


class Column(IntEnum):
    COUNTDOWN = 0
    DUE = 1
    STATE = 2
    RATING = 3
    PARTY = 4
    MATTER = 5
    CITIZEN = 6
    ASPECTS = 7
    REASON = 8


# Hidden, in this order, when the page is narrow (the row's tooltip has the deadline; the
# request detail beside the list shows the rest); the other department goes last: it says
# which way a row points, owed by this department or asked of another.
OPTIONAL_COLUMNS = (Column.DUE, Column.MATTER, Column.ASPECTS, Column.CITIZEN, Column.STATE,
                    Column.PARTY)


def show_message(parent: QWidget | None, title: str, text: str) -> None:
    """Every message box of this screen goes through here (tests replace it)."""
    QMessageBox.warning(parent, title, text)


class UnsatisfiedModel(QAbstractTableModel):
    """The rows of :func:`app.unsatisfied.unsatisfied_rows`, in its order; each row is
    coloured by its band, which also gives it a symbol and a word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[UnsatisfiedRow] = []
        self.headers = {
            Column.COUNTDOWN: self.tr("倒计时"), Column.DUE: self.tr("整改期限"),
            Column.STATE: self.tr("整改状态"), Column.RATING: self.tr("评价"),
            Column.PARTY: self.tr("对方部门"), Column.MATTER: self.tr("事项"),
            Column.CITIZEN: self.tr("申请人"), Column.ASPECTS: self.tr("不满意的方面"),
            Column.REASON: self.tr("差评原因")}

    def set_rows(self, rows: list[UnsatisfiedRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, request_id: str) -> int:
        return next((i for i, row in enumerate(self.rows) if row.request_id == request_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(Column)):
            return self.headers[Column(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        band = band_of(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, Column(index.column()), band)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, band)
        if role == Qt.ItemDataRole.BackgroundRole:
            return band.background
        if role == Qt.ItemDataRole.ForegroundRole:
            return band.foreground
        if role == REQUEST_ID_ROLE:
            return row.request_id
        return None

    def _display(self, row: UnsatisfiedRow, column: Column, band: style.Band) -> str:
        if column == Column.COUNTDOWN:
            if row.remaining is None:
                return f"{band.symbol} {tr(row.state.label)}"
            return f"{band.symbol} {say(remaining_text(row.remaining))}"
        if column == Column.DUE:
            return f"{row.due_at:{WHEN}}"
        if column == Column.STATE:
            return tr(row.state.label)
        if column == Column.RATING:
            return f"{stars(row.stars)} {say(row.rating_label)}"
        if column == Column.PARTY:  # which way the row points: who rated, or who must act
            side = self.tr("%1（评价方）") if row.receiving else self.tr("%1（整改方）")
            return side.replace("%1", row.other_department)
        if column == Column.MATTER:
            return row.matter_name or row.subject
        if column == Column.CITIZEN:
            return row.citizen_masked
        if column == Column.ASPECTS:
            return say(row.indicators) or "—"
        return " ".join(row.reason.split())  # one line; the tooltip has it as written

    def _tip(self, row: UnsatisfiedRow, band: style.Band) -> str:
        tip = f"{band.symbol} {tr(row.state.label)}（{tr(band.label)}）\n"
        tip += (self.tr("%1 须在 %2 前整改并回访（%3 评价）").replace("%1", row.holder)
                .replace("%2", f"{row.due_at:{WHEN}}").replace("%3", row.rater))
        tip += "\n" + self.tr("协同事项：") + row.subject
        if row.case_number:
            tip += "\n" + self.tr("办件编号：") + row.case_number
        return tip + "\n" + self.tr("差评原因：") + row.reason


def band_of(row: UnsatisfiedRow) -> style.Band:
    """The inbox's bands: the rectification's countdown runs until it is closed."""
    if row.remaining is None:
        return style.DONE
    return style.band_for(row.remaining, True)


class UnsatisfiedPage(ReadsWhenShown, QWidget):
    openRequest = Signal(str)  # a row was selected: show its detail
    acted = Signal()  # 重新办理 went through (locally; the sync follows)
    refreshed = Signal()  # a new list is on screen (tests wait on it)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ticket = 0  # the newest read; an older answer arriving late is dropped
        self._busy = False
        self._opened: str | None = None  # what openRequest last said: said once per choice
        self._notice = ""

        self.summary = QLabel()
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.include_closed = QCheckBox(self.tr("显示已整改和申诉成立的"))
        self.include_closed.toggled.connect(lambda _on: self.refresh())
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.include_closed)

        self.model = UnsatisfiedModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(style.ROW_HEIGHT)
        rows.hide()
        self._size_columns()
        self.view.viewport().installEventFilter(self)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.view.doubleClicked.connect(lambda _index: self._open(again=True))

        self.status = QLabel()
        self.status.setProperty("role", "hint")
        self.status.setWordWrap(True)
        self.reopen_button = QPushButton(self.tr("重新办理…"))
        self.reopen_button.clicked.connect(self.reopen_selected)
        below = QHBoxLayout()
        below.addWidget(self.status, 1)
        below.addWidget(self.reopen_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(below)

        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._update_actions()
        self.refresh()

    # -- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again off the UI thread; the selected request stays selected."""
        if self.hidden_for_now():
            return
        self._ticket += 1
        ticket, self._busy = self._ticket, True
        store, actor, now = self.ctx.store, self.ctx.actor, self.ctx.now()
        closed = self.include_closed.isChecked()
        run_in_background(lambda: unsatisfied_rows(store, actor, now, include_closed=closed),
                          lambda rows: self._show(ticket, rows),
                          lambda error: self._failed(ticket, error))

    def busy(self) -> bool:
        return self._busy

    def _tick(self) -> None:
        if self.isVisible():  # the countdowns move; when hidden, showing reads again
            self.refresh()

    def selected(self) -> UnsatisfiedRow | None:
        index = self.view.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def select_request(self, request_id: str) -> bool:
        row = self.model.row_of(request_id)
        if row < 0:
            return False
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def shown(self, missed_refresh: bool) -> None:
        self.refresh()  # time went by while hidden

    def _show(self, ticket: int, rows: list[UnsatisfiedRow]) -> None:
        if not isValid(self) or ticket != self._ticket:
            return
        self._busy = False
        current = self.selected()
        self.model.set_rows(rows)
        if current is not None:
            self.select_request(current.request_id)
        self._update_summary()
        self._update_actions()
        self.refreshed.emit()

    def _failed(self, ticket: int, error: BaseException) -> None:
        log.error("the 办理不满意 list could not be read", exc_info=error)
        if isValid(self) and ticket == self._ticket:
            self._busy = False
            self.status.setText(self.tr("读取本地缓存失败：%1").replace("%1", str(error)))
            self.refreshed.emit()

    def _update_summary(self) -> None:
        rows = self.model.rows
        owed = [r for r in rows if r.remaining is not None]
        if not owed:
            self.summary.setText(self.tr("没有待整改的差评"))
        else:
            text = self.tr("待整改 %1 件").replace("%1", str(len(owed)))
            appealed = sum(r.state is RS.APPEALED for r in owed)
            if appealed:
                text += self.tr("（其中申诉中 %1 件）").replace("%1", str(appealed))
            late = sum(r.overdue for r in owed)
            if late:
                text += f"　{style.OVERDUE.symbol} " + self.tr("已超期 %1 件").replace(
                    "%1", str(late))
            self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {style.OVERDUE.foreground.name()};"
                                   if any(r.overdue for r in owed) else "")
        status = self.tr("共 %1 条").replace("%1", str(len(rows))) if rows else ""
        if self._notice:
            status = f"{status}　　{self._notice}".strip()
        self.status.setText(status)

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(False)  # the order is fixed: most urgent first
        header.setStretchLastSection(True)
        fm = self.view.fontMetrics()
        samples = {Column.COUNTDOWN: "■ 超期 99小时59分", Column.DUE: "11-24 14:00",
                   Column.STATE: "申诉成立", Column.RATING: "★★★★★ 非常不满意",
                   Column.PARTY: "公积金中心（评价方）", Column.MATTER: "二手房转移登记",
                   Column.CITIZEN: "欧阳娜娜 110***********002X",
                   Column.ASPECTS: "整体满意度、服务效率"}
        self._widths = {column: max(fm.horizontalAdvance(sample),
                                    fm.horizontalAdvance(self.model.headers[column])) + 24
                        for column, sample in samples.items()}
        for column, width in self._widths.items():
            header.resizeSection(column, width)
        self._reason_width = fm.horizontalAdvance("超过期限才回复，申请") + 24  # worth reading

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the table's own size, once the layout has set it
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Beside the request detail the page is narrow: rather than scroll sideways, drop
        the columns the detail shows anyway."""
        header = self.view.horizontalHeader()
        need = sum(self._widths.values()) + self._reason_width
        available = self.view.viewport().width()
        for column in OPTIONAL_COLUMNS:
            hide = need > available
            if hide:
                need -= self._widths[column]
            header.setSectionHidden(column, hide)

    # -- acting -------------------------------------------------------------------------------

    def _chosen(self) -> None:
        self._update_actions()
        self._open()

    def _open(self, again: bool = False) -> None:
        row = self.selected()
        if row is not None and (again or row.request_id != self._opened):
            self._opened = row.request_id
            self.openRequest.emit(row.request_id)

    def _update_actions(self) -> None:
        row = self.selected()
        allowed = row is not None and row.may_reopen
        self.reopen_button.setEnabled(allowed)
        self.reopen_button.setToolTip(
            self.tr("请 %1 重新办理，整改照常进行").replace("%1", row.holder) if allowed
            else self.tr("评价部门可对仍然有效的差评重新办理；选中一条后可用"))

    def reopen_selected(self) -> None:
        """重新办理…: the reason, then ``desk.reopen``; a refusal in the rules' words."""
        row = self.selected()
        if row is None or not row.may_reopen:
            return
        reason = ReasonDialog.ask(self, "重新办理", "重新办理的原因",
                                  placeholder="写明仍需对方办理的内容")
        if reason is None:
            return
        try:
            self.ctx.desk.reopen(row.request_id, reason)
        except Rejected as refused:
            show_message(self, self.tr("不能重新办理"), say(refused.message))
            self.refresh()
            return
        self._notice = self.tr("已请 %1 重新办理，联网后送达").replace("%1", row.holder)
        self.acted.emit()
        self.refresh()


__all__ = ["UnsatisfiedModel", "UnsatisfiedPage", "band_of", "show_message"]
