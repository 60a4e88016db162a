"""Look and feel shared by every screen: the CJK font, the deadline bands, spacing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

FONT_FAMILY = "Noto Sans CJK SC"
FONT_POINT_SIZE = 10
ROW_HEIGHT = 28  # fixed row height for every table: resizing rows to contents is slow


@dataclass(frozen=True)
class Band:
    """How urgent a deadline is. Never colour alone: each band has a symbol and a word."""

    key: str
    symbol: str
    label: str
    background: QColor
    foreground: QColor


NORMAL = Band("normal", "●", "正常", QColor("#e8f5e9"), QColor("#1b5e20"))
SOON = Band("soon", "▲", "不足1小时", QColor("#fff3e0"), QColor("#8a4b00"))
OVERDUE = Band("overdue", "■", "已超期", QColor("#ffebee"), QColor("#b71c1c"))
PAUSED = Band("paused", "‖", "已暂停", QColor("#eceff1"), QColor("#37474f"))
DONE = Band("done", "✓", "已完成", QColor("#f5f5f5"), QColor("#424242"))


def band_for(remaining: timedelta | None, running: bool) -> Band:
    """The band of a request: ``remaining`` is working time left (negative when overdue)."""
    if not running:
        return DONE if remaining is not None else PAUSED
    if remaining is None:
        return PAUSED
    if remaining <= timedelta(0):
        return OVERDUE
    if remaining < timedelta(hours=1):
        return SOON
    return NORMAL


def apply_style(app: QApplication) -> None:
    """Chinese first: Noto Sans CJK SC where installed (Windows falls back to 微软雅黑)."""
    families = set(QFontDatabase.families())
    for family in (FONT_FAMILY, "Microsoft YaHei", "PingFang SC"):
        if family in families:
            app.setFont(QFont(family, FONT_POINT_SIZE))
            break
    app.setStyleSheet("""
        QTableView { gridline-color: #e0e0e0; selection-background-color: #1565c0; }
        QHeaderView::section { padding: 4px; font-weight: bold; }
        QPushButton { padding: 4px 12px; }
        QLabel[role="error"] { color: #b71c1c; }
        QLabel[role="hint"] { color: #616161; }
    """)
