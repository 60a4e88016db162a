"""好差评 and 差评整改 in the desktop, against a real server: a 非常不满意 rating opens a
rectification with a deadline of five working days; the answering department lists it under
办理不满意 with a countdown and is told once; the rater may 重新办理; a satisfied callback
closes it on both sides; an appeal is decided by the department's leader, and an upheld one
annuls the rating, so it can no longer be reopened. The dialogs check their input in place."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app import local
from app.domain.enums import RectificationState, RequestState
from app.store import models as m
from app.unsatisfied import UnsatisfiedRow
from tests.support.server import VALID_ID
from ui.actions import (
    CallbackRecord,
    Confirmation,
    ConfirmDialog,
    DecideAppealDialog,
    ReasonDialog,
    RectificationCallbackDialog,
)
from ui.main_window import MainWindow
from ui.notify import RecordingNotifier
from ui.unsatisfied import Column

RS = RectificationState
LEFT = Qt.MouseButton.LeftButton
INTAKE = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
              citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
              category="general", description="二手房过户")


@pytest.fixture
def window(qtbot, session):
    def make(username: str) -> MainWindow:
        notifier = RecordingNotifier()
        win = MainWindow(session(username), notifier)
        win.notifier = notifier
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        return win

    return make


def sync(*windows: MainWindow) -> None:
    for win in windows:
        summary = win.ctx.client.engine.sync_once()
        assert summary.ok and not summary.rejected, summary
        win._refresh_lists()


def answered(bdc: MainWindow, tax: MainWindow) -> str:
    """bdc01 asks the tax office for a certificate; tax01 accepts and replies."""
    case_id = bdc.ctx.desk.register_case(**INTAKE)
    request_id = bdc.ctx.desk.send_request(case_id, to_department="tax", role="assisting",
                                           subject="完税证明", needed="契税完税证明")
    sync(bdc, tax)
    tax.ctx.desk.accept(request_id)
    tax.ctx.desk.reply(request_id, "完税证明已开具")
    sync(tax, bdc)
    return request_id


def act(qtbot, win: MainWindow, label: str) -> None:
    """Press an action button of the request detail and wait for the action to be done."""
    with qtbot.waitSignal(win.detail.acted, timeout=5000):
        qtbot.mouseClick(win.detail.action_buttons[label], LEFT)


def rate(qtbot, monkeypatch, win: MainWindow, request_id: str, answer: Confirmation) -> None:
    win.open_request(request_id)
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: answer))
    act(qtbot, win, "确认并评价")


def listed(qtbot, win: MainWindow) -> dict[str, UnsatisfiedRow]:
    """The 办理不满意 rows by request, once the page (shown: hidden pages do not read) has
    read (the server is shared by the module's tests: earlier requests may be listed too)."""
    to_page(win)
    page = win.unsatisfied
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    return {row.request_id: row for row in page.model.rows}


def cell(win: MainWindow, request_id: str, column: Column) -> str:
    model = win.unsatisfied.model
    return model.data(model.index(model.row_of(request_id), column))


def to_page(win: MainWindow) -> None:
    win.nav.setCurrentRow(win.pages.indexOf(win.unsatisfied))


def rectification(win: MainWindow, request_id: str):
    with win.ctx.store.read() as session:
        return local.load_request(session, request_id).rectification


def test_a_very_unsatisfied_rating_is_rectified_after_a_callback(window, qtbot, monkeypatch):
    bdc, tax = window("bdc01"), window("tax01")
    assert "办理不满意" in [bdc.nav.item(i).text() for i in range(bdc.nav.count())]
    request_id = answered(bdc, tax)

    # 非常不满意, with what was unsatisfactory, through the detail's button
    rate(qtbot, monkeypatch, bdc, request_id,
         Confirmation(1, "等了两个小时，窗口态度生硬", ("efficiency", "attitude")))
    assert bdc.detail.rectification is not None  # the section is there at once, unsent
    mine = listed(qtbot, bdc)[request_id]
    assert not mine.receiving and mine.may_reopen
    assert cell(bdc, request_id, Column.PARTY) == "税务局（整改方）"
    sync(bdc, tax)

    # tax01's 办理不满意: the countdown, and the deadline five working days on
    row = listed(qtbot, tax)[request_id]
    opened = rectification(tax, request_id).opened_at
    with tax.ctx.store.read() as session:
        calendar = local.context(session, opened, "").calendar
    due = calendar.add_working_days(opened, 5).astimezone(calendar.tz)
    assert row.due_at == due and row.state is RS.OPEN and row.receiving
    assert cell(tax, request_id, Column.COUNTDOWN).startswith("● 剩余 ")
    assert cell(tax, request_id, Column.DUE) == f"{due:%m-%d %H:%M}"
    assert cell(tax, request_id, Column.STATE) == "整改中"
    assert cell(tax, request_id, Column.RATING) == "★☆☆☆☆ 非常不满意"
    assert cell(tax, request_id, Column.PARTY) == "不动产登记中心（评价方）"
    assert cell(tax, request_id, Column.CITIZEN) == "张三 110***********002X"
    assert cell(tax, request_id, Column.ASPECTS) == "服务效率、服务态度"
    assert cell(tax, request_id, Column.REASON) == "等了两个小时，窗口态度生硬"
    assert row.may_reopen is False

    # …and is told once, with the deadline
    for _ in range(2):  # looked for twice (off the UI thread), told once
        tax.notifications.check()
        qtbot.waitUntil(lambda: not tax.notifications.busy(), timeout=10_000)
    [told] = [n for n in tax.notifier.shown
              if n.kind == "rectification" and n.entity_id == request_id]
    assert told.title == "差评整改" and "前整改并回访" in told.body
    assert f"{due.month}月{due.day}日 {due:%H:%M}" in told.body

    # the rater asks for it to be done again (重新办理), from its own 办理不满意 page
    to_page(bdc)
    assert bdc.unsatisfied.select_request(request_id)
    assert bdc.detail.request_id == request_id  # selecting a row opens its detail
    assert bdc.unsatisfied.reopen_button.isEnabled()
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(
        lambda cls, *a, **k: "请补充增值税完税证明"))
    with qtbot.waitSignal(bdc.unsatisfied.acted, timeout=5000):
        qtbot.mouseClick(bdc.unsatisfied.reopen_button, LEFT)
    sync(bdc, tax)
    with tax.ctx.store.read() as session:
        assert session.get(m.CollabRequest, request_id).state == RequestState.REOPENED
    row = listed(qtbot, tax)[request_id]  # the rectification goes on
    assert row.state is RS.OPEN

    # tax01 opens it from the list and records a callback in which the citizen is satisfied
    to_page(tax)
    assert tax.unsatisfied.select_request(request_id)
    assert tax.detail.request_id == request_id
    assert "整改回访" in tax.detail.visible_actions() and "申诉" in tax.detail.visible_actions()
    record = CallbackRecord("约谈经办人，当场补开证明", "李婷", tax.ctx.now(), "satisfied",
                            "申请人表示满意")
    monkeypatch.setattr(RectificationCallbackDialog, "ask",
                        classmethod(lambda cls, *a, **k: record))
    act(qtbot, tax, "整改回访")
    assert request_id not in listed(qtbot, tax)  # it leaves the open list at once
    sync(tax, bdc)

    for win in (tax, bdc):
        win.open_request(request_id)
        assert win.detail.rectification.state is RS.RECTIFIED
        assert win.detail.rectification_countdown.text().startswith("✓ 已整改")
        [call] = win.detail.rectification.calls
        assert (call.called_by, call.outcome, call.closes) == ("李婷", "满意", True)
        assert request_id not in listed(qtbot, win)
    tax.unsatisfied.include_closed.setChecked(True)
    assert listed(qtbot, tax)[request_id].state is RS.RECTIFIED
    assert cell(tax, request_id, Column.COUNTDOWN) == "✓ 已整改"


def test_an_appeal_upheld_by_the_leader_annuls_the_rating(window, qtbot, monkeypatch):
    bdc, tax, lead = window("bdc01"), window("tax01"), window("tax-lead")
    request_id = answered(bdc, tax)
    rate(qtbot, monkeypatch, bdc, request_id, Confirmation(2, "材料不对", ("competence",)))
    sync(bdc, tax)

    # tax01 appeals: the rating concerned another window
    tax.open_request(request_id)
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(
        lambda cls, *a, **k: "申请人评价的是其他窗口的服务"))
    act(qtbot, tax, "申诉")
    row = listed(qtbot, tax)[request_id]
    assert row.state is RS.APPEALED and row.remaining is not None  # the deadline runs on
    assert "申诉期间整改期限照常计算" in tax.detail.rectification_countdown.text()
    assert "申诉裁决" not in tax.detail.visible_actions()  # a liaison does not decide
    sync(tax, lead)

    # the tax department's leader upholds it
    assert listed(qtbot, lead)[request_id].state is RS.APPEALED
    lead.open_request(request_id)
    assert "申诉裁决" in lead.detail.visible_actions()
    monkeypatch.setattr(DecideAppealDialog, "ask", classmethod(
        lambda cls, *a, **k: (True, "核实为误评，予以撤销")))
    act(qtbot, lead, "申诉裁决")
    sync(lead, tax, bdc)

    for win in (tax, bdc):
        win.open_request(request_id)
        rect = win.detail.rectification
        assert rect.state is RS.ANNULLED and rect.verdict == "申诉成立，差评撤销"
        assert rect.decided_by == "刘海峰" and rect.appeal_reason == "申请人评价的是其他窗口的服务"
        assert win.detail.rectification_countdown.text().startswith("✓ 申诉成立")
        assert request_id not in listed(qtbot, win)
    assert "重新办理" not in bdc.detail.visible_actions()
    to_page(bdc)
    bdc.unsatisfied.include_closed.setChecked(True)
    row = listed(qtbot, bdc)[request_id]
    assert row.state is RS.ANNULLED and row.may_reopen is False
    bdc.unsatisfied.select_request(request_id)
    assert not bdc.unsatisfied.reopen_button.isEnabled()


# -- the dialogs ---------------------------------------------------------------------------


def shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_good_rating_ticks_what_was_good(qtbot):
    dialog = shown(qtbot, ConfirmDialog(None))
    dialog.levels.button(5).setChecked(True)
    assert dialog.aspects.title().startswith("满意的方面")
    assert dialog.comment_label.text() == "评价意见（选填）"
    dialog.indicators["overall"].setChecked(True)
    dialog.indicators["attitude"].setChecked(True)
    dialog.levels.button(1).setChecked(True)  # changing one's mind keeps the ticks
    assert dialog.comment_label.text() == "不满意的原因（必填）"
    assert dialog.value().indicators == ("overall", "attitude")


def test_the_callback_needs_measures_a_caller_and_an_outcome(qtbot):
    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 24, 15, 20, 45, tzinfo=tz)
    opened = now - timedelta(days=1, seconds=30)
    dialog = shown(qtbot, RectificationCallbackDialog(None, caller="李婷", now=now,
                                                      opened_at=opened, tz=tz))
    assert dialog.called_by.text() == "李婷"
    assert dialog.value().called_at == now  # now, to the second
    dialog.called_at.setDateTime(dialog.called_at.dateTime().addDays(3))
    assert dialog.value().called_at == now  # never in the future
    dialog.called_at.setDateTime(dialog.called_at.dateTime().addDays(-5))
    assert dialog.value().called_at == opened  # nor before the rating

    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "整改措施" in dialog.error.text()
    dialog.measures.setPlainText("约谈经办人")
    dialog.called_by.clear()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "回访人" in dialog.error.text()
    dialog.called_by.setText("王科长")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "回访结果" in dialog.error.text()
    assert dialog.measures.toPlainText() == "约谈经办人"  # nothing typed is lost
    dialog.outcomes.button(1).setChecked(True)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value()[:2] + dialog.value()[3:] == ("约谈经办人", "王科长",
                                                     "basically_satisfied", "")


def test_the_decision_needs_a_verdict_and_a_note(qtbot):
    dialog = shown(qtbot, DecideAppealDialog(None, "评价的是其他窗口"))
    assert [b.text() for b in dialog.verdicts.buttons()] == ["申诉成立，撤销差评",
                                                             "驳回申诉，继续整改"]
    dialog.note.setPlainText("差评属实")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "申诉是否成立" in dialog.error.text()
    dialog.verdicts.button(DecideAppealDialog.DISMISS).setChecked(True)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == (False, "差评属实")
