"""超期督办提醒 for a department leader, against a real server whose clock the test moves:
the pop-up comes once per overdue request with its whole history — from the server's
escalation or from the local countdown — also across a restart, again only for a newly
overdue one; 督办 from it lands in the request's timeline on the server."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
import requests as http
import uvicorn
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app.escalations import overdue_for_supervisor
from app.local import context
from app.sqltypes import utcnow
from app.store import models as m
from server.app import create_app
from server.cli import _load_demo
from server.config import Settings
from server.db import Database
from server.models import EventRow
from server.scheduler import run_once
from sync.client import Client
from sync.clock import ServerClock
from sync.qt import SyncAdapter
from tests.support.server import DEMO_PASSWORD, VALID_ID, free_port
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.notify import RecordingNotifier
from ui.overdue import LeaderUrgeDialog, OverdueWindow


class HallClock:
    """The hall's time for the server and the counters alike: the real time plus a shift
    that the test moves forward."""

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def __call__(self) -> datetime:  # the server's Settings.clock
        return utcnow() + self.shift

    def wall(self) -> float:  # each counter PC's clock (ServerClock's wall)
        return time.time() + self.shift.total_seconds()

    def move_to(self, moment: datetime) -> None:
        self.shift += moment - self()


class Hall:
    """The real server (FastAPI, uvicorn, SQLite, the demo hall) in a thread, on the test's
    clock. Its scheduler does not run by itself: :meth:`run_scheduler` is one of its runs."""

    def __init__(self, data_dir) -> None:
        self.clock = HallClock()
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = Settings(data_dir=data_dir, clock=self.clock, scheduler_interval_seconds=0)
        database = Database(settings.db_url)
        database.migrate()
        _load_demo(settings, database)
        database.dispose()
        self.app = create_app(settings)
        self.url = f"http://127.0.0.1:{free_port()}"
        self.server = uvicorn.Server(uvicorn.Config(
            self.app, host="127.0.0.1", port=int(self.url.rsplit(":", 1)[1]),
            log_level="warning", timeout_graceful_shutdown=1))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if http.get(f"{self.url}/api/v1/health", timeout=1).ok:
                    return
            except http.ConnectionError:
                time.sleep(0.05)  # waiting for the server to come up, not for a result
        raise RuntimeError("the server did not start")

    def run_scheduler(self) -> None:
        state = self.app.state
        run_once(state.db, state.rules, state.settings)

    def timeline(self, request_id: str) -> list[dict]:
        with self.app.state.db.read() as session:
            return [row.data for row in session.scalars(
                select(EventRow).where(EventRow.entity_id == request_id)
                .order_by(EventRow.seq))]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def hall(tmp_path):
    h = Hall(tmp_path / "server")
    yield h
    h.stop()


@pytest.fixture
def counter(hall, tmp_path, qapp):
    """counter("tax-lead") → a UiContext logged in on the hall's clock and synced once;
    counter("tax-lead", restart=True) → the same user's session reopened (a restart)."""
    clients: list[Client] = []

    def make(username: str, *, restart: bool = False) -> UiContext:
        adapter = SyncAdapter()
        clock = ServerClock(wall=hall.clock.wall)
        if restart:
            client = Client.resume(tmp_path / username, clock=clock, listener=adapter)
        else:
            client = Client.login(tmp_path / username, hall.url, username, DEMO_PASSWORD,
                                  clock=clock, listener=adapter)
        clients.append(client)
        sync(client)
        return UiContext(client=client, adapter=adapter)

    yield make
    for client in clients:
        client.close()


def sync(who) -> None:
    client = who.client if isinstance(who, UiContext) else who
    assert client.engine.sync_once().ok


def send_request(bdc: UiContext, subject: str = "完税证明") -> str:
    """bdc01 registers a case and asks the tax department for a certificate."""
    case = bdc.desk.register_case(
        matter_code="bdc-transfer-secondhand", citizen_name="张三",
        citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
        category="general", description="二手房过户")
    request_id = bdc.desk.send_request(case, to_department="tax", role="assisting",
                                       subject=subject, needed="契税完税证明")
    sync(bdc)
    return request_id


def deadline(ctx: UiContext, request_id: str):
    """(clock start, deadline, the working calendar) as the cache has them."""
    with ctx.store.read() as session:
        row = session.get(m.CollabRequest, request_id)
        calendar = context(session, ctx.now(), "").calendar
        return datetime.fromisoformat(row.data["clock_started_at"]), row.due_at, calendar


def leader_window(qtbot, ctx: UiContext) -> tuple[MainWindow, OverdueWindow, RecordingNotifier]:
    recorder = RecordingNotifier()
    window = MainWindow(ctx, recorder)
    qtbot.addWidget(window)
    window.show()
    assert window.overdue is not None
    qtbot.addWidget(window.overdue)
    look(qtbot, window)  # the look at start-up (what happened while the app was closed)
    return window, window.overdue, recorder


def look(qtbot, window: MainWindow) -> None:
    """What the 30 s timer does: the notification check, then the pop-up's look; returns
    once a look that began now has landed."""
    qtbot.waitUntil(lambda: not window.notifications.busy() and not window.overdue.busy())
    with qtbot.waitSignal(window.overdue.checked, timeout=10_000):
        window.notifications.check()


def popups(recorder: RecordingNotifier) -> list:
    return [n for n in recorder.shown if n.kind == "overdue"]


def test_an_overdue_request_pops_up_for_tax_lead_once_with_its_history(qtbot, hall, counter):
    bdc, tax, lead = counter("bdc01"), counter("tax01"), counter("tax-lead")
    window, popup, recorder = leader_window(qtbot, lead)
    clerk_window = MainWindow(tax, RecordingNotifier())  # not a leader: no pop-up at all
    qtbot.addWidget(clerk_window)
    assert clerk_window.overdue is None

    request_id = send_request(bdc)
    sync(tax)
    tax.desk.accept(request_id)
    sync(tax)
    started, due, calendar = deadline(tax, request_id)
    allowed = calendar.working_time_between(started, due)

    # half an hour before the deadline: the server's reminder; the requester urges
    hall.clock.move_to(calendar.add_working_time(started, allowed - timedelta(minutes=30)))
    hall.run_scheduler()
    sync(bdc)
    bdc.desk.urge(request_id, "群众在窗口等候")
    sync(bdc)
    sync(lead)
    look(qtbot, window)
    assert not popup.isVisible() and popups(recorder) == []

    # an hour (of working time) past the deadline: the server escalates
    hall.clock.move_to(calendar.add_working_time(due, timedelta(hours=1)))
    hall.run_scheduler()
    sync(lead)
    look(qtbot, window)

    assert popup.isVisible() and not popup.isModal()
    assert [i.request_id for i in popup.items] == [request_id]
    assert popup.selected() == request_id
    summary = popup.summary_texts()
    assert summary["发起"].startswith("不动产登记中心 陈晓燕 · ")
    assert summary["签收"].startswith("税务局 李婷 · ")
    assert summary["现在由"] == "税务局 李婷（办理中）"
    assert "■ 已超期 1小时0" in summary["期限"] and "（工作时间）" in summary["期限"]
    assert summary["提醒与催办"] == "到期提醒 1 次 · 催办 1 次 · 督办 0 次"
    assert summary["判定依据"] == "服务器已发出超期督办通知"
    assert "110***********002X" in summary["办件"] and VALID_ID not in summary["办件"]
    verbs = [row[2] for row in popup.timeline.texts()]
    wanted = iter(["发起协同", "签收", "到期提醒", "催办", "超期督办"])
    step = next(wanted)
    for verb in verbs:  # these, in this order, among the others
        if verb == step:
            step = next(wanted, None)
    assert step is None, verbs
    state = popup.table.item(0, 0).text()
    assert state.startswith("■ 超期 1小时") and state.endswith("（新）")  # symbol and words

    # one tray message goes with it, and the per-request overdue notice does not double it
    [notice] = popups(recorder)
    assert (notice.title, notice.entity) == ("超期督办提醒", "overdue")
    assert "协同请求已超期" not in [n.title for n in recorder.shown]
    assert notice.body.startswith("1 件协同请求已超期：「完税证明」超期 1小时")

    # the next sync, or the window left open: no second pop-up
    popup.ack_button.click()  # 知道了
    assert not popup.isVisible()
    sync(lead)
    look(qtbot, window)
    assert not popup.isVisible() and len(popups(recorder)) == 1

    # a restart: still not again
    window.close()
    lead.client.close()
    lead = counter("tax-lead", restart=True)
    window, popup, recorder = leader_window(qtbot, lead)
    assert not popup.isVisible() and popups(recorder) == []

    # a second request goes overdue, this time with the server out of reach of this PC
    # (no escalation synced): the local countdown brings the pop-up back, for it alone
    second = send_request(bdc, subject="个税完税证明")
    sync(lead)
    _started, second_due, _calendar = deadline(lead, second)
    hall.clock.move_to(calendar.add_working_time(second_due, timedelta(minutes=20)))
    look(qtbot, window)

    assert popup.isVisible()
    assert {i.request_id for i in popup.items} == {request_id, second}
    [notice] = popups(recorder)
    assert notice.body.startswith("1 件协同请求已超期：「个税完税证明」超期 20分钟")
    popup.table.selectRow([i.request_id for i in popup.items].index(second))
    assert popup.summary_texts()["判定依据"] == "本机倒计时（尚未收到服务器的超期督办通知）"
    assert popup.summary_texts()["签收"] == "尚未签收"
    [first_row] = [r for r, i in enumerate(popup.items) if i.request_id == request_id]
    assert not popup.table.item(first_row, 0).text().endswith("（新）")

    # 查看 → 超期督办 reopens it; a click on the tray message too
    popup.close()
    [view_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "查看"]
    [reopen] = [a for a in view_menu.actions() if a.text() == "超期督办…"]
    reopen.trigger()
    assert popup.isVisible()
    popup.close()
    recorder.click(notice)
    assert popup.isVisible()


def test_a_leaders_urge_from_the_pop_up_lands_in_the_timeline_on_the_server(
        qtbot, hall, counter, monkeypatch):
    bdc, lead = counter("bdc01"), counter("tax-lead")
    window, popup, _recorder = leader_window(qtbot, lead)
    request_id = send_request(bdc)
    sync(lead)
    _started, due, calendar = deadline(lead, request_id)
    hall.clock.move_to(calendar.add_working_time(due, timedelta(minutes=10)))
    hall.run_scheduler()
    sync(lead)
    look(qtbot, window)
    assert popup.isVisible() and popup.selected() == request_id

    def leader_types(parent, item, send):  # the dialog, typed into and sent with 确定
        assert item.request_id == request_id
        send("请今天下班前答复")
        return "请今天下班前答复"

    monkeypatch.setattr(LeaderUrgeDialog, "ask", staticmethod(leader_types))
    with qtbot.waitSignal(popup.checked, timeout=10_000):
        popup.urge_button.click()
    assert "已督办 税务局「完税证明」" in popup.feedback.text()
    assert popup.timeline.texts()[-1][2:] == ["催办", "部门领导督办；留言：请今天下班前答复"]
    assert popup.summary_texts()["提醒与催办"].endswith("督办 1 次")

    sync(lead)  # the 督办 goes to the server
    [urged] = [e for e in hall.timeline(request_id) if e["kind"] == "urged"]
    assert urged["actor_name"] == "刘海峰" and urged["department"] == "tax"
    assert urged["details"]["by_leader"] is True
    assert urged["details"]["note"] == "请今天下班前答复"
    assert urged["details"]["holder"] == "tax"


def test_a_refused_urge_is_said_in_the_dialog_and_the_note_is_kept(qtbot, hall, counter):
    bdc, tax, lead = counter("bdc01"), counter("tax01"), counter("tax-lead")
    request_id = send_request(bdc)
    sync(lead)
    _started, due, calendar = deadline(lead, request_id)
    hall.clock.move_to(calendar.add_working_time(due, timedelta(minutes=10)))
    [item] = overdue_for_supervisor(lead.store, lead.actor, lead.now())

    # meanwhile the tax counter answers: the leader's list is a moment behind
    sync(tax)
    tax.desk.accept(request_id)
    tax.desk.reply(request_id, "完税证明已开具")
    sync(tax)
    sync(lead)

    dialog = LeaderUrgeDialog(None, item, lambda note: lead.desk.urge(request_id, note))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.note.setPlainText("请尽快办理")
    dialog.submit()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible() and "催办" in dialog.error.text()
    assert dialog.note.toPlainText() == "请尽快办理"
    with lead.store.read() as session:
        assert session.scalars(select(m.OutboxOp)).all() == []  # nothing was written
