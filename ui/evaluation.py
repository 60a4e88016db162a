"""月度考核: overdue counts and on-time rates of one month, by department and by staff
member, and their export to Excel and CSV (written off the UI thread)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import reports
from app.reports import EVALUATION_DEPARTMENT_COLUMNS, EVALUATION_STAFF_COLUMNS, EvaluationReport
from ui.context import UiContext
from ui.dashboard import FiguresModel, FiguresTable, as_of_text, error_text
from ui.tasks import run_in_background

# -- seams (tests replace these) -------------------------------------------------------------


def choose_export_path(parent: QWidget | None, title: str, suggested: str,
                       kind: str) -> Path | None:
    """Where to write the export; None when the supervisor cancels."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    name, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested), kind)
    return Path(name) if name else None


def show_message(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


# -- the page ----------------------------------------------------------------------------------


class EvaluationPage(QWidget):
    loaded = Signal()  # figures (or a message saying why there are none) are on the screen
    exported = Signal(object)  # the Path written

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: EvaluationReport | None = None
        self._asked = 0  # answers to an earlier question are dropped
        self._busy = False

        self.month = QComboBox()
        today = reports.hall_today(ctx.store, ctx.now())
        for month in reports.recent_months(today):
            year, number = month.split("-")
            self.month.addItem(self.tr("%1年%2月").replace("%1", year)
                               .replace("%2", str(int(number))), month)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.excel_button = QPushButton(self.tr("导出 Excel…"))
        self.csv_button = QPushButton(self.tr("导出 CSV…"))
        self.as_of = QLabel()
        self.as_of.setProperty("role", "hint")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("考核月份：")))
        bar.addWidget(self.month)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.as_of)
        bar.addWidget(self.excel_button)
        bar.addWidget(self.csv_button)
        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.hide()
        self.note = QLabel()  # where the last export went
        self.note.setProperty("role", "hint")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.departments = FiguresModel(EVALUATION_DEPARTMENT_COLUMNS, self)
        self.staff = FiguresModel(EVALUATION_STAFF_COLUMNS, self)
        self.department_table = FiguresTable(self.departments)
        self.staff_table = FiguresTable(self.staff)
        split = QSplitter(Qt.Orientation.Vertical)
        for title, table in ((self.tr("按部门"), self.department_table),
                             (self.tr("按工作人员（超期多的在前）"), self.staff_table)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            split.addWidget(box)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)

        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.excel_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self._set_exportable(False)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.report is None and not self._busy:
            self.refresh()

    def busy(self) -> bool:
        return self._busy

    def select_month(self, month: str) -> None:
        """Show ``month`` ("2026-11"); fetched at once."""
        index = self.month.findData(month)
        if index == self.month.currentIndex():
            self.refresh()
        else:
            self.month.setCurrentIndex(index)  # which fetches

    # -- fetching ----------------------------------------------------------------------------

    def refresh(self) -> None:
        month = self.month.currentData()
        self._asked += 1
        asked = self._asked
        self._busy = True
        self.as_of.setText(self.tr("正在获取考核数据…"))
        client = self.ctx.client

        def done(report: EvaluationReport) -> None:
            if isValid(self) and asked == self._asked:
                self.show_report(report)

        def failed(error: BaseException) -> None:
            if isValid(self) and asked == self._asked:
                self.show_error(error)

        run_in_background(lambda: client.evaluation(month), done, failed)

    def show_report(self, report: EvaluationReport) -> None:
        self.report = report
        self._busy = False
        self.message.hide()
        self.department_table.set_rows(report.departments)
        self.staff_table.set_rows(report.staff)
        self.as_of.setText(as_of_text(report.as_of, report.offline))
        self._set_exportable(True)
        self.loaded.emit()

    def show_error(self, error: BaseException) -> None:
        self.report = None
        self._busy = False
        self.department_table.set_rows([])
        self.staff_table.set_rows([])
        self.as_of.setText("")
        self.message.setText(error_text(error, self.tr(
            "无法连接服务器，本机也没有这个月的考核缓存。联网后请点“刷新”。")))
        self.message.show()
        self._set_exportable(False)
        self.loaded.emit()

    def _set_exportable(self, exportable: bool) -> None:
        self.excel_button.setEnabled(exportable)
        self.csv_button.setEnabled(exportable)

    # -- exporting ---------------------------------------------------------------------------

    def export(self, form: str) -> None:
        """Ask where, then write the shown month as "xlsx" or "csv" off the UI thread."""
        report = self.report
        if report is None:
            return
        kind = self.tr("Excel 工作簿 (*.xlsx)") if form == "xlsx" else self.tr("CSV 文件 (*.csv)")
        path = choose_export_path(self, self.tr("导出月度考核"),
                                  f"月度考核-{report.month}.{form}", kind)
        if path is None:
            return
        from app import exports  # openpyxl is a tenth of the start-up; only exports need it

        write: Callable[[EvaluationReport, Path], None] = \
            exports.evaluation_xlsx if form == "xlsx" else exports.evaluation_csv
        self.note.setText(self.tr("正在导出…"))

        def done(_result) -> None:
            if isValid(self):
                self.note.setText(self.tr("已导出到 %1").replace("%1", str(path)))
                self.exported.emit(path)

        def failed(error: BaseException) -> None:
            if isValid(self):
                self.note.setText("")
                show_message(self, self.tr("导出失败"), self.tr(
                    "无法写入 %1：%2\n如果该文件正在 Excel 中打开，请先关闭它。")
                    .replace("%1", str(path)).replace("%2", str(error)))

        run_in_background(lambda: write(report, path), done, failed)
