"""办件查询: find a case by number, name, ID last 4 or matter; open its requests."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.casebook import CaseRow, find_cases
from ui.context import UiContext
from ui.i18n import say
from ui.style import ROW_HEIGHT
from ui.tables import ReadsWhenShown, RowsModel
from ui.tasks import run_in_background

# Said through ui.i18n.tr (build.py puts them in its context): lupdate sees no literal there.
HEADERS = ("办件编号", "申请人", "事项", "状态", "受理时间", "办件期限", "协同情况")


class CaseTableModel(RowsModel):
    HEADERS = HEADERS
    rows: list[CaseRow]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        due = row.due_at.strftime("%m-%d %H:%M") if row.due_at else self.tr("会商确定")
        return (row.number, row.citizen, row.matter, say(row.state_label),
                row.registered_at.strftime("%m-%d %H:%M"), due, say(row.requests))[index.column()]


class CasesPage(ReadsWhenShown, QWidget):
    openRequest = Signal(str)
    loaded = Signal()  # a search has landed in the table

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索 办件编号 / 姓名 / 身份证后4位 / 事项"))
        self.ctx = ctx
        self._asked = 0  # the newest search; older answers are dropped
        self.model = CaseTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open)
        self.table.activated.connect(self._open)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        """Search the cache off the UI thread (a department's cases can be many)."""
        if self.hidden_for_now():
            return
        self._asked += 1
        asked, search = self._asked, self.search.text()
        store, department = self.ctx.store, self.ctx.actor.department or ""
        run_in_background(lambda: find_cases(store, department, search),
                          lambda rows: self._loaded(asked, rows))

    def _loaded(self, asked: int, rows: list[CaseRow]) -> None:
        if not isValid(self) or asked != self._asked:
            return
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.loaded.emit()

    def _open(self, index) -> None:
        request_id = self.model.rows[index.row()].first_request_id
        if request_id:
            self.openRequest.emit(request_id)
