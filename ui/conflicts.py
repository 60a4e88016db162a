"""冲突: operations the server refused, in plain words, with 知道了 and 重做.

An op made offline can lose to a colleague's (both signed the same request; one replied,
the other sent it back). Its local effect is already undone; this page says what was
refused, why, and what the item looks like on the server now. 重做 sends the same action
again against the current state (for actions on existing items); 知道了 puts it away.
One seam for tests: :func:`show_message`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.commands import parse_command
from app.domain.errors import Rejected
from app.notifications import ConflictRow, open_conflicts
from app.text import day_and_time
from ui.context import UiContext
from ui.i18n import say
from ui.style import ROW_HEIGHT
from ui.tables import RowsModel

# Said through ui.i18n.tr (build.py puts them in its context): lupdate sees no literal there.
HEADERS = ("时间", "未生效的操作", "办件 / 请求", "原因与现状", "服务器现状")
EXPLANATION = 3


def show_message(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the clerk why 重做 did not work (replaced in tests)."""
    QMessageBox.warning(parent, title, text)


class ConflictTableModel(RowsModel):
    HEADERS = HEADERS
    rows: list[ConflictRow]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return say((day_and_time(row.created_at), row.label, row.item, row.explanation,
                        row.server_state)[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None


class ConflictsPage(QWidget):
    countChanged = Signal(int)
    acted = Signal()  # 重做 queued a new op

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._count = 0
        heading = QLabel(self.tr("以下操作未能在服务器生效"))
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        hint = QLabel(self.tr(
            "多人同时办理同一事项时，先到达服务器的操作生效。下列操作到达时已不能办理，"
            "本机已恢复为服务器上的状态。\n"
            "请阅读原因：仍需办理的，选中后点「重做」按现在的状态再提交一次；"
            "无需再办的，点「知道了」。"))
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self.empty = QLabel(self.tr("没有未生效的操作。"))
        self.empty.setProperty("role", "hint")

        self.model = ConflictTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # Conflicts are few, so rows may grow to show the whole explanation.
        self.table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        for column, width in enumerate((116, 110, 200, 0, 96)):
            if column == EXPLANATION:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.table.setColumnWidth(column, width)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.dismiss_button = QPushButton(self.tr("知道了"))
        self.dismiss_button.setToolTip(self.tr("不再显示这条记录（操作本身不会再提交）"))
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.redo_button = QPushButton(self.tr("重做"))
        self.redo_button.clicked.connect(self.redo_selected)
        self.redo_why = QLabel()
        self.redo_why.setProperty("role", "hint")
        self.redo_why.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.redo_why, 1)
        buttons.addWidget(self.redo_button)
        buttons.addWidget(self.dismiss_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    # -- state ---------------------------------------------------------------------------

    def count(self) -> int:
        return len(self.model.rows)

    def refresh(self) -> None:
        selected = self.selected()
        self.model.set_rows(open_conflicts(self.ctx.store, self.ctx.actor, self.ctx.now()))
        self.table.resizeRowsToContents()
        keep = next((i for i, r in enumerate(self.model.rows)
                     if selected and r.op_id == selected.op_id), 0)
        if self.model.rows:
            self.table.selectRow(keep)
        self.empty.setVisible(not self.model.rows)
        self._selection_changed()
        if self.count() != self._count:
            self._count = self.count()
            self.countChanged.emit(self._count)

    def selected(self) -> ConflictRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    # -- actions -------------------------------------------------------------------------

    def dismiss_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.ctx.desk.dismiss_conflict(row.op_id)
            self.refresh()

    def redo_selected(self) -> None:
        """The same action again, as a new op, decided against the state the PC has now."""
        row = self.selected()
        if row is None or not row.can_redo:
            return
        try:
            command = parse_command(row.op_type, row.args)
            self.ctx.desk.act(command, row.entity_id)
        except Rejected as refusal:
            show_message(self, self.tr("无法重做"),
                         self.tr("「%1」现在仍不能办理：").replace("%1", say(row.label))
                         + say(refusal.message))
            return
        self.ctx.desk.dismiss_conflict(row.op_id)
        self.refresh()
        self.acted.emit()

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected()
        self.dismiss_button.setEnabled(row is not None)
        self.redo_button.setEnabled(row is not None and row.can_redo and not row.redo_blocked)
        why = ""  # said beside the buttons when 重做 is not possible
        if row is not None and not row.can_redo:
            why = self.tr("新建的办件或协同请求不能重做，如仍需要，请重新填写后提交。")
        elif row is not None and row.redo_blocked:
            why = self.tr("现在不能重做：") + say(row.redo_blocked)
        self.redo_why.setText(why)
        self.redo_button.setToolTip(why or self.tr("按现在的状态再提交一次同样的操作"))
