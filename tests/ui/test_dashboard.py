"""统计 and 月度考核 against a real server process whose database holds a hand-written month
of requests: the figures on the screen, in the leaderboard, in the charts and in the exported
files are the ones computed by hand below; offline the cached figures show with their time."""

from __future__ import annotations

import csv
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

import ui.evaluation
from app.domain.entities import CollabRequest, Rating, Rectification, RectificationCall
from app.domain.enums import RectificationState, RequestRole, RequestState
from app.domain.serialize import to_data
from app.reference import load_demo_hall
from app.worktime import WorkCalendar
from server.config import Settings
from server.db import Database
from server.models import RequestRow
from server.reference import load_hall
from server.sync.changes import ChangeLog
from tests.support.server import DEMO_PASSWORD, ServerProcess, free_port
from ui.dashboard import DashboardPage
from ui.evaluation import EvaluationPage
from ui.main_window import MainWindow
from ui.notify import RecordingNotifier

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = RequestState
LI_TING = "598acfbd-e503-52d7-a112-c8c2b8327e50"  # tax01 李婷
ZHANG_WEI = "2ce375b2-6bab-56b5-8925-77e08e0e670b"  # tax02 张伟

# The fixture lies in last month (hall time), so every deadline in it has passed whenever
# the test runs. D1 < D2 < D3 are its first three workdays; every reply falls in the
# morning's working hours (09:00–12:00), so its working time is plain clock time.
TODAY = datetime.now(SHANGHAI).date()
FIRST = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
LAST = TODAY.replace(day=1) - timedelta(days=1)
MONTH = f"{FIRST:%Y-%m}"
D1, D2, D3 = [d for d in (FIRST + timedelta(days=i) for i in range(31))
              if WorkCalendar().is_workday(d)][:3]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def add(session, to: str, sent: datetime, state: RequestState, due: datetime, *,
        replied: datetime | None = None, clock: datetime | None = None,
        stars: int | None = None, by: str | None = None,
        rectification: Rectification | None = None) -> None:
    """``by`` replied the request, or accepted it when it is not replied."""
    request = CollabRequest(
        id=str(uuid.uuid4()), case_id=str(uuid.uuid4()), from_department="bdc",
        to_department=to, role=RequestRole.ASSISTING, subject="完税证明", needed="契税完税证明",
        sla="collab_half_day", sent_at=sent, sent_by="bdc01", state=state,
        clock_started_at=clock, allowance=timedelta(hours=3.5), due_at=due, replied_at=replied,
        rating=Rating(stars=stars, comment="") if stars else None, handled_by=(to,),
        rectification=rectification,
        replied_by=by if replied else None, accepted_by=None if replied else by)
    session.add(RequestRow(id=request.id, case_id=request.case_id, from_department="bdc",
                           to_department=to, state=state.value, sent_at=sent, due_at=due,
                           clock_started_at=clock, replied_at=replied, version=1,
                           data=to_data(request)))


def load_fixture(session) -> None:
    # -- tax --
    # T1 D1 09:00 → replied 10:30 by 李婷, due 12:00: on time, 1.5 h. ★5
    add(session, "tax", at(D1, 9), S.CONFIRMED, at(D1, 12), replied=at(D1, 10, 30), stars=5,
        by=LI_TING)
    # T2 D1 09:00 → replied 11:00 by 张伟, due 10:00: late, 2.0 h. ★3
    add(session, "tax", at(D1, 9), S.CONFIRMED, at(D1, 10), replied=at(D1, 11), stars=3,
        by=ZHANG_WEI)
    # T3 D2 09:00, accepted by 张伟, clock running, due 12:00 long past: overdue now.
    add(session, "tax", at(D2, 9), S.ACCEPTED, at(D2, 12), clock=at(D2, 9), by=ZHANG_WEI)
    # T4 D3 09:00, withdrawn: received, never replied, no clock.
    add(session, "tax", at(D3, 9), S.WITHDRAWN, at(D3, 12))
    # tax: received 4, replied 2 → 办结率 50.0%; on time 1 of 2 → 50.0%;
    #      (1.5 + 2.0) / 2 = 1.75 h; overdue now 1 (T3); rated 2: (5 + 3) / 2 = 4.00.

    # -- gaj --
    # G1 D1 09:00 → 09:30, due 12:30: on time, 0.5 h.
    add(session, "gaj", at(D1, 9), S.REPLIED, at(D1, 12, 30), replied=at(D1, 9, 30))
    # G2 D2 09:00 → 10:00, due 12:30: on time, 1.0 h. ★4
    add(session, "gaj", at(D2, 9), S.CONFIRMED, at(D2, 12, 30), replied=at(D2, 10), stars=4)
    # gaj: received 2, replied 2 → 100.0%; on time 100.0%; (0.5 + 1.0) / 2 = 0.75 h; ★4.00.

    # -- rsj --
    # R1 D2 09:00 → 11:00, due 09:30: late, 2.0 h. ★2 (不满意), rectified: a callback
    #    found the citizen satisfied.
    add(session, "rsj", at(D2, 9), S.CONFIRMED, at(D2, 9, 30), replied=at(D2, 11), stars=2,
        rectification=Rectification(
            opened_at=at(D2, 14), due_at=at(D3, 14), state=RectificationState.RECTIFIED,
            callbacks=(RectificationCall(at(D3, 10), "郑红梅", "satisfied", "x"),)))
    # rsj: received 1, replied 1 → 100.0%; on time 0.0%; 2.00 h; ★2.00 of 1;
    #      unsatisfied 1, rectified and called back → 100.0% and 100.0%.

    # Leaderboard (on-time rate, then hours): gaj 100.0% 0.75 h, tax 50.0% 1.75 h,
    # rsj 0.0% 2.00 h.
    # Daily, all three: D1 received T1 T2 G1 = 3, replied T1 T2 G1 = 3, on time 2 of 3
    # → 66.7%; D2 received T3 G2 R1 = 3, replied G2 R1 = 2, on time 1 of 2 → 50%;
    # D3 received T4 = 1, no reply.


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A server whose database holds the demo hall and the fixture (overrides conftest's)."""
    data_dir = tmp_path_factory.mktemp("stats-hub")
    settings = Settings(data_dir=data_dir)
    db = Database(settings.db_url)
    db.migrate()
    with db.write() as session:
        log = ChangeLog()
        load_hall(session, log, load_demo_hall(), settings, password=DEMO_PASSWORD)
        log.commit_positions(session)
        load_fixture(session)
    db.dispose()
    process = ServerProcess(data_dir).start()  # --demo finds the accounts and adds nothing
    yield process
    process.stop()


def page_for(qtbot, ctx, cls):
    page = cls(ctx)
    qtbot.addWidget(page)
    return page


def load(qtbot, page, action) -> None:
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        action()


def cells(model) -> dict[str, list[str]]:
    """Each row's displayed texts, by its first column (the department's name)."""
    rows = {}
    for r in range(model.rowCount()):
        texts = [model.index(r, c).data() for c in range(model.columnCount())]
        rows[texts[0]] = texts[1:]
    return rows


def test_the_dashboard_shows_the_hand_computed_figures(qtbot, session):
    page = page_for(qtbot, session("admin"), DashboardPage)
    load(qtbot, page, lambda: page.set_period(FIRST, LAST))
    assert page.message.isHidden() and page.report is not None

    headers = [page.departments.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.departments.columnCount())]
    assert headers == ["部门", "收件数", "已回复", "办结率", "按时率", "平均回复用时（工作小时）",
                       "当前超期", "平均评价（星）", "评价数", "差评数", "整改率", "回访率"]
    table = cells(page.departments)
    no_complaints = ["0", "—", "—"]
    assert table["税务局"] == ["4", "2", "50.0%", "50.0%", "1.75", "1", "4.00", "2",
                            *no_complaints]
    assert table["公安局户政"] == ["2", "2", "100.0%", "100.0%", "0.75", "0", "4.00", "1",
                              *no_complaints]
    assert table["人社局"] == ["1", "1", "100.0%", "0.0%", "2.00", "0", "2.00", "1", "1",
                            "100.0%", "100.0%"]
    # every department of the hall shows, "—" where nothing can be computed
    assert len(table) == 11
    assert table["不动产登记中心"] == ["0", "0", "—", "—", "—", "0", "—", "0", *no_complaints]

    board = [[page.leaderboard.index(r, c).data()
              for c in range(page.leaderboard.columnCount())]
             for r in range(page.leaderboard.rowCount())]
    assert board == [["1", "公安局户政", "100.0%", "0.75", "★ 领先"],
                     ["2", "税务局", "50.0%", "1.75", ""],
                     ["3", "人社局", "0.0%", "2.00", "▼ 需加油"]]

    assert f"{FIRST} 至 {LAST}" in page.as_of.text() and "数据截至" in page.as_of.text()
    assert "离线" not in page.as_of.text()

    # the charts: one point per day of the month; D1, D2, D3 as computed above
    days = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    (bars,) = page.charts.volume.series()
    received, replied = bars.barSets()
    assert [received.at(i) for i in range(received.count())] == [
        {D1: 3, D2: 3, D3: 1}.get(d, 0) for d in days]
    assert [replied.at(i) for i in range(replied.count())] == [
        {D1: 3, D2: 2}.get(d, 0) for d in days]
    (line,) = page.charts.rate.series()
    assert [(p.x(), round(p.y(), 2)) for p in line.points()] == [
        (float(days.index(D1)), 66.67), (float(days.index(D2)), 50.0)]

    # sorting by 按时率, highest first; departments without a rate stay at the bottom
    page.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert [page.departments.index(r, 0).data() for r in range(4)] == [
        "公安局户政", "税务局", "人社局", "不动产登记中心"]


def test_a_supervisor_sees_their_department_and_reads_it_offline_later(qtbot, session):
    ctx = session("tax-lead")
    page = page_for(qtbot, ctx, DashboardPage)
    load(qtbot, page, lambda: page.set_period(FIRST, LAST))
    assert list(cells(page.departments)) == ["税务局"]
    fresh = page.as_of.text()

    ctx.client.transport.base_url = f"http://127.0.0.1:{free_port()}"  # nobody listens
    load(qtbot, page, page.refresh)
    assert "（离线，显示缓存）" in page.as_of.text()
    assert page.as_of.text().startswith(fresh)  # the same period and the same as-of time
    assert cells(page.departments)["税务局"] == ["4", "2", "50.0%", "50.0%", "1.75", "1",
                                                "4.00", "2", "0", "—", "—"]

    load(qtbot, page, lambda: page.set_period(D2, LAST))  # never fetched: nothing to show
    assert not page.message.isHidden() and "没有这段时间的统计缓存" in page.message.text()
    assert page.departments.rowCount() == 0  # no figures of another period left standing


def test_the_monthly_evaluation_and_its_exports(qtbot, session, monkeypatch, tmp_path):
    page = page_for(qtbot, session("tax-lead"), EvaluationPage)
    load(qtbot, page, lambda: page.select_month(MONTH))
    # tax: received 4, replied 2 (T1 T2), on time 1, overdue 2 (T2 late, T3 running) → 50%.
    # 张伟 replied T2 late and holds T3: 1, 0, 2, 0.0%; 李婷 replied T1 on time: 1, 1, 0.
    assert cells(page.departments) == {"税务局": ["4", "2", "1", "2", "50.0%"]}
    staff = [[page.staff.index(r, c).data() for c in range(page.staff.columnCount())]
             for r in range(page.staff.rowCount())]
    assert staff == [["税务局", "张伟", "1", "0", "2", "0.0%"],
                     ["税务局", "李婷", "1", "1", "0", "100.0%"]]  # the most overdue first

    target = tmp_path / "考核.xlsx"
    monkeypatch.setattr(ui.evaluation, "choose_export_path", lambda *a: target)
    with qtbot.waitSignal(page.exported, timeout=20_000):
        qtbot.mouseClick(page.excel_button, Qt.MouseButton.LeftButton)
    assert str(target) in page.note.text()
    book = load_workbook(target)
    assert [[c.value for c in r] for r in book["部门"].iter_rows(min_row=3)] == [
        ["税务局", 4, 2, 1, 2, 0.5]]
    assert [[c.value for c in r] for r in book["人员"].iter_rows(min_row=3)] == [
        ["税务局", "张伟", 1, 0, 2, 0.0], ["税务局", "李婷", 1, 1, 0, 1.0]]

    target = tmp_path / "考核.csv"
    with qtbot.waitSignal(page.exported, timeout=20_000):
        qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file))[1:] == [
            ["税务局", "（部门合计）", "4", "2", "1", "2", "50.00%"],
            ["税务局", "张伟", "", "1", "0", "2", "0.00%"],
            ["税务局", "李婷", "", "1", "1", "0", "100.00%"]]


def test_a_failed_export_is_said_in_chinese(qtbot, session, monkeypatch, tmp_path):
    page = page_for(qtbot, session("tax-lead"), EvaluationPage)
    load(qtbot, page, lambda: page.select_month(MONTH))
    said = []
    monkeypatch.setattr(ui.evaluation, "choose_export_path",
                        lambda *a: tmp_path / "no-such-folder" / "考核.xlsx")
    monkeypatch.setattr(ui.evaluation, "show_message", lambda *a: said.append(a[1:]))
    qtbot.mouseClick(page.excel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert said[0][0] == "导出失败" and "无法写入" in said[0][1]


def nav_labels(win: MainWindow) -> list[str]:
    return [win.nav.item(i).text() for i in range(win.nav.count())]


def test_leaders_get_the_statistics_pages_and_clerks_do_not(qtbot, session):
    clerk = MainWindow(session("bdc01"), RecordingNotifier())
    qtbot.addWidget(clerk)
    assert "统计" not in nav_labels(clerk) and "月度考核" not in nav_labels(clerk)
    assert clerk.dashboard is None and clerk.evaluation is None

    leader = MainWindow(session("tax-lead"), RecordingNotifier())
    qtbot.addWidget(leader)
    leader.show()
    assert nav_labels(leader)[-2:] == ["统计", "月度考核"]
    with qtbot.waitSignal(leader.dashboard.loaded, timeout=20_000):
        leader.nav.setCurrentRow(nav_labels(leader).index("统计"))  # opening it fetches
    assert list(cells(leader.dashboard.departments)) == ["税务局"]


def test_a_clerk_asking_anyway_is_told_who_may(qtbot, session):
    page = page_for(qtbot, session("tax01"), DashboardPage)
    load(qtbot, page, page.refresh)
    assert page.message.text() == "只有部门领导和管理员可以查看统计"
