"""The clerk's window end to end: two counters, a request travels and comes back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QPushButton

import ui.detail
from app.domain.enums import RequestState
from app.store import models as m
from tests.support.server import VALID_ID
from ui.actions import Confirmation, ConfirmDialog, ReplyDialog, TextWithFiles
from ui.app import install_translations
from ui.main_window import MainWindow
from ui.notify import PanelNotifier, RecordingNotifier

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
CJK = re.compile(r"[\u4e00-\u9fff]")


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
    # the notifications are looked for off the UI thread, after each sync
    qtbot.waitUntil(lambda: not bdc.notifications.busy() and not tax.notifications.busy(),
                    timeout=10_000)
    kinds = [n.kind for n in bdc.notifier.shown] + [n.kind for n in tax.notifier.shown]
    assert "new" in kinds and "replied" in kinds


@pytest.fixture
def english(qapp):
    before = set(qapp.findChildren(QTranslator))
    install_translations(qapp, "en")
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        QCoreApplication.removeTranslator(translator)


def no_chinese(text: str, *data: str) -> bool:
    """Nothing Chinese left once ``data`` is taken out: names, subjects and matters are the
    hall's data and stay as they are in every language."""
    for value in data:
        text = text.replace(value, "")
    return not CJK.search(text)


def test_english_comes_from_the_qt_translation(window, english):
    win = window("tax01")
    labels = [win.nav.item(i).text() for i in range(4)]
    assert labels == ["Inbox", "Sent", "Intake", "Cases"]
    assert "WindowDesk" in win.windowTitle()
    model = win.inbox.model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Time left"
    assert win.cases.model.headerData(0, Qt.Orientation.Horizontal) == "Case no."
    assert win.conflicts.model.headerData(1, Qt.Orientation.Horizontal) == "Action not applied"
    assert any(b.text().startswith("To accept") for b in win.inbox.findChildren(QPushButton))


def test_texts_app_builds_are_english_too(window, english, qtbot, monkeypatch):
    bdc, tax = window("bdc01"), window("tax01")
    case_id = bdc.ctx.desk.register_case(
        matter_code="bdc-transfer-secondhand", citizen_name="张三", citizen_id_number=VALID_ID,
        citizen_phone="13800138000", channel="window", category="general")
    request_id = bdc.ctx.desk.send_request(case_id, to_department="tax", role="assisting",
                                           subject="完税证明", needed="契税完税证明")
    sync(bdc, tax)
    data = ("不动产登记中心", "税务局", "陈晓燕", "契税完税证明", "完税证明", "二手房转移登记",
            "张三")

    # the status bar's link word
    bdc.show_status(bdc.ctx.client.engine.status())
    assert "Online" in bdc.link.text() and no_chinese(bdc.link.text())

    # the timeline: verbs and details
    bdc.open_request(request_id)
    rows = {row[2]: row[3] for row in bdc.detail.timeline.texts()}
    assert rows["Intake"].startswith("Case no. ") and no_chinese(rows["Intake"])
    assert "needed: 契税完税证明" in rows["Send request"]
    assert no_chinese(rows["Send request"], *data)

    # a notification, as the panel shows it (the recorder keeps the Chinese it was told)
    tax.notifications.check()
    qtbot.waitUntil(lambda: not tax.notifications.busy(), timeout=10_000)
    [notice] = [n for n in tax.notifier.shown if n.kind == "new"]
    assert notice.title == "新的协同请求"
    panel = PanelNotifier()
    qtbot.addWidget(panel)
    panel.show(notice)
    title, body = panel.messages()[0].split("\n", 1)
    assert title.endswith("New request") and "Please answer by" in body
    assert no_chinese(title) and no_chinese(body, *data)

    # the state machine's refusal, in the detail's dialog
    tax.open_request(request_id)
    tax.ctx.desk.accept(request_id)  # done elsewhere: the screen still offers it
    said = []
    monkeypatch.setattr(ui.detail, "show_message",
                        lambda parent, title, text: said.append((title, text)))
    qtbot.mouseClick(tax.detail.action_buttons["签收"], Qt.MouseButton.LeftButton)
    assert said == [("Cannot Accept",
                      'This request is "In progress" now: "Accept" is not possible')]

    # a field check and the expected completion, beside the intake fields
    bdc.new_intake()
    qtbot.keyClicks(bdc.intake.id_number, VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"))
    assert bdc.intake.id_message.text().startswith("The check digit is wrong")
    bdc.intake.select_matter("bdc-transfer-secondhand")
    assert bdc.intake.expected.text().startswith("Expected completion: ")
    assert no_chinese(bdc.intake.expected.text())
