"""Shared actors, context and builders for the domain tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain import cases, requests
from app.domain.commands import RegisterCase, SendRequest
from app.domain.entities import Case, CollabRequest, Extension, Rating, Staff
from app.domain.enums import RequestState, StaffRole
from app.domain.rules import Context
from app.domain.sla import SlaPolicies
from app.worktime import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a plain working Monday
VALID_ID = "11010519491231002X"  # GB 11643 example; check character X
DEPARTMENTS = {"bdc": "不动产登记中心", "tax": "税务局", "gaj": "公安局户政",
               "zwfw": "政务服务管理办公室"}


def staff(username: str, department: str | None, *roles: StaffRole) -> Staff:
    return Staff(id=f"id-{username}", username=username, name=username, department=department,
                 roles=frozenset(roles))


BDC_CLERK = staff("bdc01", "bdc", StaffRole.CLERK)
BDC_LEAD = staff("bdc-lead", "bdc", StaffRole.SUPERVISOR)
BDC_ADMIN = staff("bdc-admin", "bdc", StaffRole.ADMIN)  # right department, no working role
TAX_LIAISON = staff("tax01", "tax", StaffRole.LIAISON)
TAX_CLERK = staff("tax02", "tax", StaffRole.CLERK)
TAX_LEAD = staff("tax-lead", "tax", StaffRole.SUPERVISOR)
GAJ_CLERK = staff("gaj01", "gaj", StaffRole.CLERK)
GAJ_LIAISON = staff("gaj02", "gaj", StaffRole.LIAISON)
GAJ_LEAD = staff("gaj-lead", "gaj", StaffRole.SUPERVISOR)
ADMIN = staff("admin", "zwfw", StaffRole.ADMIN)

CALENDAR = WorkCalendar()
POLICIES = SlaPolicies.default()


def ctx(now: datetime = MONDAY_10, calendar: WorkCalendar = CALENDAR) -> Context:
    return Context(now=now, calendar=calendar, policies=POLICIES, device="pc-test",
                   departments=DEPARTMENTS, matter_codes=frozenset({"bdc-transfer", "tax-cert"}))


def register_command(**overrides) -> RegisterCase:
    fields = dict(matter_code="bdc-transfer", citizen_name="张三", citizen_id_number=VALID_ID,
                  citizen_phone="13800138000", channel="window", category="general",
                  description="二手房过户")
    fields.update(overrides)
    return RegisterCase(**fields)


def new_case(category: str = "general", at: datetime = MONDAY_10) -> Case:
    return cases.register("case-1", register_command(category=category), BDC_CLERK,
                          ctx(at)).case


def sent_request(at: datetime = MONDAY_10, role: str = "assisting",
                 sla: str | None = None) -> CollabRequest:
    command = SendRequest(case_id="case-1", to_department="tax", role=role, subject="完税证明",
                          needed="契税完税证明", sla=sla)
    return requests.send("req-1", new_case(at=at), command, BDC_CLERK, ctx(at)).request


def request_in(state: RequestState, *, pending_extension: bool = False,
               rating: int = 2) -> CollabRequest:
    """A request as it would be in ``state`` after the usual path there."""
    r = sent_request()
    later = MONDAY_10 + timedelta(minutes=30)
    if state in (RequestState.ACCEPTED, RequestState.REPLIED, RequestState.CONFIRMED):
        r = replace(r, accepted_at=later, accepted_by=TAX_LIAISON.id)
    if state is RequestState.SENT_BACK:
        r = replace(r, due_at=None, clock_started_at=None, paused_remaining=timedelta(hours=3),
                    send_back_reason="缺少合同")
    if state is RequestState.FORWARDED:
        r = replace(r, handled_by=("gaj", "tax"))
    if state in (RequestState.REPLIED, RequestState.CONFIRMED):
        r = replace(r, reply_text="已开具", replied_at=later, replied_by=TAX_LIAISON.id,
                    clock_started_at=None)
    if state is RequestState.CONFIRMED:
        r = replace(r, rating=Rating(stars=rating, comment="太慢"))
    if state is RequestState.WITHDRAWN:
        r = replace(r, clock_started_at=None)
    if pending_extension:
        r = replace(r, pending_extension=Extension(2, "需要调档", TAX_LIAISON.id, later))
    return replace(r, state=state)
