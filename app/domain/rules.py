"""What every decision needs besides the entity and the command: time, calendar, policies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from app.domain.entities import Event, Staff
from app.domain.enums import StaffRole
from app.domain.errors import invalid_argument, wrong_role
from app.domain.sla import SlaPolicies
from app.text import Text, listing

if TYPE_CHECKING:
    from app.worktime import WorkCalendar

# Who may do what, by role. Department checks come on top of these.
WORKING_ROLES = frozenset({StaffRole.CLERK, StaffRole.LIAISON, StaffRole.SUPERVISOR})
HANDLING_ROLES = frozenset({StaffRole.LIAISON, StaffRole.SUPERVISOR})
LEADER_ROLES = frozenset({StaffRole.SUPERVISOR})


@dataclass(frozen=True, slots=True)
class Context:
    """The world a command is decided in. ``now`` is the deciding side's (server) time."""

    now: datetime
    calendar: WorkCalendar
    policies: SlaPolicies
    device: str = ""
    departments: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    matter_codes: frozenset[str] | None = None  # None: not checked here (no catalogue loaded)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("Context.now must be timezone-aware")

    def department_name(self, code: str | None) -> str:
        return self.departments.get(code or "", code or "")

    def require_department(self, code: str, label: str) -> None:
        if self.departments and code not in self.departments:
            raise invalid_argument(Text("{action}：没有编码为 {code} 的部门",
                                        action=Text(label), code=code),
                                   reason="unknown_department")

    def event(self, entity: str, entity_id: str, kind: str, actor: Staff, **details) -> Event:
        return Event(
            entity=entity,
            entity_id=entity_id,
            kind=kind,
            actor_id=actor.id,
            actor_name=actor.name,
            department=actor.department,
            at=self.now,
            device=self.device,
            details=MappingProxyType(details),
        )


def require_role(actor: Staff, roles: frozenset[StaffRole], label: str) -> None:
    if actor.roles.isdisjoint(roles):
        names = listing(Text(r.label) for r in sorted(roles))
        raise wrong_role(Text("{action}需要{roles}权限，{name}没有该权限",
                              action=Text(label), roles=names, name=actor.name))


def require_text(value: str, label: str, what: Text) -> None:
    if not value.strip():
        raise invalid_argument(Text("{action}：请填写{what}", action=Text(label), what=what),
                               reason="missing_text")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def with_descendants(root: str, parents: Iterable[tuple[str, str | None]]) -> frozenset[str]:
    """``root`` and every department under it, from (code, parent code) pairs: what a
    supervisor leads and sees."""
    children: dict[str | None, list[str]] = {}
    for code, parent in parents:
        children.setdefault(parent, []).append(code)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)
