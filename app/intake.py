"""受理登记 and 受理回执 without Qt: the catalogue as the intake form offers it, the expected
completion of a case, the form's crash-proof draft and the data printed on a receipt.

The draft holds a citizen's name, ID number and phone, so it lives in the encrypted cache
(``sync_state`` key ``intake_draft``), never in a plain file. The materials the clerk ticked
as received are not part of the ``case.register`` op; this PC keeps them next to the draft
(``intake_received:<case id>``) so the receipt printed at the counter can list them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import local
from app.domain.enums import Category, Channel, RequestRole
from app.sqltypes import utcnow
from app.store import Store
from app.store import models as m
from app.text import Text, day_and_time
from app.validation import mask_id_number, mask_phone

DRAFT_KEY = "intake_draft"
RECEIVED_KEY = "intake_received:"
# Printed on the receipt, which stays Chinese in every UI language (see Receipt).
INQUIRY_TEXT = "咨询电话：12345　查询：凭受理编号到任一窗口或登录政务服务网查询"
COMPLEX_TEXT = Text("复杂件：会商后确定")


# -- the catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Collaboration:
    """A department a matter usually needs: who, as lead or assisting, and for what."""

    department: str
    department_name: str
    role: RequestRole
    needed: str


@dataclass(frozen=True, slots=True)
class MatterChoice:
    code: str
    name: str
    department: str
    department_name: str
    default_category: Category
    materials: tuple[str, ...]
    collaborations: tuple[Collaboration, ...]
    promised_working_days: float | None

    @property
    def label(self) -> str:
        """How the matter reads in the picker: "二手房转移登记 — 不动产登记中心"."""
        return f"{self.name} — {self.department_name}"


def _material_name(item: Any) -> str:
    if isinstance(item, Mapping):
        return str(item.get("name") or item.get("title") or "")
    return str(item)


def _department_names(session) -> dict[str, str]:
    return dict(session.execute(select(m.Department.code, m.Department.name)).all())


def catalogue(store: Store, department: str | None) -> list[MatterChoice]:
    """Every matter of the hall, the clerk's own department's first, then by department."""
    with store.read() as session:
        names = _department_names(session)
        order = dict(session.execute(select(m.Department.code, m.Department.sort_order)).all())
        rows = session.scalars(select(m.MatterType)).all()
        choices = []
        for row in rows:
            data = row.data or {}
            collaborations = []
            for c in data.get("collaborations") or ():
                try:
                    role = RequestRole(c.get("role", "assisting"))
                except ValueError:
                    role = RequestRole.ASSISTING
                code = str(c.get("department", ""))
                collaborations.append(Collaboration(code, names.get(code, code), role,
                                                    str(c.get("needed", ""))))
            try:
                category = Category(row.default_category)
            except ValueError:
                category = Category.GENERAL
            choices.append(MatterChoice(
                code=row.code, name=row.name, department=row.department_code,
                department_name=names.get(row.department_code, row.department_code),
                default_category=category,
                materials=tuple(n for n in map(_material_name, row.materials or ()) if n),
                collaborations=tuple(collaborations),
                promised_working_days=data.get("promised_working_days")))
    choices.sort(key=lambda c: (c.department != department, order.get(c.department, 999),
                                c.department, c.code))
    return choices


def departments(store: Store) -> list[tuple[str, str]]:
    """(code, name) of every department, in the hall's order."""
    with store.read() as session:
        rows = session.execute(select(m.Department.code, m.Department.name)
                               .order_by(m.Department.sort_order, m.Department.code)).all()
    return [(code, name) for code, name in rows]


# -- deadlines -------------------------------------------------------------------------------


def category_working_days(store: Store, category: Category | str) -> float | None:
    """Working days a case of this category gets (None: complex, fixed after consultation)."""
    with store.read() as session:
        ctx = local.context(session, utcnow(), "")
    return ctx.policies.for_case(Category(category)).working_days


def expected_completion(store: Store, category: Category | str,
                        now: datetime) -> datetime | None:
    """When a case registered ``now`` is due, in the hall's time zone; None for complex.

    The same computation the case state machine makes at registration (calendar and SLA
    policies as last synced)."""
    with store.read() as session:
        ctx = local.context(session, now, "")
    allowance = ctx.policies.for_case(Category(category)).allowance(ctx.calendar.hours_per_day)
    if allowance is None:
        return None
    return ctx.calendar.add_working_time(now, allowance).astimezone(ctx.calendar.tz)


def format_days(days: float) -> str:
    return f"{days:g}"


def completion_text(store: Store, category: Category | str, now: datetime) -> Text:
    """"预计办结：11月30日 17:30（5个工作日）", or "复杂件：会商后确定"."""
    due = expected_completion(store, category, now)
    days = category_working_days(store, category)
    if due is None or days is None:
        return COMPLEX_TEXT
    return Text("预计办结：{due}（{days}个工作日）", due=day_and_time(due),
                days=format_days(days))


# -- the draft -------------------------------------------------------------------------------


def save_draft(store: Store, draft: Mapping[str, Any]) -> None:
    """Keep the form's unsent content in the encrypted cache (one draft per user)."""
    value = json.dumps(dict(draft), ensure_ascii=False)
    with store.session() as session:
        session.merge(m.SyncState(key=DRAFT_KEY, value=value))


def load_draft(store: Store) -> dict[str, Any] | None:
    with store.read() as session:
        row = session.get(m.SyncState, DRAFT_KEY)
        value = row.value if row is not None else None
    if not value:
        return None
    try:
        draft = json.loads(value)
    except ValueError:
        return None
    return draft if isinstance(draft, dict) else None


def clear_draft(store: Store) -> None:
    with store.session() as session:
        row = session.get(m.SyncState, DRAFT_KEY)
        if row is not None:
            session.delete(row)


def record_received(store: Store, case_id: str, received: Iterable[str]) -> None:
    """The materials ticked as received at registration, kept on this PC for the receipt."""
    value = json.dumps(list(received), ensure_ascii=False)
    with store.session() as session:
        session.merge(m.SyncState(key=RECEIVED_KEY + case_id, value=value))


def _recorded_received(session, case_id: str) -> list[str] | None:
    row = session.get(m.SyncState, RECEIVED_KEY + case_id)
    if row is None:
        return None
    try:
        value = json.loads(row.value)
    except ValueError:
        return None
    return [str(v) for v in value] if isinstance(value, list) else None


# -- the receipt -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    """What a 受理回执 says. Times are in the hall's time zone; ID and phone are masked.

    An official document handed to the citizen: it stays Chinese in every UI language, so
    its texts are plain str, never Text."""

    case_id: str
    number: str
    matter_code: str
    matter_name: str
    department_name: str
    citizen_name: str
    citizen_id_masked: str
    citizen_phone_masked: str
    channel_label: str
    category_label: str
    materials_recorded: bool  # False: this PC does not know which materials were ticked
    received: tuple[str, ...]
    missing: tuple[str, ...]
    clerk_name: str
    window_name: str
    registered_at: datetime
    due_at: datetime | None
    working_days: float | None
    inquiry: str
    printed_at: datetime

    @property
    def due_text(self) -> str:
        if self.due_at is None or self.working_days is None:
            return "会商后确定（复杂件）"
        return (f"{self.due_at:%Y年}{self.due_at.month}月{self.due_at.day}日 "
                f"{self.due_at:%H:%M} 前（{format_days(self.working_days)}个工作日）")


class ReceiptNotFound(LookupError):
    """No such case in this PC's cache; the message is Chinese."""


def receipt_data(store: Store, case_id: str, actor, now: datetime,
                 received: Sequence[str] | None = None) -> Receipt:
    """The receipt of a case as this PC knows it. ``received`` overrides the materials
    recorded at registration; the clerk named is the one who registered the case."""
    with store.read() as session:
        row = session.get(m.Case, case_id)
        if row is None:
            raise ReceiptNotFound(Text("没有找到该办件，无法打印回执"))
        ctx = local.context(session, now, "")
        tz = ctx.calendar.tz
        matter = session.get(m.MatterType, row.matter_code)
        materials = tuple(n for n in map(_material_name, matter.materials or ()) if n) \
            if matter else ()
        if received is None:
            received = _recorded_received(session, case_id)
        recorded = received is not None
        got = tuple(x for x in materials if x in set(received or ()))
        missing = tuple(x for x in materials if x not in set(received or ())) if recorded else ()
        registered_by = (row.data or {}).get("registered_by")
        clerk = session.get(m.Staff, registered_by) if registered_by else None
        clerk_name = clerk.name if clerk is not None else actor.name
        window_code = clerk.window_code if clerk is not None else actor.window
        window = session.get(m.Window, window_code) if window_code else None
        department = session.get(m.Department, row.department_code)
        try:
            category = Category(row.category)
            working_days = ctx.policies.for_case(category).working_days
            category_label = category.label
        except (ValueError, KeyError):
            working_days, category_label = None, row.category
        try:
            channel_label = Channel(row.channel).label
        except ValueError:
            channel_label = row.channel
        return Receipt(
            case_id=row.id, number=row.number, matter_code=row.matter_code,
            matter_name=matter.name if matter else row.matter_code,
            department_name=department.name if department else row.department_code,
            citizen_name=row.citizen_name,
            citizen_id_masked=mask_id_number(row.citizen_id_number),
            citizen_phone_masked=mask_phone(row.citizen_phone or ""),
            channel_label=channel_label, category_label=category_label,
            materials_recorded=recorded,
            received=got if recorded else materials, missing=missing,
            clerk_name=clerk_name,
            window_name=(f"{window.name}（{window.code}）" if window else (window_code or "")),
            registered_at=row.registered_at.astimezone(tz),
            due_at=row.due_at.astimezone(tz) if row.due_at else None,
            working_days=working_days if row.due_at else None,
            inquiry=INQUIRY_TEXT,
            printed_at=now.astimezone(tz),
        )


def hall_timezone(store: Store):
    with store.read() as session:
        return local.context(session, utcnow(), "").calendar.tz

