"""消息提醒 and 冲突 against the real server: each message exactly once, also after a
restart; reminders from the local clock; conflicts explained and dismissed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

import ui.conflicts
from app.local import context
from app.notifications import Notice, due_notifications
from app.store import models as m
from tests.support.server import VALID_ID, Api, op, register_op, send_op
from ui.conflicts import ConflictsPage
from ui.notify import (
    NotificationCenter,
    Notifier,
    PanelNotifier,
    RecordingNotifier,
    TrayNotifier,
    make_notifier,
)

PHONE = "13800138000"


def send_request(hub) -> tuple[Api, str]:
    """bdc01 registers a case and asks the tax department for a certificate."""
    bdc = Api(hub.url).login("bdc01")
    case = register_op()
    request = send_op(case["entity_id"])
    assert [r["status"] for r in bdc.push(case, request)] == ["applied", "applied"]
    return bdc, request["entity_id"]


def about(recorder: RecordingNotifier, request_id: str) -> list[Notice]:
    """What was shown about one request (the hub keeps other tests' requests too)."""
    return [n for n in recorder.shown if n.entity_id == request_id]


def assert_masked(notices: list[Notice]) -> None:
    for notice in notices:
        assert VALID_ID not in notice.body and PHONE not in notice.body


def sync(ctx) -> None:
    assert ctx.client.engine.sync_once().ok


def look(qtbot, center: NotificationCenter) -> None:
    """One look at the cache, landed: what it found is on the notifier."""
    center.check()
    qtbot.waitUntil(lambda: not center.busy(), timeout=10_000)


def deadline(ctx, request_id: str):
    """(clock start, deadline, working time allowed, calendar) as the cache has them."""
    with ctx.store.read() as session:
        row = session.get(m.CollabRequest, request_id)
        calendar = context(session, ctx.now(), "").calendar
        started = datetime.fromisoformat(row.data["clock_started_at"])
        return started, row.due_at, calendar.working_time_between(started, row.due_at), calendar


def test_a_new_request_notifies_once_also_after_a_restart(qtbot, hub, session):
    tax = session("tax01")
    recorder = RecordingNotifier()
    center = NotificationCenter(tax, recorder)
    opened = []
    center.openItem.connect(lambda entity, entity_id: opened.append((entity, entity_id)))

    _bdc, request_id = send_request(hub)
    sync(tax)  # itemsArrived → the center looks at once
    qtbot.waitUntil(lambda: not center.busy(), timeout=10_000)

    [notice] = about(recorder, request_id)
    assert notice.kind == "new" and notice.key == f"request:{request_id}:new"
    assert notice.title == "新的协同请求"
    assert "不动产登记中心" in notice.body and "完税证明" in notice.body
    assert "110***********002X" in notice.body
    assert_masked(recorder.shown)

    look(qtbot, center)
    qtbot.wait(50)  # the start-up check (a zero timer) runs too, and adds nothing
    assert len(about(recorder, request_id)) == 1

    restarted = RecordingNotifier()
    look(qtbot, NotificationCenter(tax, restarted))
    assert about(restarted, request_id) == []

    recorder.click(notice)
    assert opened == [("request", request_id)]


def test_reminders_and_overdue_come_from_the_local_clock_once_each(qtbot, hub, session):
    tax, bdc_ctx = session("tax01"), session("bdc01")
    _bdc, request_id = send_request(hub)
    sync(tax)
    sync(bdc_ctx)
    started, due, allowed, calendar = deadline(tax, request_id)
    assert allowed == timedelta(hours=3, minutes=30)  # half a working day

    clock = {"now": tax.now()}
    recorder = RecordingNotifier()
    center = NotificationCenter(tax, recorder, now=lambda: clock["now"])
    look(qtbot, center)
    assert [n.kind for n in about(recorder, request_id)] == ["new"]

    clock["now"] = calendar.add_working_time(started, allowed - timedelta(hours=2, minutes=59))
    look(qtbot, center)
    look(qtbot, center)
    reminders = [n for n in about(recorder, request_id) if n.kind == "reminder"]
    assert [n.title for n in reminders] == ["即将到期：剩余不足3小时"]
    assert ":reminder:180@" in reminders[0].key and "还剩 2小时59分" in reminders[0].body

    clock["now"] = calendar.add_working_time(started, allowed - timedelta(minutes=59))
    look(qtbot, center)
    look(qtbot, center)
    reminders = [n for n in about(recorder, request_id) if n.kind == "reminder"]
    assert [n.title for n in reminders] == ["即将到期：剩余不足3小时", "即将到期：剩余不足1小时"]
    assert "还剩 59分钟" in reminders[1].body

    clock["now"] = due + timedelta(minutes=1)
    look(qtbot, center)
    look(qtbot, NotificationCenter(tax, RecordingNotifier(), now=lambda: clock["now"]))  # restart
    look(qtbot, center)
    assert [n.kind for n in about(recorder, request_id)] == [
        "new", "reminder", "reminder", "overdue"]
    assert about(recorder, request_id)[-1].title == "协同请求已超期"
    assert recorder.overdue >= 1  # the badge
    assert_masked(recorder.shown)

    # the sender is told too, in its own words
    sender = RecordingNotifier()
    look(qtbot, NotificationCenter(bdc_ctx, sender, now=lambda: clock["now"]))
    [late] = about(sender, request_id)
    assert late.title == "对方已超期" and "税务局" in late.body
    assert sender.overdue == 0  # the badge counts what the department itself owes


def test_an_urge_and_a_reply_each_notify_the_other_side_once(qtbot, hub, session):
    tax, bdc_ctx = session("tax01"), session("bdc01")
    tax_seen, bdc_seen = RecordingNotifier(), RecordingNotifier()
    tax_center = NotificationCenter(tax, tax_seen)
    bdc_center = NotificationCenter(bdc_ctx, bdc_seen)

    bdc, request_id = send_request(hub)
    sync(tax)
    assert [r["status"] for r in bdc.push(op("request.urge", request_id,
                                              note=f"群众在窗口等候，电话 {PHONE}"))] == ["applied"]
    sync(tax)
    sync(tax)
    look(qtbot, tax_center)
    assert [n.kind for n in about(tax_seen, request_id)] == ["new", "urged"]
    urged = about(tax_seen, request_id)[1]
    assert urged.title == "收到催办" and "陈晓燕" in urged.body and "138****8000" in urged.body

    tax.desk.accept(request_id)
    tax.desk.reply(request_id, "完税证明已开具，见附件说明")
    sync(tax)  # its own reply is not news to tax
    sync(bdc_ctx)
    look(qtbot, bdc_center)
    assert [n.kind for n in about(bdc_seen, request_id)] == ["replied"]
    assert "李婷" in about(bdc_seen, request_id)[0].body
    look(qtbot, tax_center)
    assert [n.kind for n in about(tax_seen, request_id)] == ["new", "urged"]
    assert_masked(tax_seen.shown + bdc_seen.shown)


def test_a_lost_race_is_one_conflict_notice_and_a_row_to_dismiss(
        qtbot, qtmodeltester, hub, session, monkeypatch):
    tax, lead = session("tax01"), session("tax-lead")
    _bdc, request_id = send_request(hub)
    sync(tax)
    tax.desk.accept(request_id)
    sync(tax)
    sync(lead)
    # both offline now: tax01 replies, the leader sends it back
    tax.desk.reply(request_id, "完税证明已开具")
    lead.desk.send_back(request_id, "材料不全，请补充合同")

    seen = RecordingNotifier()
    center = NotificationCenter(lead, seen)
    opened = []
    center.openItem.connect(lambda entity, entity_id: opened.append((entity, entity_id)))
    sync(tax)
    with qtbot.waitSignal(lead.adapter.conflictsAdded, timeout=10_000):
        lead.client.engine.sync_once()
    look(qtbot, center)
    qtbot.wait(50)
    [notice] = [n for n in seen.shown if n.kind == "conflict"]
    assert notice.title == "操作未生效：退回补正"
    assert "未生效" in notice.body and "已回复" in notice.body
    seen.click(notice)
    assert opened == [("conflict", notice.entity_id)]

    page = ConflictsPage(lead)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)
    assert page.count() == 1
    [row] = page.model.rows
    assert row.op_id == notice.entity_id and row.label == "退回补正"
    assert "完税证明" in row.item and row.server_state == "已回复"
    explanation = page.model.index(0, 3).data()
    assert "未生效" in explanation and "李婷" in explanation

    assert not page.redo_button.isEnabled()  # the rules already say no: explained beside it
    assert "现在不能重做" in page.redo_why.text() and "已回复" in page.redo_why.text()
    told = []
    monkeypatch.setattr(ui.conflicts, "show_message",
                        lambda _parent, title, text: told.append((title, text)))
    page.redo_selected()  # still not allowed: the request has been replied to
    assert told and told[0][0] == "无法重做" and "退回补正" in told[0][1]
    assert page.count() == 1

    with qtbot.waitSignal(page.countChanged, check_params_cb=lambda n: n == 0):
        qtbot.mouseClick(page.dismiss_button, Qt.MouseButton.LeftButton)
    assert page.count() == 0
    page.refresh()
    assert page.count() == 0
    look(qtbot, center)
    assert len([n for n in seen.shown if n.kind == "conflict"]) == 1


def test_a_burst_shows_the_most_urgent_few_and_one_summary(qtbot, session, monkeypatch):
    tax = session("tax01")
    many = [Notice(f"test:{i}", "new", f"消息{i}", "正文", "request", f"r{i}") for i in range(8)]
    batches = [many]  # due once, as the real query would after they are marked
    monkeypatch.setattr("ui.notify.due_notifications",
                        lambda *_args, **_kwargs: batches.pop() if batches else [])
    recorder = RecordingNotifier()
    look(qtbot, NotificationCenter(tax, recorder))
    assert [n.title for n in recorder.shown] == ["消息0", "消息1", "消息2", "消息3",
                                                 "另有 4 条新消息"]
    monkeypatch.undo()
    with tax.store.read() as s:  # every one of them counts as shown
        assert s.query(m.NotificationMark).filter(
            m.NotificationMark.key.like("test:%")).count() == 8


def test_only_the_few_that_are_shown_are_worded(session, hub):
    tax = session("tax01")
    bdc = Api(hub.url).login("bdc01")
    case = register_op()
    assert {r["status"] for r in bdc.push(case, *(send_op(case["entity_id"])
                                                   for _ in range(6)))} == {"applied"}
    sync(tax)
    everything = due_notifications(tax.store, tax.actor, tax.now())
    few = due_notifications(tax.store, tax.actor, tax.now(), worded=2)
    assert len(everything) >= 6
    assert [n.key for n in few] == [n.key for n in everything]  # all counted and marked
    assert few[:2] == everything[:2] and all(n.title and n.body for n in few[:2])
    assert all(n.title == n.body == "" for n in few[2:])


NOTICES = [
    Notice("conflict:1", "conflict", "操作未生效：退回补正",
           "该请求当前为「已回复」，不能退回补正。您的「退回补正」未生效。", "conflict", "1"),
    Notice("request:r:reminder:60@1", "reminder", "即将到期：剩余不足1小时",
           "不动产登记中心 的请求「完税证明」还剩 59分钟（工作时间）", "request", "r"),
    Notice("request:r:new", "new", "新的协同请求", "不动产登记中心 请求：完税证明",
           "request", "r"),
]


def test_the_panel_lists_the_messages_and_opens_them(qtbot):
    panel = PanelNotifier()
    qtbot.addWidget(panel)
    assert isinstance(panel, Notifier)
    for notice in NOTICES:
        panel.show(notice)
    panel.set_overdue_count(2)
    texts = panel.messages()
    assert len(texts) == 3 and "新的协同请求" in texts[0] and "还剩 59分钟" in texts[1]
    assert "2 件已超期" in panel.overdue_label.text()
    assert panel.isVisible()
    with qtbot.waitSignal(panel.activated,
                          check_params_cb=lambda *item: item == ("request", "r")):
        qtbot.mouseClick(panel.card_widgets()[0], Qt.MouseButton.LeftButton)


def test_a_tray_notifier_can_be_made_and_used_without_a_tray(qtbot):
    tray = TrayNotifier()
    tray.set_overdue_count(3)
    tray.show(NOTICES[0])
    assert isinstance(tray, Notifier) and tray.overdue == 3
    notifier = make_notifier(None)
    assert isinstance(notifier, Notifier)
    if isinstance(notifier, PanelNotifier):
        qtbot.addWidget(notifier)


@pytest.fixture(autouse=True)
def _no_message_boxes(monkeypatch):
    """A real QMessageBox would block an offscreen test forever."""
    monkeypatch.setattr(ui.conflicts, "show_message",
                        lambda *_args: pytest.fail("unexpected message box"))
