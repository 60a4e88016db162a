"""统计: a department leader's dashboard — figures per department for a period, the
leaderboard (比学赶超), and charts of the daily volume and on-time rate.

The figures come from the server through ``Client.stats`` off the UI thread; when the
server cannot be reached the last snapshot in the cache is shown, with the time the server
computed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QMargins,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import reports
from app.reports import (
    DEPARTMENT_COLUMNS,
    LEADERBOARD_COLUMNS,
    Column,
    Kind,
    NothingCached,
    Preset,
    StatsReport,
)
from sync.transport import NeedsLogin, Refused
from ui.context import UiContext
from ui.i18n import tr
from ui.style import ROW_HEIGHT
from ui.tasks import run_in_background

ROOT = QModelIndex()
RECEIVED_COLOUR, REPLIED_COLOUR, RATE_COLOUR = "#90a4ae", "#1565c0", "#2e7d32"
# Texts both report pages show, in one context of their own: a widget's self.tr() takes
# the context of the widget's class, and lupdate reads these literal calls.
translate = QCoreApplication.translate
MAX_LABELS = 7  # dates under a chart


# -- tables ------------------------------------------------------------------------------------


class FiguresModel(QAbstractTableModel):
    """Rows of figures (anything with ``value(key)``) under a column list of
    :mod:`app.reports`. Sorting sorts by the figures themselves, missing ones last."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=ROOT) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.columns[section].header)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return reports.display(self.rows[index.row()].value(column.key), column.kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind is not Kind.TEXT:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].key
        present = [r for r in self.rows if r.value(key) is not None]
        missing = [r for r in self.rows if r.value(key) is None]
        present.sort(key=lambda r: r.value(key),
                     reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        self.rows = present + missing
        self.layoutChanged.emit()


class LeaderboardModel(FiguresModel):
    """The leaderboard, with the first and the last said in words, not by colour alone."""

    def columnCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns) + 1

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if section == len(self.columns):
            is_label = orientation == Qt.Orientation.Horizontal and \
                role == Qt.ItemDataRole.DisplayRole
            return self.tr("标记") if is_label else None
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.rows[index.row()]
        if index.column() < len(self.columns):
            if role == Qt.ItemDataRole.ForegroundRole and entry.last:
                return QColor("#b71c1c")
            return super().data(index, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("★ 领先") if entry.first else self.tr("▼ 需加油") if entry.last \
                else ""
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#1b5e20" if entry.first else "#b71c1c")
        return None


class FiguresTable(QTableView):
    """A read-only table of figures. New rows keep the order the supervisor sorted by (or
    the server's); spare width is shared by all columns, so a row reads straight across."""

    def __init__(self, model: FiguresModel, *, sortable: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.verticalHeader().hide()
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(sortable)
        self._natural: list[int] = []  # each column's width for its contents

    def set_rows(self, rows: Sequence[Any]) -> None:
        model, header = self.model(), self.horizontalHeader()
        model.set_rows(rows)
        if self.isSortingEnabled() and header.sortIndicatorSection() >= 0:
            model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.resizeColumnsToContents()
        self._natural = [header.sectionSize(i) + 12 for i in range(header.count())]
        self._spread()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._spread()

    def _spread(self) -> None:
        if not self._natural:
            return
        extra = max(0, self.viewport().width() - sum(self._natural)) // len(self._natural)
        for section, width in enumerate(self._natural):
            self.horizontalHeader().resizeSection(section, width + extra)


# -- charts ------------------------------------------------------------------------------------


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(0, 0, 0, 0))
    chart.setBackgroundRoundness(0)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(300, 240)
    return chart, view


def _x_axis(labels: list[str]) -> QBarCategoryAxis:
    """At most MAX_LABELS of the labels, evenly spaced: a month of dates side by side would
    overlap, and Qt hides the outermost labels when they are turned. The others are blank
    but distinct (zero-width spaces), as a category axis takes each name once."""
    step = -(-len(labels) // MAX_LABELS)
    axis = QBarCategoryAxis()
    axis.append([label if i % step == 0 else "\u200b" * (i + 1)
                 for i, label in enumerate(labels)])
    axis.setTruncateLabels(False)  # a label is wider than its bar; its neighbours are blank
    return axis


class Charts(QWidget):
    """每日收件量 (bars: received, replied) and 每日按时率 (a line, 0–100 %)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.volume, volume_view = _chart(self.tr("每日收件与回复"))
        self.rate, rate_view = _chart(self.tr("每日按时率"))
        self.rate.legend().hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(volume_view)
        layout.addWidget(rate_view)

    def clear(self) -> None:
        for chart in (self.volume, self.rate):
            chart.removeAllSeries()
            for axis in chart.axes():
                chart.removeAxis(axis)

    def show_report(self, report: StatsReport) -> None:
        points = reports.chart_points(report.daily)
        labels = [p.label for p in points]
        self.clear()

        received, replied = QBarSet(self.tr("收件")), QBarSet(self.tr("回复"))
        received.setColor(QColor(RECEIVED_COLOUR))
        replied.setColor(QColor(REPLIED_COLOUR))
        for point in points:
            received.append(point.received)
            replied.append(point.replied)
        bars = QBarSeries()
        bars.append([received, replied])
        self.volume.addSeries(bars)
        top = max([p.received for p in points] + [p.replied for p in points] + [1])
        count_axis = QValueAxis()
        count_axis.setRange(0, top)
        count_axis.applyNiceNumbers()  # 0, 5, 10 … rather than 0, 5.8, 11.6 …
        count_axis.setLabelFormat("%d")
        self._attach(self.volume, bars, _x_axis(labels), count_axis)

        line = QLineSeries()
        line.setName(self.tr("按时率"))
        line.setColor(QColor(RATE_COLOUR))
        line.setPointsVisible(True)  # a day alone between days without replies still shows
        for i, point in enumerate(points):
            if point.on_time_rate is not None:
                line.append(i, point.on_time_rate * 100)
        self.rate.addSeries(line)
        percent_axis = QValueAxis()
        percent_axis.setRange(0, 100)
        percent_axis.setLabelFormat("%d%%")
        percent_axis.setTickCount(6)
        self._attach(self.rate, line, _x_axis(labels), percent_axis)

    @staticmethod
    def _attach(chart: QChart, series, x_axis, y_axis) -> None:
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)


# -- the page ----------------------------------------------------------------------------------


class DashboardPage(QWidget):
    loaded = Signal()  # figures (or a message saying why there are none) are on the screen

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: StatsReport | None = None
        self._asked = 0  # answers to an earlier question are dropped
        self._busy = False

        self.presets = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("统计区间：")))
        for preset in Preset:
            button = QPushButton(tr(preset.label))
            button.setCheckable(True)
            self.presets.addButton(button)
            button.setProperty("preset", preset.value)
            bar.addWidget(button)
        self.start = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.end = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        bar.addWidget(self.start)
        bar.addWidget(QLabel(self.tr("至")))
        bar.addWidget(self.end)
        self.refresh_button = QPushButton(self.tr("刷新"))
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        self.as_of = QLabel()
        self.as_of.setProperty("role", "hint")
        bar.addWidget(self.as_of)
        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.hide()

        self.departments = FiguresModel(DEPARTMENT_COLUMNS, self)
        self.table = FiguresTable(self.departments)
        self.leaderboard = LeaderboardModel(LEADERBOARD_COLUMNS, self)
        self.board = FiguresTable(self.leaderboard, sortable=False)  # a ranking has one order
        rule = QLabel(self.tr("按按时率排名，相同时用时短者在前；用时为工作小时。"))
        rule.setProperty("role", "hint")
        rule.setWordWrap(True)
        board_box = QGroupBox(self.tr("排行榜（比学赶超）"))
        board_layout = QVBoxLayout(board_box)
        board_layout.addWidget(self.board)
        board_layout.addWidget(rule)
        self.charts = Charts()
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(board_box)
        lower.addWidget(self.charts)
        lower.setSizes([420, 700])  # the leaderboard's columns, the rest to the charts
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([320, 400])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self._custom_edit = QTimer(self, singleShot=True, interval=400)
        self._custom_edit.timeout.connect(self.refresh)
        self.presets.buttonClicked.connect(lambda _button: self._choose_preset())
        self.start.dateChanged.connect(self._dates_edited)
        self.end.dateChanged.connect(self._dates_edited)
        self.refresh_button.clicked.connect(self.refresh)
        self.select_preset(Preset.MONTH, load=False)

    # -- the period --------------------------------------------------------------------------

    def preset(self) -> Preset:
        return Preset(self.presets.checkedButton().property("preset"))

    def select_preset(self, preset: Preset, *, load: bool = True) -> None:
        for button in self.presets.buttons():
            button.setChecked(button.property("preset") == preset.value)
        self._choose_preset(load=load)

    def set_period(self, start: date, end: date) -> None:
        """A custom period (自定义), fetched at once."""
        self.select_preset(Preset.CUSTOM, load=False)
        self._show_dates(start, end)
        self.refresh()

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def _choose_preset(self, *, load: bool = True) -> None:
        preset = self.preset()
        custom = preset is Preset.CUSTOM
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if not custom:
            today = reports.hall_today(self.ctx.store, self.ctx.now())
            self._show_dates(*reports.preset_period(preset, today))
        if load:
            self.refresh()

    def _show_dates(self, start: date, end: date) -> None:
        for edit, day in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _dates_edited(self) -> None:
        if self.preset() is Preset.CUSTOM:
            self._custom_edit.start()  # typing a date changes it digit by digit

    # -- fetching ----------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.report is None and not self._busy:
            self._choose_preset()  # "this month" moves on while the window stays open

    def busy(self) -> bool:
        return self._busy

    def refresh(self) -> None:
        start, end = self.period()
        self._asked += 1
        asked = self._asked
        self._busy = True
        self.as_of.setText(self.tr("正在获取统计…"))
        client = self.ctx.client

        def done(report: StatsReport) -> None:
            if isValid(self) and asked == self._asked:
                self.show_report(report)

        def failed(error: BaseException) -> None:
            if isValid(self) and asked == self._asked:
                self.show_error(error)

        run_in_background(lambda: client.stats(start, end), done, failed)

    def show_report(self, report: StatsReport) -> None:
        self.report = report
        self._busy = False
        self.message.hide()
        self.table.set_rows(report.departments)
        self.board.set_rows(report.leaderboard)
        self.charts.show_report(report)
        period = self.tr("%1 至 %2").replace("%1", str(report.start)).replace("%2", str(report.end))
        self.as_of.setText(period + "　" + as_of_text(report.as_of, report.offline))
        self.loaded.emit()

    def show_error(self, error: BaseException) -> None:
        self.report = None
        self._busy = False
        self.table.set_rows([])
        self.board.set_rows([])
        self.charts.clear()
        self.as_of.setText("")
        self.message.setText(error_text(error, self.tr(
            "无法连接服务器，本机也没有这段时间的统计缓存。联网后请点“刷新”。")))
        self.message.show()
        self.loaded.emit()


def as_of_text(as_of: datetime, offline: bool) -> str:
    """"数据截至 11月23日 14:05", and "（离线，显示缓存）" for cached figures."""
    text = translate("Reports", "数据截至 %1月%2日 %3").replace("%1", str(as_of.month)) \
        .replace("%2", str(as_of.day)).replace("%3", f"{as_of:%H:%M}")
    return text + translate("Reports", "（离线，显示缓存）") if offline else text


def error_text(error: BaseException, nothing_cached: str) -> str:
    """Why there are no figures, in the supervisor's words."""
    if isinstance(error, Refused) and error.status == 403:
        return translate("Reports", "只有部门领导和管理员可以查看统计")
    if isinstance(error, Refused):
        return error.message  # the server's own sentence (a bad period, …)
    if isinstance(error, NothingCached):
        return nothing_cached
    if isinstance(error, NeedsLogin):
        return translate("Reports", "登录已失效，请重新登录后再刷新")
    reason = str(error) or type(error).__name__
    return translate("Reports", "无法获取数据：%1").replace("%1", reason)

