"""The list pages' shared parts: read-only list models (rows a query returned, under
constant headers), and reading only while shown."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QShowEvent

from ui.i18n import tr

ROOT = QModelIndex()


class RowsModel(QAbstractTableModel):
    """``rows`` under ``HEADERS``, Chinese constants said through ui.i18n.tr (build.py puts
    them in its context: lupdate sees no literal there). Subclasses give ``data``."""

    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=ROOT) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[section])
        return None


class ReadsWhenShown:
    """Mixed into a page of the window's stack (before QWidget): a ``refresh()`` asked while
    the page is hidden waits until it shows. At start-up and after every sync only the page
    in front reads the cache: with 100,000 cached requests every page reading at once held
    the inbox's first paint back by seconds."""

    _missed_refresh = False

    def hidden_for_now(self) -> bool:
        """Call first in ``refresh()``: True, and remembered, while the page is hidden."""
        if self.isVisible():  # type: ignore[attr-defined]
            return False
        self._missed_refresh = True
        return True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)  # type: ignore[misc]
        missed, self._missed_refresh = self._missed_refresh, False
        self.shown(missed)

    def shown(self, missed_refresh: bool) -> None:
        if missed_refresh:
            self.refresh()  # type: ignore[attr-defined]
