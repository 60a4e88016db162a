"""The inbox and the sent box: urgency order, countdowns, filters, search, 催办, the tick,
and a 100,000-row list."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget
from sqlalchemy import func, insert, select

from app import inbox
from app.domain.enums import RequestState
from app.inbox import InboxFilter, search_terms
from app.store import models as m
from app.store import open_store
from app.validation import id_check_character
from app.worktime import WorkCalendar
from tests.support.server import VALID_ID, Api, register_op, send_op
from ui import inbox as ui_inbox
from ui import style
from ui.inbox import BAND_ROLE, REQUEST_ID_ROLE, Column, InboxPage, RequestTableModel


def valid_id(body: str) -> str:
    return body + id_check_character(body)


@dataclass
class Sent:
    """Three requests bdc01 sent to tax: A (5 working days), B (half a day), C (3 days)."""

    a: str
    b: str
    c: str

    @property
    def ids(self) -> set[str]:
        return {self.a, self.b, self.c}

    def mine(self, ids: list[str]) -> list[str]:
        return [i for i in ids if i in self.ids]


@pytest.fixture(scope="module")
def sent(hub) -> Sent:
    api = Api(hub.url).login("bdc01")
    people = [("张三", VALID_ID, "general"), ("李四", valid_id("11010519800101123"), "request"),
              ("王五", valid_id("44030619900315456"), "feedback")]
    request_ids = []
    for name, id_number, sla in people:  # sent A, B, C: most urgent is B, then C, then A
        case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
        results = api.push(register_op(case_id, citizen_name=name, citizen_id_number=id_number),
                           send_op(case_id, to="tax", request_id=request_id, sla=sla))
        assert [r["status"] for r in results] == ["applied", "applied"], results
        request_ids.append(request_id)
    return Sent(*request_ids)


def show(page: InboxPage, qtbot, height: int = 600) -> InboxPage:
    qtbot.addWidget(page)
    page.resize(1280, height)
    page.show()
    qtbot.waitExposed(page)
    wait_idle(page, qtbot)
    return page


def wait_idle(page: InboxPage, qtbot) -> None:
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)


def cell(model, row: int, column: Column, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def outbox(ctx) -> list[m.OutboxOp]:
    with ctx.store.read() as s:
        return list(s.scalars(select(m.OutboxOp).order_by(m.OutboxOp.seq)))


# -- the model on its own ----------------------------------------------------------------------


T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in the hall


def fill(store, n: int, *, department: str = "tax", seed: int = 7) -> list[dict]:
    """n synthetic requests (and their cases) written straight into the cache."""
    rng = random.Random(seed)
    states = [s.value for s in RequestState]
    cases, requests = [], []
    for i in range(max(8, n // 50)):
        cases.append(dict(id=f"case-{i}", number=f"BDC-20261123-{i:08X}", department_code="bdc",
                          matter_code="bdc-transfer-secondhand", citizen_name=f"市民{i}",
                          citizen_id_number=f"110105194912{i:05d}X"[-18:], citizen_phone=None,
                          channel="window", category="general", state="in_progress",
                          registered_at=T0, data={}, server_data={}))
    for i in range(n):
        state = rng.choice(states)
        sent_at = T0 - timedelta(minutes=rng.randrange(60 * 24 * 90))
        due = None if state == "sent_back" else sent_at + timedelta(hours=rng.randrange(1, 200))
        case = cases[i % len(cases)]
        requests.append(dict(
            id=str(uuid.UUID(int=rng.getrandbits(128))), case_id=case["id"],
            from_department="bdc", to_department=department, role="assisting", state=state,
            subject="完税证明", sent_at=sent_at, due_at=due, updated_at=sent_at, data={},
            server_data={},
            search_key=m.search_key_for(case["number"], case["citizen_name"],
                                        case["citizen_id_number"], "二手房转移登记")))
    with store.session() as session:  # Core inserts: one executemany per table
        session.execute(insert(m.Case.__table__), cases)
        session.execute(insert(m.CollabRequest.__table__), requests)
    return requests


def urgency(request: dict) -> tuple:
    running = RequestState(request["state"]).clock_running and request["due_at"] is not None
    return (0 if running else 1, request["due_at"] if running else T0,
            -request["sent_at"].timestamp(), request["id"])


@pytest.fixture
def small_store(tmp_path):
    store = open_store(tmp_path / "small")
    yield store, fill(store, 40)
    store.close()


def test_one_index_answers_typing_on_and_starting_over_like_a_fresh_one(small_store):
    """The page keeps one InboxIndex while the clerk types: narrowing the last answer, or
    starting over, must give what a fresh read gives, and the overdue rows are exactly the
    running ones past their deadline."""
    store, requests = small_store
    kept = inbox.read_index(store, "tax")
    expected = [r["id"] for r in sorted(requests, key=urgency)]
    overdue = {r["id"] for r in requests if RequestState(r["state"]).clock_running
               and r["due_at"] is not None and r["due_at"] < T0}
    assert 0 < len(overdue) < len(requests)
    assert kept.select(InboxFilter.OVERDUE, "", T0) == [i for i in expected if i in overdue]
    for typed in ["3", "00000003", "市民", "市民1", "市民12", "市", "003x", "00 3x", "bdc 市民2",
                  "bdc", "", "二手房 市民3", "没有"]:
        fresh = inbox.read_index(store, "tax")
        for f in InboxFilter:
            assert kept.answer(f, typed, T0) == fresh.answer(f, typed, T0), (typed, f)
        ids, counts = kept.answer(InboxFilter.ALL, typed, T0)
        assert counts[InboxFilter.OVERDUE] == len(overdue & set(ids)), typed


def test_model_passes_the_model_tester(qapp, qtmodeltester, small_store):
    store, _ = small_store
    model = RequestTableModel(store, lambda: T0, calendar=WorkCalendar())
    qtmodeltester.check(model)  # empty
    model.set_ids(inbox.inbox_ids(store, "tax", now=T0))
    assert model.rowCount() == 40
    qtmodeltester.check(model)
    sent_box = RequestTableModel(store, lambda: T0, mode="sent", calendar=WorkCalendar())
    sent_box.set_ids(inbox.sent_ids(store, "bdc", now=T0))
    qtmodeltester.check(sent_box)
    assert sent_box.headerData(Column.PARTY, Qt.Orientation.Horizontal) == "发往"
    assert model.headerData(Column.PARTY, Qt.Orientation.Horizontal) == "来自"


def test_queries_order_filter_and_search(small_store):
    store, requests = small_store
    expected = [r["id"] for r in sorted(requests, key=urgency)]
    assert inbox.inbox_ids(store, "tax", now=T0) == expected
    assert inbox.sent_ids(store, "bdc", now=T0) == expected
    assert inbox.inbox_ids(store, "bdc", now=T0) == []
    by_id = {r["id"]: r for r in requests}
    counts = inbox.filter_counts(store, "tax", T0)
    assert counts[InboxFilter.ALL] == 40
    for f in InboxFilter:
        ids = inbox.inbox_ids(store, "tax", f, now=T0)
        assert ids == [i for i in expected if i in set(ids)], f  # same order, a subset
        assert len(ids) == counts[f], f
        for i in ids:
            state = RequestState(by_id[i]["state"])
            if f.states is not None:
                assert state.value in f.states
            if f is InboxFilter.OVERDUE:
                assert by_id[i]["due_at"] < T0
    to_accept = {RequestState.SENT, RequestState.FORWARDED, RequestState.REOPENED}
    assert {RequestState(by_id[i]["state"]) for i in
            inbox.inbox_ids(store, "tax", InboxFilter.TO_ACCEPT, now=T0)} <= to_accept
    # search: a case number, a name, and the ID's last four in any case or width
    number_hits = inbox.inbox_ids(store, "tax", search="bdc-20261123-00000003", now=T0)
    assert number_hits and all(by_id[i]["case_id"] == "case-3" for i in number_hits)
    assert inbox.inbox_ids(store, "tax", search="市民3", now=T0) == number_hits
    assert inbox.inbox_ids(store, "tax", search="003X", now=T0) == number_hits
    assert inbox.inbox_ids(store, "tax", search="００３ｘ", now=T0) == number_hits
    assert inbox.inbox_ids(store, "tax", search="100%_", now=T0) == []  # LIKE wildcards escaped
    rows = inbox.rows(store, number_hits)
    assert set(rows) == set(number_hits)
    row = rows[number_hits[0]]
    assert row.citizen_masked == "市民3 110***********003X"
    assert row.citizen_id_masked == "110***********003X"
    assert row.matter_name == "" and row.case_number == "BDC-20261123-00000003"


def test_search_terms():
    assert search_terms("  BDC-2026 张三 ") == ["bdc-2026", "张三"]
    assert search_terms("0 02X") == ["002x"]
    assert search_terms("００２Ｘ") == ["002x"]
    assert search_terms("张三 002X") == ["张三", "002x"]
    assert search_terms("") == []


def test_remaining_is_working_time():
    calendar = WorkCalendar()
    monday_10 = T0
    assert inbox.remaining(calendar, monday_10, None) is None
    assert inbox.remaining(calendar, monday_10, monday_10 + timedelta(hours=2)) == \
        timedelta(hours=2)
    assert inbox.remaining(calendar, monday_10, monday_10 - timedelta(hours=1)) == \
        -timedelta(hours=1)
    # Saturday noon, deadline Monday 09:00: no working time left, but not overdue either
    saturday = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
    left = inbox.remaining(calendar, saturday, datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    assert timedelta(0) < left < timedelta(minutes=1)


# -- against a real server -------------------------------------------------------------------------


def test_inbox_shows_requests_by_urgency_with_countdowns(session, sent, qtbot):
    tax = session("tax01")
    page = show(InboxPage(tax), qtbot)
    model = page.model
    ids = model.ids()
    assert sent.mine(ids) == [sent.b, sent.c, sent.a]
    header = page.view.verticalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert header.defaultSectionSize() == style.ROW_HEIGHT
    for request_id in (sent.a, sent.b, sent.c):
        row = model.row_of(request_id)
        countdown = cell(model, row, Column.COUNTDOWN)
        assert countdown.startswith(f"{style.NORMAL.symbol} 剩余 "), countdown
        assert cell(model, row, Column.COUNTDOWN, BAND_ROLE) == "normal"
        assert style.NORMAL.label in cell(model, row, Column.STATE, Qt.ItemDataRole.ToolTipRole)
        assert cell(model, row, Column.STATE, Qt.ItemDataRole.BackgroundRole) == \
            style.NORMAL.background
        assert cell(model, row, Column.NUMBER, REQUEST_ID_ROLE) == request_id
        assert cell(model, row, Column.STATE) == "待签收"
        assert cell(model, row, Column.PARTY) == "不动产登记中心"
        assert cell(model, row, Column.MATTER) == "二手房转移登记"
        assert cell(model, row, Column.NUMBER).startswith("BDC-")
        assert len(cell(model, row, Column.DUE)) == len("11-24 14:00")
    assert cell(model, model.row_of(sent.a), Column.CITIZEN) == "张三 110***********002X"
    # half a working day is at most 3 h 30 min
    assert "剩余 3小时" in cell(model, model.row_of(sent.b), Column.COUNTDOWN)
    assert page.status.text().startswith("共 ")

    opened = []
    page.openRequest.connect(opened.append)
    page.select_request(sent.c)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened == [sent.c]
    rect = page.view.visualRect(model.index(model.row_of(sent.b), Column.MATTER))
    # a double click as Qt delivers it: a press (the view notes the pressed row), then the
    # double click (QTest's mouseDClick alone skips the first press)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [sent.c, sent.b]

    # beside the request detail the page is narrow: it drops columns instead of scrolling
    columns = page.view.horizontalHeader()
    assert not any(columns.isSectionHidden(c) for c in Column)
    page.resize(640, 600)
    qtbot.waitUntil(lambda: columns.isSectionHidden(Column.SENT))
    assert columns.isSectionHidden(Column.DUE)
    assert not columns.isSectionHidden(Column.COUNTDOWN)
    assert not columns.isSectionHidden(Column.MATTER)
    assert not columns.isSectionHidden(Column.CITIZEN)
    page.resize(1280, 600)
    qtbot.waitUntil(lambda: not any(columns.isSectionHidden(c) for c in Column))


def test_filters_and_local_actions(session, sent, qtbot):
    tax = session("tax01")
    page = show(InboxPage(tax), qtbot)
    page.set_filter(InboxFilter.TO_ACCEPT)
    wait_idle(page, qtbot)
    assert sent.mine(page.model.ids()) == [sent.b, sent.c, sent.a]
    assert page.filter_buttons[InboxFilter.TO_ACCEPT].isChecked()
    assert page.filter_buttons[InboxFilter.TO_ACCEPT].text().startswith("待签收 ")
    page.set_filter(InboxFilter.DONE)
    wait_idle(page, qtbot)
    assert sent.mine(page.model.ids()) == []

    # the liaison accepts C and answers A on this PC (not pushed): the lists follow at once
    tax.desk.accept(sent.c)
    tax.desk.accept(sent.a)
    tax.desk.reply(sent.a, "完税证明已开具")
    page.refresh()
    wait_idle(page, qtbot)
    assert sent.mine(page.model.ids()) == [sent.a]
    row = page.model.row_of(sent.a)
    assert cell(page.model, row, Column.STATE) == "已回复（待上传）"
    assert cell(page.model, row, Column.COUNTDOWN) == f"{style.DONE.symbol} 已回复"
    assert cell(page.model, row, Column.COUNTDOWN, BAND_ROLE) == "done"
    page.set_filter(InboxFilter.IN_PROGRESS)
    wait_idle(page, qtbot)
    assert sent.mine(page.model.ids()) == [sent.c]
    page.set_filter(InboxFilter.TO_ACCEPT)
    wait_idle(page, qtbot)
    assert sent.mine(page.model.ids()) == [sent.b]
    page.set_filter(InboxFilter.ALL)
    wait_idle(page, qtbot)
    assert sent.mine(page.model.ids()) == [sent.b, sent.c, sent.a]  # answered ones last

    # refresh keeps the selection
    page.select_request(sent.c)
    page.refresh()
    wait_idle(page, qtbot)
    assert page.current_request_id() == sent.c


def test_search_by_case_number_and_id_digits(session, sent, qtbot):
    tax = session("tax01")
    # the page inside a window that has a Ctrl+F of its own, as the main window does
    host = QWidget()
    qtbot.addWidget(host)
    page = InboxPage(tax)
    QVBoxLayout(host).addWidget(page)
    window_find = []
    shortcut = QShortcut(QKeySequence.StandardKey.Find, host)
    shortcut.activated.connect(lambda: window_find.append("activated"))
    shortcut.activatedAmbiguously.connect(lambda: window_find.append("ambiguous"))
    host.resize(1280, 600)
    host.show()
    host.activateWindow()
    qtbot.waitActive(host)
    wait_idle(page, qtbot)
    assert page.search.placeholderText() == "搜索 办件编号 / 姓名 / 身份证后4位 / 事项"
    number_b = page.model.row_data(page.model.row_of(sent.b)).case_number

    # Ctrl+F with the focus on the page finds in the page, not in the window
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    assert window_find == []
    qtbot.keyClicks(page.search, number_b.lower())
    assert page.busy()  # debounced: the query runs after a pause in typing
    wait_idle(page, qtbot)
    assert page.model.ids() == [sent.b]

    page.search.setText("002X")  # the ID's last four (11010519491231002X), any case
    wait_idle(page, qtbot)
    assert page.model.ids() == [sent.a]
    page.search.setText("0 02x")
    wait_idle(page, qtbot)
    assert page.model.ids() == [sent.a]
    page.search.setText("王五")
    wait_idle(page, qtbot)
    assert page.model.ids() == [sent.c]
    page.search.setText("没有这个人")
    wait_idle(page, qtbot)
    assert page.model.ids() == []
    assert "没有与「没有这个人」匹配" in page.status.text()

    # Enter in the search box goes to the list, on the first hit
    page.search.setFocus()
    page.search.setText("李四")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    wait_idle(page, qtbot)
    assert page.current_request_id() == sent.b
    assert page.view.hasFocus()


def test_sent_box_lists_them_and_urges(session, sent, qtbot, monkeypatch):
    bdc = session("bdc01")
    page = show(InboxPage(bdc, mode="sent"), qtbot)
    assert sent.mine(page.model.ids()) == [sent.b, sent.c, sent.a]
    row = page.model.row_of(sent.b)
    assert cell(page.model, row, Column.PARTY) == "税务局"
    assert page.model.headerData(Column.PARTY, Qt.Orientation.Horizontal) == "发往"
    assert page.urge_button is not None and not page.urge_button.isEnabled()

    notes = []
    monkeypatch.setattr(ui_inbox, "ask_urge_note",
                        lambda parent, r: notes.append(r.request_id) or "请尽快出具完税证明")
    messages = []
    monkeypatch.setattr(ui_inbox, "show_message",
                        lambda parent, title, text: messages.append((title, text)))
    page.select_request(sent.b)
    assert page.urge_button.isEnabled()
    before = len(outbox(bdc))
    qtbot.mouseClick(page.urge_button, Qt.MouseButton.LeftButton)
    ops = outbox(bdc)
    assert len(ops) == before + 1
    assert (ops[-1].type, ops[-1].entity_id) == ("request.urge", sent.b)
    assert ops[-1].args["note"] == "请尽快出具完税证明"
    assert notes == [sent.b] and messages == []
    wait_idle(page, qtbot)
    assert page.current_request_id() == sent.b
    assert cell(page.model, page.model.row_of(sent.b), Column.STATE) == "待签收（待上传）"
    assert "催办" in page.status.text()

    # the list is a moment old: C was withdrawn meanwhile; 催办 is refused in plain words
    page.select_request(sent.c)
    bdc.desk.withdraw(sent.c, "群众撤回申请")
    count = len(outbox(bdc))
    page.urge_selected()
    assert len(outbox(bdc)) == count
    assert messages and messages[-1][0] == "无法催办"
    assert "已撤回" in messages[-1][1]
    page.refresh()
    wait_idle(page, qtbot)
    assert page.current_request_id() == sent.c
    assert not page.urge_button.isEnabled()  # finished: nothing to urge


def test_tick_turns_countdowns_overdue_and_repaints_only_visible_rows(session, sent, qtbot,
                                                                     monkeypatch):
    tax = session("tax01")
    page = show(InboxPage(tax), qtbot)
    model = page.model
    assert model.timer.isActive() and model.timer.interval() == 30_000
    row = model.row_of(sent.b)
    assert cell(model, row, Column.COUNTDOWN).startswith("● 剩余")

    later = tax.now() + timedelta(days=30)
    monkeypatch.setattr(tax, "now", lambda: later)  # the injected (server-corrected) clock
    visible = page.visible_rows()
    assert visible is not None
    changes = []
    model.dataChanged.connect(lambda top, bottom, roles: changes.append((top, bottom)))
    model.timer.timeout.emit()  # what the 30-second timer does
    assert len(changes) == 1
    top, bottom = changes[0]
    assert visible[0] <= top.row() <= bottom.row() <= visible[1]
    assert (top.column(), bottom.column()) == (0, len(Column) - 1)
    text = cell(model, row, Column.COUNTDOWN)
    assert text.startswith(f"{style.OVERDUE.symbol} 超期 "), text
    assert cell(model, row, Column.COUNTDOWN, BAND_ROLE) == "overdue"
    assert cell(model, row, Column.DUE, Qt.ItemDataRole.ForegroundRole) == \
        style.OVERDUE.foreground
    assert "已超期" in cell(model, row, Column.DUE, Qt.ItemDataRole.ToolTipRole)

    page.set_filter(InboxFilter.OVERDUE)
    wait_idle(page, qtbot)
    assert sent.mine(model.ids()) == [sent.b, sent.c, sent.a]

    page.hide()  # not on screen: a tick repaints nothing
    changes.clear()
    model.tick()
    assert changes == []


# -- a big list ----------------------------------------------------------------------------------


def test_hundred_thousand_requests(tmp_path, qtbot):
    n = 100_000
    store = open_store(tmp_path / "big")
    try:
        t0 = time.perf_counter()
        requests = fill(store, n)
        t_fill = time.perf_counter() - t0
        expected = [r["id"] for r in sorted(requests, key=urgency)]

        t0 = time.perf_counter()
        ids = inbox.inbox_ids(store, "tax", now=T0)
        t_ids = time.perf_counter() - t0
        assert len(ids) == n
        assert ids == expected

        t0 = time.perf_counter()
        hits = inbox.inbox_ids(store, "tax", search="002x", now=T0)
        t_search = time.perf_counter() - t0
        assert hits == [i for i in expected if i in set(hits)]

        model = RequestTableModel(store, lambda: T0, calendar=WorkCalendar())
        view = QTableView()
        qtbot.addWidget(view)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(style.ROW_HEIGHT)
        view.setModel(model)
        t0 = time.perf_counter()
        model.set_ids(ids)
        view.resize(1280, 700)
        view.show()
        qtbot.waitExposed(view)
        first_screen = [[cell(model, r, c) for c in Column] for r in range(30)]
        t_screen = time.perf_counter() - t0
        assert model.rowCount() == n
        assert all(all(value for value in row) for row in first_screen)
        assert first_screen[0][Column.COUNTDOWN].startswith(style.OVERDUE.symbol)
        assert model.data(model.index(n - 1, Column.STATE)) is not None  # the far end, too

        def visible():
            return view.rowAt(0), view.rowAt(view.viewport().height() - 1)

        model.visible_rows = visible
        changes = []
        model.dataChanged.connect(lambda top, bottom, roles: changes.append((top, bottom)))
        model.tick()
        (top, bottom), = changes
        assert (top.row(), bottom.row()) == visible()
        assert bottom.row() < 100
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(m.CollabRequest)) == n
        print(f"\n100k requests: insert {t_fill:.2f} s, inbox_ids {t_ids * 1000:.0f} ms, "
              f"search 002x {t_search * 1000:.0f} ms ({len(hits)} hits), "
              f"model + first screen {t_screen * 1000:.0f} ms")
    finally:
        store.close()


def test_model_survives_ids_that_vanished(qapp, small_store):
    store, requests = small_store
    model = RequestTableModel(store, lambda: T0, calendar=WorkCalendar())
    model.set_ids(["no-such-request", requests[0]["id"]])
    assert model.data(model.index(0, Column.STATE)) is None
    assert model.data(model.index(0, Column.STATE), REQUEST_ID_ROLE) == "no-such-request"
    assert model.data(model.index(1, Column.STATE)) is not None
    assert model.data(QModelIndex()) is None
