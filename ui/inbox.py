"""The inbox (收件箱) and the sent box (已发起): a list of collaboration requests with a
working-time countdown, most urgent first.

The table follows Anki's browser: the model holds only the ordered ids and fetches rows on
demand, a chunk at a time, through :mod:`app.inbox`; row heights are fixed. The id list is
queried off the UI thread, so typing in the search box never makes the counter wait. One
30-second timer per model moves the countdowns and repaints only the rows on screen.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
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
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import inbox
from app.domain.enums import RequestState
from app.domain.errors import Rejected
from app.inbox import InboxFilter, InboxIndex, InboxRow
from app.store import Store
from app.text import day_and_time
from app.worktime import WorkCalendar
from ui import style
from ui.context import UiContext
from ui.i18n import say, tr
from ui.tables import ReadsWhenShown
from ui.tasks import track

log = logging.getLogger(__name__)

REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the request's id, on every cell
BAND_ROLE = Qt.ItemDataRole.UserRole + 2  # the band's key ("normal", "overdue", …)

TICK_MS = 30_000
SEARCH_DEBOUNCE_MS = 150
SEARCH_PLACEHOLDER = "搜索 办件编号 / 姓名 / 身份证后4位 / 事项"
FILTER_ORDER = (InboxFilter.TO_ACCEPT, InboxFilter.IN_PROGRESS, InboxFilter.SENT_BACK,
                InboxFilter.OVERDUE, InboxFilter.DONE, InboxFilter.ALL)


class Column(IntEnum):
    COUNTDOWN = 0
    DUE = 1
    STATE = 2
    NUMBER = 3
    PARTY = 4  # 来自 in the inbox, 发往 in the sent box
    MATTER = 5
    CITIZEN = 6
    SENT = 7


HEADERS = {Column.COUNTDOWN: "倒计时", Column.DUE: "截止时间", Column.STATE: "状态",
           Column.NUMBER: "办件编号", Column.PARTY: "来自", Column.MATTER: "事项",
           Column.CITIZEN: "申请人", Column.SENT: "发起时间"}
SENT_PARTY_HEADER = "发往"
# Hidden, in this order, when the page is narrow (beside the request detail, which shows
# the number, the sender and the times of the selected request).
OPTIONAL_COLUMNS = (Column.SENT, Column.DUE, Column.NUMBER, Column.PARTY)


# -- seams for tests -------------------------------------------------------------------------


def show_message(parent: QWidget | None, title: str, text: str) -> None:
    """Every message box of this screen goes through here (tests replace it)."""
    QMessageBox.warning(parent, title, text)


def ask_urge_note(parent: QWidget | None, row: InboxRow) -> str | None:
    """The note sent with a 催办; None when the clerk cancels (tests replace it)."""
    text, ok = QInputDialog.getText(
        parent, "催办",
        f"向 {row.to_department_name} 催办「{row.subject}」\n附言（可不填）：",
        QLineEdit.EchoMode.Normal, "")
    return text.strip() if ok else None


# -- background queries ----------------------------------------------------------------------


class _Background(QObject):
    """Runs read queries one at a time on a worker thread and hands each result back on the
    UI thread (a queued signal, as calibre's Dispatcher does). Per lane only the newest job
    counts: an older answer arriving late is dropped, and a job that is already stale when
    its turn comes is not run at all."""

    _finished = Signal(object)  # an _Answer: one object crosses the thread, never a bare None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox-query")
        self._latest: dict[str, int] = {}
        self._handlers: dict[str, tuple[Callable[[Any], None],
                                        Callable[[BaseException], None]]] = {}
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        pool = self._pool
        self.destroyed.connect(lambda *_: pool.shutdown(wait=False, cancel_futures=True))

    def submit(self, lane: str, job: Callable[[], Any], done: Callable[[Any], None],
               failed: Callable[[BaseException], None]) -> None:
        ticket = self._latest.get(lane, 0) + 1
        self._latest[lane] = ticket
        self._handlers[lane] = (done, failed)
        latest = self._latest

        def run() -> Any:
            return job() if latest.get(lane) == ticket else _STALE

        def report(future: Future) -> None:
            if future.cancelled():
                return
            error = future.exception()
            answer = _Answer(lane, ticket, None if error else future.result(), error)
            with suppress(RuntimeError):  # the page was closed while the query ran
                self._finished.emit(answer)

        future = self._pool.submit(run)
        track(future)  # the cache must not close under it
        future.add_done_callback(report)

    def busy(self, lane: str) -> bool:
        return lane in self._handlers

    def _deliver(self, answer: _Answer) -> None:
        if self._latest.get(answer.lane) != answer.ticket or answer.result is _STALE:
            return
        done, failed = self._handlers.pop(answer.lane)
        if answer.error is not None:
            failed(answer.error)
        else:
            done(answer.result)


@dataclass(frozen=True, slots=True)
class _Answer:
    lane: str
    ticket: int
    result: Any
    error: BaseException | None


_STALE = object()


# -- the model -------------------------------------------------------------------------------


class RequestTableModel(QAbstractTableModel):
    """The requests of one list, in the order of :meth:`set_ids`; rows are fetched from the
    store in chunks as the view asks for them, and a few chunks are kept."""

    CHUNK = 100
    KEEP_CHUNKS = 12
    ticked = Signal()

    def __init__(self, store: Store, now: Callable[[], datetime], *, mode: str = "inbox",
                 calendar: WorkCalendar | None = None,
                 visible_rows: Callable[[], tuple[int, int] | None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        if mode not in ("inbox", "sent"):
            raise ValueError(f"mode is 'inbox' or 'sent', not {mode!r}")
        self.store = store
        self.mode = mode
        self._clock = now
        self._now = now()
        self.calendar = calendar if calendar is not None else inbox.calendar(store, self._now)
        self.visible_rows = visible_rows
        self._ids: list[str] = []
        self._row_of: dict[str, int] | None = None
        self._chunks: OrderedDict[int, dict[str, InboxRow]] = OrderedDict()
        self._derived: dict[str, tuple[style.Band, str, str]] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # -- content ------------------------------------------------------------------------

    def set_ids(self, ids: list[str]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._row_of = None
        self._chunks.clear()
        self._derived.clear()
        self._now = self._clock()
        self.endResetModel()

    def set_calendar(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._derived.clear()

    def ids(self) -> list[str]:
        return list(self._ids)

    def request_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, request_id: str) -> int:
        if self._row_of is None:
            self._row_of = {rid: i for i, rid in enumerate(self._ids)}
        return self._row_of.get(request_id, -1)

    def row_data(self, row: int) -> InboxRow | None:
        """The request on ``row`` (fetching its chunk if needed); None if it is gone."""
        request_id = self.request_id(row)
        if request_id is None:
            return None
        number = row // self.CHUNK
        chunk = self._chunks.get(number)
        if chunk is None:
            ids = self._ids[number * self.CHUNK:(number + 1) * self.CHUNK]
            try:
                chunk = inbox.rows(self.store, ids)
            except Exception:  # a closed or broken cache: show the row empty, don't crash
                log.exception("could not read rows %d–%d of the list", number * self.CHUNK,
                              number * self.CHUNK + len(ids) - 1)
                return None
            self._chunks[number] = chunk
            while len(self._chunks) > self.KEEP_CHUNKS:
                self._chunks.popitem(last=False)
        else:
            self._chunks.move_to_end(number)
        return chunk.get(request_id)

    def now(self) -> datetime:
        """The time the countdowns currently show (server time at the last tick)."""
        return self._now

    # -- the countdown ---------------------------------------------------------------------

    def tick(self) -> None:
        """Move the countdowns on to the current (server) time; repaint the visible rows."""
        self._now = self._clock()
        self._derived.clear()
        span = self.visible_rows() if self.visible_rows is not None else None
        if span is not None and self._ids:
            first, last = max(0, span[0]), min(len(self._ids) - 1, span[1])
            if first <= last:
                self.dataChanged.emit(
                    self.index(first, 0), self.index(last, len(Column) - 1),
                    [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                     Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole, BAND_ROLE])
        self.ticked.emit()

    def band(self, row: InboxRow) -> style.Band:
        return self._countdown(row)[0]

    def _countdown(self, row: InboxRow) -> tuple[style.Band, str, str]:
        """(band, countdown text, tooltip) of a row at the current tick."""
        cached = self._derived.get(row.request_id)
        if cached is not None:
            return cached
        tz = self.calendar.tz
        if row.running and row.due_at is not None:
            left = inbox.remaining(self.calendar, self._now, row.due_at)
            band = style.band_for(left, True)
            text = f"{band.symbol} {say(inbox.remaining_text(left))}"
            due = say(day_and_time(row.due_at.astimezone(tz)))
            tip = (f"{band.symbol} {tr(band.label)}"
                   + self.tr("（截止 %1，按工作时间计）").replace("%1", due))
        elif row.running or row.state is RequestState.SENT_BACK:
            band = style.band_for(None, row.running)  # paused: no deadline while sent back
            text = f"{band.symbol} {tr(band.label)}"
            tip = f"{band.symbol} {tr(band.label)}"
            if row.state is RequestState.SENT_BACK:
                tip += self.tr("（退回补正期间不计时，补正后接着计）")
        else:
            band = style.band_for(timedelta(0), False)
            text = f"{band.symbol} {tr(row.state_label)}"
            tip = f"{band.symbol} {tr(band.label)}（{tr(row.state_label)}）"
        tip += "\n" + self.tr("协同事项：") + row.subject
        if row.pending:
            tip += "\n" + self.tr("本机的操作尚未上传到服务器，联网后自动上传")
        if len(self._derived) > 4 * self.CHUNK * self.KEEP_CHUNKS:
            self._derived.clear()
        self._derived[row.request_id] = result = (band, text, tip)
        return result

    def _time(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        local = moment.astimezone(self.calendar.tz)
        if local.year != self._now.astimezone(self.calendar.tz).year:
            return f"{local:%Y-%m-%d %H:%M}"
        return f"{local:%m-%d %H:%M}"

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == Column.PARTY and self.mode == "sent":
                return tr(SENT_PARTY_HEADER)
            return tr(HEADERS[Column(section)])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        r, column = index.row(), index.column()
        if not (0 <= r < len(self._ids) and 0 <= column < len(Column)):
            return None
        if role == REQUEST_ID_ROLE:
            return self._ids[r]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                        BAND_ROLE):
            return None
        row = self.row_data(r)
        if row is None:
            return None
        band, countdown, tip = self._countdown(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, Column(column), countdown)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        if role == Qt.ItemDataRole.BackgroundRole:
            return band.background
        if role == Qt.ItemDataRole.ForegroundRole:
            return band.foreground
        return band.key  # BAND_ROLE

    def _display(self, row: InboxRow, column: Column, countdown: str) -> str:
        if column == Column.COUNTDOWN:
            return countdown
        if column == Column.DUE:
            # a finished request keeps its last deadline for the statistics, not for the list
            return self._time(row.due_at) if row.running else "—"
        if column == Column.STATE:
            return tr(row.state_label) + (tr("（待上传）") if row.pending else "")
        if column == Column.NUMBER:
            return row.case_number or "（办件同步中）"
        if column == Column.PARTY:
            return row.to_department_name if self.mode == "sent" else row.from_department_name
        if column == Column.MATTER:
            return row.matter_name or row.subject
        if column == Column.CITIZEN:
            return row.citizen_masked
        return self._time(row.sent_at)


# -- the page --------------------------------------------------------------------------------


class _Table(QTableView):
    """Enter opens the current request (double-click does too, via the page); an empty
    list says why in its middle, where the clerk is looking."""

    opened = Signal()
    resized = Signal()
    placeholder = ""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.placeholder and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder)
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.opened.emit()
            event.accept()
            return
        super().keyPressEvent(event)


@dataclass(frozen=True)
class _Question:
    """What the list is asked, taken on the UI thread (widgets are not read by workers)."""

    filter: InboxFilter
    search: str
    now: datetime

    def answer(self, index: InboxIndex, calendar: WorkCalendar) -> _Answered:
        return _Answered(index, *index.answer(self.filter, self.search, self.now), calendar)


@dataclass(frozen=True)
class _Answered:
    index: InboxIndex
    ids: list[str]
    counts: dict[InboxFilter, int]
    calendar: WorkCalendar


class InboxPage(ReadsWhenShown, QWidget):
    """收件箱 (``mode="inbox"``: what the department received) or 已发起 (``mode="sent"``:
    what it sent, with 催办). ``refresh()`` re-reads the list and keeps the selection."""

    openRequest = Signal(str)
    refreshed = Signal()  # a new list is on screen

    def __init__(self, ctx: UiContext, *, mode: str = "inbox",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.mode = mode
        self.filter = InboxFilter.ALL
        self._select_first = False
        self._notice = ""  # the outcome of the last action, shown beside the count
        self._background = _Background(self)
        self._index: InboxIndex | None = None  # the list in memory; refresh() reads it again
        self.model = RequestTableModel(ctx.store, lambda: self.ctx.now(), mode=mode,
                                       visible_rows=self.visible_rows, parent=self)
        self.model.ticked.connect(self._on_tick)

        self.filters = QButtonGroup(self)
        self.filters.setExclusive(True)
        bar = QHBoxLayout()
        bar.setSpacing(4)
        self.filter_buttons: dict[InboxFilter, QPushButton] = {}
        for f in FILTER_ORDER:
            button = QPushButton(tr(f.label))
            button.setCheckable(True)
            button.setChecked(f is self.filter)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setStyleSheet("QPushButton { padding: 4px 8px; }"
                                 "QPushButton:checked { font-weight: bold; color: white;"
                                 " background: #1565c0; border: 1px solid #0d47a1;"
                                 " border-radius: 3px; }")
            button.clicked.connect(lambda _=False, f=f: self.set_filter(f))
            self.filters.addButton(button)
            self.filter_buttons[f] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        full = self.search.fontMetrics().horizontalAdvance(SEARCH_PLACEHOLDER) + 48
        self.search.setMinimumWidth(min(full, 200))
        self.search.setMaximumWidth(full + 80)
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.search.setToolTip(SEARCH_PLACEHOLDER + "\nCtrl+F 定位到搜索框；回车或↓跳到列表")
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._search_entered)
        self.search.installEventFilter(self)
        bar.addWidget(self.search, 4)  # grows to its full width before the spacer does
        self.urge_button: QPushButton | None = None
        if mode == "sent":
            self.urge_button = QPushButton("催办…")
            self.urge_button.setEnabled(False)
            self.urge_button.clicked.connect(self.urge_selected)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.requery)

        self.view = _Table()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(False)  # the order is fixed: most urgent first
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(False)  # the band colours the row
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(style.ROW_HEIGHT)
        rows.setMinimumSectionSize(style.ROW_HEIGHT)
        rows.hide()
        self._size_columns()
        self.view.resized.connect(self._fit_columns)
        self.view.doubleClicked.connect(lambda index: self._open(index.row()))
        self.view.opened.connect(lambda: self._open(self.view.currentIndex().row()))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())

        self.status = QLabel()
        self.status.setProperty("role", "hint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        below = QHBoxLayout()
        below.addWidget(self.status, 1)
        if self.urge_button is not None:  # the action under the list, away from the search
            below.addWidget(self.urge_button)
        layout.addLayout(below)
        self.refresh()

    # -- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the list from the cache (after a sync or an action) off the UI thread; the
        selected request stays selected if it is still in the list."""
        self._debounce.stop()
        if self.hidden_for_now():
            return
        store, department, now = self.ctx.store, self.ctx.actor.department, self.ctx.now()
        sent = self.mode == "sent"

        asked = self._asked()

        def job() -> _Answered:
            index = (inbox.read_index(store, department, sent=sent) if department
                     else InboxIndex([], [], [], []))
            return asked.answer(index, inbox.calendar(store, now))

        self._background.submit("list", job, self._show, self._failed)

    def requery(self) -> None:
        """Show the list for the current search text and filter, from the list in memory
        (what the search box's debounce and the filter buttons call)."""
        self._debounce.stop()
        if self._index is None:
            self.refresh()
            return
        index, calendar, asked = self._index, self.model.calendar, self._asked()
        self._background.submit("list", lambda: asked.answer(index, calendar), self._show,
                                self._failed)

    def _asked(self) -> _Question:
        return _Question(self.filter, self.search.text(), self.ctx.now())

    def set_filter(self, chosen: InboxFilter) -> None:
        self.filter = chosen
        self._notice = ""
        self.filter_buttons[chosen].setChecked(True)
        self.requery()

    def busy(self) -> bool:
        """A query is on its way (tests wait for ``not busy()``)."""
        return self._background.busy("list") or self._debounce.isActive()

    def current_request_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.request_id(index.row()) if index.isValid() else None

    def select_request(self, request_id: str) -> bool:
        row = self.model.row_of(request_id)
        if row < 0:
            return False
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def visible_rows(self) -> tuple[int, int] | None:
        """First and last row on screen; None when the table is not showing."""
        if not self.view.isVisible() or self.model.rowCount() == 0:
            return None
        first = self.view.rowAt(0)
        if first < 0:
            return None
        last = self.view.rowAt(self.view.viewport().height() - 1)
        return first, last if last >= 0 else self.model.rowCount() - 1

    def _show(self, answer: _Answered) -> None:
        self._index, ids, counts = answer.index, answer.ids, answer.counts
        current = self.current_request_id()
        scroll = self.view.verticalScrollBar().value()
        self.model.set_calendar(answer.calendar)
        self.model.set_ids(ids)
        if current is not None and self.select_request(current):
            self.view.verticalScrollBar().setValue(scroll)
        elif self._select_first and ids:
            self.select_request(ids[0])
        self._select_first = False
        self._show_counts(counts)
        self._update_status()
        self._update_actions()
        self.refreshed.emit()

    def _show_counts(self, counts: dict[InboxFilter, int]) -> None:
        for f, button in self.filter_buttons.items():
            button.setText(f"{tr(f.label)} {counts.get(f, 0)}")

    def _failed(self, error: BaseException) -> None:
        log.error("the request list could not be read", exc_info=error)
        self.status.setText(f"读取本地缓存失败：{error}")
        self.refreshed.emit()

    def _update_status(self) -> None:
        n = self.model.rowCount()
        terms = self.search.text().strip()
        if n:
            empty = ""
            self.status.setText(f"共 {n} 条" + (f"（搜索「{terms}」）" if terms else ""))
        else:
            if terms:
                empty = f"没有与「{terms}」匹配的协同请求"
                if self.filter is not InboxFilter.ALL:
                    empty += f"（当前只看「{self.filter.label}」，可点「全部」再找）"
            elif self.filter is InboxFilter.ALL:
                empty = "暂无协同请求" if self.mode == "inbox" else "本部门尚未发起协同请求"
            else:
                empty = f"没有「{self.filter.label}」的协同请求"
            self.status.setText(empty)
        if self._notice:
            self.status.setText(f"{self.status.text()}　　{self._notice}")
        self.view.placeholder = empty
        self.view.viewport().update()

    def _on_tick(self) -> None:
        if not self.isVisible():
            return  # counted again when shown
        if self.filter is InboxFilter.OVERDUE:
            self.requery()  # requests that ran out of time join this list
            return
        self._refresh_counts()

    def shown(self, missed_refresh: bool) -> None:
        if missed_refresh:
            self.refresh()
        else:
            self._refresh_counts()  # time went by while hidden: 已超期 may have grown

    def _refresh_counts(self) -> None:
        index, search, now = self._index, self.search.text(), self.ctx.now()
        if index is not None:
            self._background.submit(
                "counts", lambda: index.counts(search, now),
                self._show_counts, lambda error: log.error("counts failed", exc_info=error))

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.MATTER, QHeaderView.ResizeMode.Stretch)
        fm = self.view.fontMetrics()
        samples = {Column.COUNTDOWN: "■ 超期 99小时59分", Column.DUE: "2026-11-24 14:00",
                   Column.STATE: "重新办理（待上传）", Column.NUMBER: "BDC-20261123-3F9A0C12",
                   Column.PARTY: "政务服务管理办公室",
                   Column.CITIZEN: "欧阳娜娜 110***********002X",
                   Column.SENT: "2026-11-24 14:00"}
        self._widths = {column: fm.horizontalAdvance(sample) + 24
                        for column, sample in samples.items()}
        for column, width in self._widths.items():
            header.resizeSection(column, width)
        self._matter_width = fm.horizontalAdvance("二手房转移登记") + 24
        header.setMinimumSectionSize(fm.horizontalAdvance("事项") + 24)

    def _fit_columns(self) -> None:
        """Beside the request detail the page is narrow: rather than scroll sideways, drop
        the columns the detail shows anyway (the countdown's tooltip has the deadline)."""
        header = self.view.horizontalHeader()
        available = self.view.viewport().width()
        need = sum(self._widths.values()) + self._matter_width
        for column in OPTIONAL_COLUMNS:
            hide = need > available
            if hide:
                need -= self._widths[column]
            if header.isSectionHidden(column) != hide:
                header.setSectionHidden(column, hide)

    # -- keyboard and search ----------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Ctrl+F while the focus is on this page focuses this page's search box, even when
        # the window has its own Ctrl+F shortcut: claiming the override turns the shortcut
        # into a key press that reaches keyPressEvent below.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.matches(QKeySequence.StandardKey.Find):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Find):
            self.focus_search()
            event.accept()
            return
        super().keyPressEvent(event)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self._search_entered()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def _search_changed(self, _text: str) -> None:
        self._notice = ""
        self._debounce.start()

    def _search_entered(self) -> None:
        """Enter (or ↓) in the search box: to the list, on its first row."""
        if self._debounce.isActive() or self.busy():
            self._select_first = True
            self.requery()
        elif not self.view.currentIndex().isValid() and self.model.rowCount():
            self.select_request(self.model.ids()[0])
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions ------------------------------------------------------------------------------

    def _open(self, row: int) -> None:
        request_id = self.model.request_id(row)
        if request_id is not None:
            self.openRequest.emit(request_id)

    def _update_actions(self) -> None:
        if self.urge_button is None:
            return
        index = self.view.currentIndex()
        row = self.model.row_data(index.row()) if index.isValid() else None
        allowed = (row is not None and row.running
                   and row.from_department == self.ctx.actor.department)
        self.urge_button.setEnabled(allowed)
        self.urge_button.setToolTip(
            f"催促 {row.to_department_name} 尽快办理" if allowed and row
            else "选中一条对方尚未答复的请求后可以催办")

    def urge_selected(self) -> None:
        """催办 the selected request (sent box): a note, then ``desk.urge``; a refusal is
        shown in the rules' own words."""
        index = self.view.currentIndex()
        row = self.model.row_data(index.row()) if index.isValid() else None
        if row is None:
            return
        note = ask_urge_note(self, row)
        if note is None:
            return
        try:
            self.ctx.desk.urge(row.request_id, note)
        except Rejected as refused:
            show_message(self, self.tr("无法催办"), say(refused.message))
            return
        label = row.case_number or row.subject
        self._notice = f"已向 {row.to_department_name} 催办 {label}，联网后送达"
        self.refresh()
