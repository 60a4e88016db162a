"""A realistic past for the demo hall: several weeks of cases and collaboration requests,
played through the same push path and scheduler as live work, each op at its own past time.

Most requests are accepted and answered within their half working day; some are answered
late, sent back for missing papers, forwarded to the right department, urged; a few are
still stuck and overdue; most replies are rated well, a few badly. Whatever would happen
after ``now`` is simply not played, so the last hours' work is still open, as in a real
hall. The same ``seed`` gives the same history.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any

from app.domain.entities import MatterType, Staff
from app.domain.enums import StaffRole
from app.reference import Hall
from app.validation import id_check_character
from app.worktime import WorkCalendar
from server import scheduler
from server.config import Settings
from server.db import Database
from server.deps import Principal
from server.hall import HallRulesCache
from server.sync.changes import ChangeLog
from server.sync.push import APPLIED, push

DEVICE = "demo-history"
SCHEDULER_TICK = timedelta(minutes=15)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
         "超", "秀英", "建华", "丽华", "志强", "海燕", "桂兰", "晓东", "雪梅", "国庆")
REGIONS = ("330105", "330106", "330108", "330110", "330122", "330127")  # Hangzhou districts
STARS = (5, 4, 3, 2, 1)
STAR_WEIGHTS = (58, 26, 8, 5, 3)
LOW_COMMENTS = ("材料来回补了两次，回复太慢", "回复内容与所需证明不符，只好重新申请",
                "超过期限才回复，申请人在窗口等了很久", "电话一直打不通，催了才办")
GOOD_COMMENTS = ("", "", "很及时", "材料齐全，谢谢", "")
SEND_BACK_REASONS = ("缺少购房合同复印件，请补充后重新提交", "申请人身份证明模糊，请重新扫描",
                     "缺少婚姻状况证明")
URGE_NOTES = ("申请人已在窗口等候，请尽快办理", "今天下班前需要，请加快")


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    action: Callable[[], None] = field(compare=False)


class _Player:
    """Plays ops at past times, in time order, with the scheduler's reminders and
    escalations issued as the clock passes each quarter hour."""

    def __init__(self, db: Database, settings: Settings, hall: Hall, now: datetime,
                 rng: random.Random, cancel: threading.Event) -> None:
        self.db, self.settings, self.hall, self.now, self.rng = db, settings, hall, now, rng
        self.cancel = cancel
        self.rules_cache = HallRulesCache()
        self.calendar = WorkCalendar()
        self.queue: list[_Step] = []
        self.order = itertools.count()
        self.scheduled_to: datetime | None = None
        self.played = 0
        self.people = _People(hall)
        self.holders: dict[str, str] = {}  # request id → the department answering it
        self.refused: list[str] = []  # should stay empty: the story follows the rules

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        if when < self.now:  # the future has not happened yet
            heapq.heappush(self.queue, _Step(when, next(self.order), action))

    def department_of(self, request_id: str) -> str:
        return self.holders[request_id]

    def later(self, start: datetime, low: int, high: int) -> datetime:
        """``start`` plus a random working time of ``low``..``high`` minutes."""
        return self.calendar.add_working_time(start, timedelta(minutes=self.rng.randint(low,
                                                                                       high)))

    def play(self) -> int:
        while self.queue and not self.cancel.is_set():
            step = heapq.heappop(self.queue)
            self._run_scheduler_until(step.at)
            self.clock = step.at
            step.action()
        self._run_scheduler_until(self.now)
        return self.played

    def push(self, actor: Staff, type_: str, entity_id: str, **args: Any) -> bool:
        principal = Principal(staff=actor, token_hash="",
                              departments=frozenset({actor.department}))
        op = {"op_id": str(uuid.uuid4()), "type": type_, "entity_id": entity_id, "args": args,
              "client_time": self.clock}
        with self.db.write() as session:
            log = ChangeLog()
            (result,) = push(session, log, self.rules_cache.get(session), principal, DEVICE,
                             [op], self.clock)
            log.commit_positions(session)
        self.played += 1
        if result.status != APPLIED:
            self.refused.append(f"{type_}: {result.message}")
        return result.status == APPLIED

    def _run_scheduler_until(self, until: datetime) -> None:
        """Runs the scheduler every quarter of a working hour up to ``until``: thresholds
        are working time, so nothing can come due outside working hours."""
        when = self.scheduled_to or until
        while when <= until:
            scheduler.run_once(self.db, self.rules_cache, replace(self.settings,
                                                                  clock=lambda w=when: w))
            when = self.calendar.add_working_time(when, SCHEDULER_TICK)
        self.scheduled_to = when


@dataclass(frozen=True)
class Played:
    ops: int
    refused: list[str]  # ops the server refused, with its reason


def seed_history(db: Database, settings: Settings, hall: Hall, now: datetime, *,
                 days: int = 28, cases_per_day: tuple[int, int] = (8, 14), seed: int = 2026,
                 cancel: threading.Event | None = None) -> Played:
    """Plays ``days`` calendar days of work before ``now``, until done or ``cancel`` is set."""
    rng = random.Random(seed)
    player = _Player(db, settings, hall, now, rng, cancel or threading.Event())
    matters = [m for m in hall.matters if hall.collaborations.get(m.code)]
    calendar = player.calendar
    today = now.astimezone(calendar.tz).date()
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        if not calendar.is_workday(day):
            continue
        opening = datetime.combine(day, time(9), tzinfo=calendar.tz)
        for _ in range(rng.randint(*cases_per_day)):
            matter = rng.choice(matters)
            registered = player.later(opening, 0, 6 * 60)
            player.at(registered, lambda m=matter, t=registered: _case(player, m, t))
    return Played(player.play(), player.refused)


class _People:
    def __init__(self, hall: Hall) -> None:
        self.staff = hall.staff

    def of(self, department: str, *roles: StaffRole) -> list[Staff]:
        return [s for s in self.staff if s.department == department and s.has_role(*roles)]


def _case(player: _Player, matter: MatterType, registered: datetime) -> None:
    rng = player.rng
    clerk = rng.choice(player.people.of(matter.department, StaffRole.CLERK, StaffRole.LIAISON))
    case_id = str(uuid.uuid4())
    if not player.push(clerk, "case.register", case_id, matter_code=matter.code,
                       citizen_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                       citizen_id_number=_id_number(rng), citizen_phone=_phone(rng),
                       channel=rng.choices(("window", "hotline_12345", "web", "mailbox"),
                                           (70, 12, 15, 3))[0],
                       category=matter.default_category.value,
                       description=f"{matter.name}，材料已初审"):
        return
    for collaboration in player.hall.collaborations[matter.code]:
        request_id = str(uuid.uuid4())
        sent = player.later(registered, 1, 10)
        player.at(sent, lambda c=collaboration, r=request_id, t=sent: _send(
            player, clerk, case_id, matter, c, r, t))


def _send(player: _Player, clerk: Staff, case_id: str, matter: MatterType,
          collaboration: dict[str, str], request_id: str, sent: datetime) -> None:
    if not player.push(clerk, "request.send", request_id, case_id=case_id,
                       to_department=collaboration["department"],
                       role=collaboration["role"], subject=matter.name,
                       needed=collaboration["needed"]):
        return
    _handle(player, clerk, request_id, collaboration["department"], sent,
            forwarded=False)


def _handle(player: _Player, clerk: Staff, request_id: str, department: str,
            arrived: datetime, *, forwarded: bool) -> None:
    """The receiving department's part: accept, then answer (or send back, forward, stall)."""
    rng = player.rng
    player.holders[request_id] = department
    liaison = rng.choice(player.people.of(department, StaffRole.LIAISON))
    fate = rng.choices(("answer", "late", "send_back", "forward", "urged", "stall"),
                       (68, 10, 7, 0 if forwarded else 4, 6, 5))[0]
    accepted = player.later(arrived, 3, 60)

    def answer(after: datetime, low: int, high: int) -> None:
        replied = player.later(after, low, high)
        player.at(replied, lambda: player.push(liaison, "request.reply", request_id,
                                               text="已办理，相关证明见附件说明")
                  and _confirm(player, clerk, request_id, replied))

    def accept() -> None:
        if not player.push(liaison, "request.accept", request_id):
            return
        if fate == "answer":
            answer(accepted, 15, 150)
        elif fate == "late":
            answer(accepted, 220, 480)
        elif fate == "urged":
            urged = player.later(accepted, 120, 170)
            player.at(urged, lambda: player.push(clerk, "request.urge", request_id,
                                                 note=rng.choice(URGE_NOTES)))
            answer(urged, 20, 90)
        elif fate == "send_back":
            back = player.later(accepted, 10, 60)
            player.at(back, lambda: player.push(liaison, "request.send_back", request_id,
                                                reason=rng.choice(SEND_BACK_REASONS))
                      and resubmit(back))
        elif fate == "forward":
            target = rng.choice([d.code for d in player.hall.departments
                                 if d.code not in (department, clerk.department, "zwfw")])
            moved = player.later(accepted, 5, 40)
            player.at(moved, lambda: player.push(liaison, "request.forward", request_id,
                                                 to_department=target,
                                                 reason="该证明由对方部门出具")
                      and _handle(player, clerk, request_id, target, moved,
                                  forwarded=True))
        # "stall": accepted and never answered; the scheduler escalates it

    def resubmit(back: datetime) -> None:
        again = player.later(back, 30, 240)
        player.at(again, lambda: player.push(clerk, "request.resubmit", request_id,
                                             text="已补充所缺材料")
                  and answer(again, 15, 120))

    player.at(accepted, accept)


def _confirm(player: _Player, clerk: Staff, request_id: str, replied: datetime) -> None:
    rng = player.rng
    if rng.random() < 0.15:
        return  # not confirmed yet
    stars = rng.choices(STARS, STAR_WEIGHTS)[0]
    comment = rng.choice(LOW_COMMENTS) if stars <= 2 else rng.choice(GOOD_COMMENTS)
    confirmed = player.later(replied, 5, 240)
    indicators = [rng.choice(("efficiency", "attitude", "competence"))] if stars <= 2 else []
    player.at(confirmed, lambda: player.push(clerk, "request.confirm", request_id,
                                             rating=stars, comment=comment,
                                             indicators=indicators)
              and stars <= 2 and _rectify(player, request_id, confirmed))


def _rectify(player: _Player, request_id: str, rated: datetime) -> None:
    """The answering department's part after a bad rating: most call back and put it
    right, some only after a failed call, a few appeal; the rest are still open."""
    rng = player.rng
    department = player.department_of(request_id)
    liaison = rng.choice(player.people.of(department, StaffRole.LIAISON))
    fate = rng.choices(("callback", "retry", "appeal", "open"), (55, 15, 10, 20))[0]
    if fate == "open":
        return

    def call(at: datetime, outcome: str) -> bool:
        return player.push(liaison, "request.rectification_callback", request_id,
                           measures="已约谈经办人，完善一次性告知材料清单",
                           called_by=liaison.name, called_at=at.isoformat(), outcome=outcome,
                           note="")

    first = player.later(rated, 60, 5 * 7 * 60)
    if fate == "callback":
        player.at(first, lambda: call(first, "satisfied"))
    elif fate == "retry":
        second = player.later(first, 30, 7 * 60)
        player.at(first, lambda: call(first, "unreachable"))
        player.at(second, lambda: call(second, "basically_satisfied"))
    else:
        lead = player.people.of(department, StaffRole.SUPERVISOR)[0]
        decided = player.later(first, 60, 7 * 60)
        uphold = rng.random() < 0.5
        player.at(first, lambda: player.push(liaison, "request.appeal", request_id,
                                             reason="申请人评价的是其他窗口的服务"))
        player.at(decided, lambda: player.push(
            lead, "request.decide_appeal", request_id, uphold=uphold,
            note="核实为误评，予以撤销" if uphold else "差评属实，请按期整改"))


def _id_number(rng: random.Random) -> str:
    birth = datetime(1950, 1, 1) + timedelta(days=rng.randint(0, 50 * 365))
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + id_check_character(body)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"
