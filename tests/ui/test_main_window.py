"""The clerk's window end to end: two counters, a request travels and comes back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QPushButton

from app.domain.enums import RequestState
from app.store import models as m
from tests.support.server import VALID_ID
from ui.actions import Confirmation, ConfirmDialog, ReplyDialog, TextWithFiles
from ui.app import install_translations
from ui.main_window import MainWindow
from ui.notify import RecordingNotifier

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def window(qtbot, session):
    def make(username: str) -> MainWindow:
        ctx = session(username)
        notifier = RecordingNotifier()
        win = MainWindow(ctx, notifier)
        win.notifier = notifier
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        return win

    return make


def sync(*windows: MainWindow) -> None:
    for win in windows:
        assert win.ctx.client.engine.sync_once().ok
        win._refresh_lists()


def press(qtbot, widget, text: str) -> None:
    button = next(b for b in widget.findChildren(QPushButton)
                  if b.text() == text and b.isVisible())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_navigation_title_and_status_bar(window, qtbot):
    win = window("bdc01")
    assert "陈晓燕" in win.windowTitle() and "不动产登记中心" in win.windowTitle()
    labels = [win.nav.item(i).text() for i in range(win.nav.count())]
    assert labels[:4] == ["收件箱", "已发起", "受理登记", "办件查询"]
    assert win.nav.item(4).isHidden()  # 冲突 only when there are conflicts
    win.show_status(win.ctx.client.engine.status())
    assert "在线" in win.link.text() and "无待上传操作" in win.pending.text()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_F2)
    assert win.pages.currentWidget() is win.intake


def test_a_request_travels_from_intake_to_the_other_counter_and_back(window, qtbot,
                                                                     tmp_path: Path,
                                                                     monkeypatch):
    bdc, tax = window("bdc01"), window("tax01")

    # 受理登记 at the real-estate window, with a request to the tax office
    bdc.new_intake()
    form = bdc.intake
    form.name.insert("张三")
    form.id_number.insert(VALID_ID)
    form.phone.insert("13800138000")
    form.select_matter("bdc-transfer-secondhand")
    form.set_lead("tax", "契税完税证明")
    form.submit_and_collaborate()
    sync(bdc, tax)

    # the tax inbox shows it with a countdown; the liaison opens, accepts and replies
    rows = tax.inbox.model
    qtbot.waitUntil(lambda: rows.rowCount() >= 1, timeout=10_000)
    request_id = rows.request_id(0)
    assert "剩余" in rows.index(0, 0).data()
    tax.open_request(request_id)
    press(qtbot, tax.detail, "签收")
    sync(tax)
    scan = tmp_path / "完税证明.pdf"
    scan.write_bytes(PDF)
    ref = tax.ctx.desk.add_attachment(scan)
    monkeypatch.setattr(ReplyDialog, "ask", classmethod(
        lambda cls, *a, **k: TextWithFiles("完税证明已开具，见附件", (ref,))))
    press(qtbot, tax.detail, "回复/办结")
    sync(tax, bdc)

    # the requester sees the reply and confirms with a rating
    with bdc.ctx.store.read() as s:
        request = s.get(m.CollabRequest, request_id)
        assert request.state == RequestState.REPLIED
        assert request.data["reply_attachments"] == [ref.sha256]
    bdc.open_request(request_id)
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, *a, **k: Confirmation(5, "很及时")))
    press(qtbot, bdc.detail, "确认并评价")
    sync(bdc, tax)
    with tax.ctx.store.read() as s:
        assert s.get(m.CollabRequest, request_id).state == RequestState.CONFIRMED
    kinds = [n.kind for n in bdc.notifier.shown] + [n.kind for n in tax.notifier.shown]
    assert "new" in kinds and "replied" in kinds


def test_english_comes_from_the_qt_translation(window, qapp):
    before = set(qapp.findChildren(QTranslator))
    install_translations(qapp, "en")
    try:
        win = window("tax01")
        labels = [win.nav.item(i).text() for i in range(4)]
        assert labels == ["Inbox", "Sent", "Intake", "Cases"]
        assert "WindowDesk" in win.windowTitle()
        model = win.inbox.model
        assert model.headerData(0, Qt.Orientation.Horizontal) == "Time left"
        assert any(b.text().startswith("To accept") for b in win.inbox.findChildren(QPushButton))
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            QCoreApplication.removeTranslator(translator)
