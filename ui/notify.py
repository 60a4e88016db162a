"""消息提醒: the one seam between WindowDesk and the OS tray.

A :class:`Notifier` shows a :class:`~app.notifications.Notice` and keeps the overdue count
on a badge. :func:`make_notifier` picks the OS tray where the desktop has one and an
in-app panel where it has not (offscreen, Xvfb, some Linux desktops); tests use
:class:`RecordingNotifier`. :class:`NotificationCenter` decides *when* to look (every 30 s,
and whenever sync delivers something); what to say is decided in ``app.notifications``.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, QRectF, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.notifications import Notice, due_notifications, mark_shown, overdue_count
from ui.context import UiContext
from ui.i18n import say
from ui.style import FONT_FAMILY, OVERDUE
from ui.tasks import run_in_background

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 30_000
MAX_BURST = 5  # more at once than this: the first few, then one summary
MESSAGE_MS = 8_000  # how long a tray balloon stays; the next one waits for it
PANEL_KEEP = 50  # messages the panel keeps

# Never colour alone: each kind has a symbol, and its title says what happened.
SYMBOLS = {"conflict": "⚠", "overdue": "■", "reminder": "▲", "urged": "◆",
           "replied": "✓", "new": "●", "rectification": "★", "summary": "…"}
URGENT = ("conflict", "overdue")


@runtime_checkable
class Notifier(Protocol):
    def show(self, notice: Notice) -> None: ...

    def set_overdue_count(self, n: int) -> None: ...


def make_notifier(parent: QObject | None = None) -> Notifier:
    """The OS tray when there is one (calibre creates its tray only then); otherwise the
    in-app panel, so no message is ever lost for want of a tray."""
    if QSystemTrayIcon.isSystemTrayAvailable():
        return TrayNotifier(parent)
    return PanelNotifier(parent if isinstance(parent, QWidget) else None)


def draw_icon(overdue: int = 0, size: int = 64) -> QIcon:
    """The app's mark (协 on blue) with a red badge carrying the overdue count."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor("#1565c0")))
    painter.drawRoundedRect(QRectF(2, 2, size - 4, size - 4), size * 0.18, size * 0.18)
    font = QFont(FONT_FAMILY)
    font.setPixelSize(int(size * 0.58))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "协")
    if overdue > 0:
        text = str(overdue) if overdue < 100 else "99+"
        badge = size * (0.5 if len(text) == 1 else 0.62)
        rect = QRectF(size - badge, 0, badge, size * 0.5)
        painter.setPen(QColor("white"))
        painter.setBrush(QBrush(OVERDUE.foreground))
        painter.drawRoundedRect(rect, size * 0.25, size * 0.25)
        font.setPixelSize(int(size * (0.36 if len(text) < 3 else 0.26)))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


def _overdue_words(n: int) -> str:
    return f"{OVERDUE.symbol} {n} 件已超期" if n else ""


class TrayNotifier(QObject):
    """The OS tray: balloons one after another, a badge with the overdue count. Clicking a
    balloon opens what it was about; clicking the icon opens the latest one (or just the
    window)."""

    activated = Signal(str, str)  # entity ("request"/"case"/"conflict" or ""), entity id

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = QSystemTrayIcon(self)
        self.menu = QMenu()  # a top-level menu: the tray owns no widget to parent it to
        self.menu.addAction(self.tr("打开一窗协同"), lambda: self.activated.emit("", ""))
        self.tray.setContextMenu(self.menu)
        self.tray.messageClicked.connect(self._message_clicked)
        self.tray.activated.connect(self._icon_activated)
        self._queue: deque[Notice] = deque()
        self._current: Notice | None = None
        self._latest: Notice | None = None
        self._next = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._next.timeout.connect(self._show_next)
        self.set_overdue_count(0)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()

    def show(self, notice: Notice) -> None:
        self._queue.append(notice)
        if not self._next.isActive():
            self._show_next()

    def set_overdue_count(self, n: int) -> None:
        self.overdue = n
        self.tray.setIcon(draw_icon(n))
        self.tray.setToolTip(self.tr("一窗协同") + (f" — {_overdue_words(n)}" if n else ""))

    def _show_next(self) -> None:
        if not self._queue:
            return
        notice = self._current = self._latest = self._queue.popleft()
        icon = (QSystemTrayIcon.MessageIcon.Warning if notice.kind in URGENT
                else QSystemTrayIcon.MessageIcon.Information)
        self.tray.showMessage(say(notice.title), say(notice.body), icon, MESSAGE_MS)
        self._next.start()

    def _message_clicked(self) -> None:
        if self._current is not None:
            self.activated.emit(self._current.entity, self._current.entity_id)

    def _icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            latest = self._latest
            self.activated.emit(latest.entity if latest else "",
                                latest.entity_id if latest else "")


class _Card(QFrame):
    """One message in the panel: the title in bold, the body wrapped, a click opens it."""

    clicked = Signal()

    def __init__(self, notice: Notice, arrived: str) -> None:
        super().__init__()
        self.notice = notice
        self.setObjectName("notificationCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        urgent = notice.kind in URGENT
        colour = OVERDUE.foreground.name() if urgent else "#0d47a1"
        background = "#fff8f8" if urgent else "white"
        self.setStyleSheet(
            f"#notificationCard {{ background: {background}; border: 1px solid #e0e0e0;"
            f" border-left: 4px solid {colour}; border-radius: 3px; }}"
            "#notificationCard:focus { border-color: #1565c0; }")
        self.title = QLabel(f"{SYMBOLS.get(notice.kind, '●')} {say(notice.title)}")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setStyleSheet(f"color: {colour};")
        self.title.setWordWrap(True)
        self.time = QLabel(arrived)
        self.time.setProperty("role", "hint")
        self.body = QLabel(say(notice.body))
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.time, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.body)
        self.setToolTip(self.tr("点击打开"))

    def text(self) -> str:
        return f"{self.title.text()}\n{self.body.text()}"

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)


class PanelNotifier(QFrame):
    """The same messages inside the application, for desktops without a tray: newest on
    top, a click opens the item. Without a parent it is a small always-on-top window in the
    screen's corner that comes up when a message arrives, without taking the focus away
    from the form the clerk is typing in."""

    activated = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(self.tr("消息提醒"))
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.overdue_label = QLabel()
        self.overdue_label.setStyleSheet(f"color: {OVERDUE.foreground.name()};")
        self.clear_button = QPushButton(self.tr("清空"))
        self.clear_button.clicked.connect(self.clear)
        self.hide_button = QPushButton(self.tr("收起"))
        self.hide_button.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.overdue_label)
        top.addStretch(1)
        top.addWidget(self.clear_button)
        top.addWidget(self.hide_button)
        self.cards = QVBoxLayout()
        self.cards.setSpacing(6)
        self.cards.addStretch(1)
        holder = QWidget()
        holder.setObjectName("notificationCards")
        holder.setLayout(self.cards)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(holder)
        self.empty = QLabel(self.tr("暂无新消息"))
        self.empty.setProperty("role", "hint")
        self.hint = QLabel(self.tr("点击一条消息即可打开对应事项"))
        self.hint.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.hint)
        self.set_overdue_count(0)
        self._update_empty()
        if parent is None:
            self.setWindowTitle(self.tr("一窗协同 — 消息提醒"))
            self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self.resize(420, 480)

    def show(self, notice: Notice | None = None) -> None:  # type: ignore[override]
        """Notifier.show: add a message and come up; without one, as QWidget.show."""
        if notice is None:
            self.reveal()
            return
        card = _Card(notice, QTime.currentTime().toString("HH:mm"))
        card.clicked.connect(lambda: self.activated.emit(notice.entity, notice.entity_id))
        self.cards.insertWidget(0, card)
        while self.cards.count() - 1 > PANEL_KEEP:  # the last item is the stretch
            self._remove(self.cards.count() - 2)
        self._update_empty()
        self.scroll.verticalScrollBar().setValue(0)
        self.reveal()

    def reveal(self) -> None:
        """Bring the panel up (in the screen's lower right when it is a window of its own)."""
        if self.isWindow() and not self.isVisible():
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                area = screen.availableGeometry()
                self.move(area.right() - self.width() - 16, area.bottom() - self.height() - 48)
        QWidget.show(self)

    def set_overdue_count(self, n: int) -> None:
        self.overdue = n
        self.overdue_label.setText(_overdue_words(n))
        self.setWindowIcon(draw_icon(n))

    def card_widgets(self) -> list[_Card]:
        """The messages shown, newest first."""
        return [self.cards.itemAt(i).widget() for i in range(self.cards.count() - 1)]

    def messages(self) -> list[str]:
        return [card.text() for card in self.card_widgets()]

    def clear(self) -> None:
        while self.cards.count() > 1:
            self._remove(0)
        self._update_empty()

    def _remove(self, index: int) -> None:
        widget = self.cards.takeAt(index).widget()
        widget.deleteLater()

    def _update_empty(self) -> None:
        self.empty.setVisible(self.cards.count() == 1)


class RecordingNotifier(QObject):
    """Keeps what it was told, as it was told (Chinese: no ``say``); tests read ``shown``
    and call :meth:`click`."""

    activated = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shown: list[Notice] = []
        self.overdue = 0

    def show(self, notice: Notice) -> None:
        self.shown.append(notice)

    def set_overdue_count(self, n: int) -> None:
        self.overdue = n

    def kinds(self) -> list[str]:
        return [n.kind for n in self.shown]

    def click(self, notice: Notice) -> None:
        self.activated.emit(notice.entity, notice.entity_id)


class NotificationCenter(QObject):
    """Looks for due notifications every 30 s and whenever sync brings something, shows
    each once (marked in the cache, so also once across restarts), keeps the overdue badge
    current and passes clicks on as ``openItem``. The look reads the whole cache, so it runs
    off the UI thread; one look at a time."""

    openItem = Signal(str, str)  # entity, entity id
    checked = Signal()  # after each look: the 超期督办 pop-up (ui/overdue.py) looks then too

    def __init__(self, ctx: UiContext, notifier: Notifier, *,
                 now: Callable[[], datetime] | None = None,
                 interval_ms: int = CHECK_INTERVAL_MS, look_now: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notifier = notifier
        self._now = now or ctx.now  # server-corrected; tests pass their own clock
        self._busy = self._again = False
        activated = getattr(notifier, "activated", None)
        if activated is not None:
            activated.connect(self.openItem)
        ctx.adapter.itemsArrived.connect(self.check)
        ctx.adapter.conflictsAdded.connect(self.check)
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        if look_now:  # what came while the app was closed
            QTimer.singleShot(0, self, self.check)

    def check(self, *_changed: object) -> None:
        """Look for what is due now and not shown yet; it is shown when the look lands."""
        if self._busy:
            self._again = True  # asked again meanwhile: look once more with the newest time
            return
        self._busy = True
        store, actor, now = self.ctx.store, self.ctx.actor, self._now()
        run_in_background(lambda: _look(store, actor, now), self._show, self._failed)

    def busy(self) -> bool:
        """A look is running or waiting to run."""
        return self._busy or self._again

    def _show(self, found: tuple[list[Notice], int]) -> None:
        if not isValid(self):  # closed while the look ran
            return
        notices, overdue = found
        shown = notices
        if len(notices) > MAX_BURST:
            rest = len(notices) - (MAX_BURST - 1)
            shown = [*notices[:MAX_BURST - 1], Notice(
                "", "summary", self.tr("另有 %n 条新消息", "", rest),
                self.tr("请查看收件箱、已发起和冲突页。"), "", "")]
        try:
            for notice in shown:
                self.notifier.show(notice)
            self.notifier.set_overdue_count(overdue)
        except Exception:  # a notification must never take the counter down
            log.exception("showing notifications failed")
        self._landed()

    def _failed(self, error: BaseException) -> None:
        log.error("checking notifications failed", exc_info=error)
        if isValid(self):
            self._landed()

    def _landed(self) -> None:
        self._busy = False
        self.checked.emit()
        if self._again:
            self._again = False
            self.check()

    def stop(self) -> None:
        self.timer.stop()


def _look(store, actor, now: datetime) -> tuple[list[Notice], int]:
    """What is due and the overdue count, read off the UI thread. Marked as shown at once:
    a notifier that fails must not make a message repeat forever."""
    notices = due_notifications(store, actor, now, worded=MAX_BURST)
    if notices:
        mark_shown(store, [n.key for n in notices], now)
    return notices, overdue_count(store, actor, now)
