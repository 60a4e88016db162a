"""SLA policies as data: how much working time each kind of work gets, and when to remind.

The defaults live in ``resources/sla_policies.json``; the server may load others and syncs
them to clients, so every PC computes the same deadlines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.domain.enums import Category
from app.paths import resources_dir


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    code: str
    name: str
    working_days: float | None  # None: fixed per case after consultation (复杂件)

    def allowance(self, hours_per_day: timedelta) -> timedelta | None:
        if self.working_days is None:
            return None
        return hours_per_day * self.working_days


@dataclass(frozen=True, slots=True)
class SlaPolicies:
    policies: Mapping[str, SlaPolicy]
    request_default: str
    case_by_category: Mapping[Category, str]
    reminders: tuple[timedelta, ...]  # working time left at which to remind, largest first

    def get(self, code: str) -> SlaPolicy:
        try:
            return self.policies[code]
        except KeyError:
            raise KeyError(f"unknown SLA policy {code!r}") from None

    def for_request(self, code: str | None = None) -> SlaPolicy:
        return self.get(code or self.request_default)

    def for_case(self, category: Category) -> SlaPolicy:
        return self.get(self.case_by_category[category])

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaPolicies:
        policies = {
            p["code"]: SlaPolicy(p["code"], p["name"], _days(p.get("working_days")))
            for p in data["policies"]
        }
        by_category = {Category(k): v for k, v in data["case_by_category"].items()}
        missing = [c for c in Category if c not in by_category]
        unknown = [v for v in [data["request_default"], *by_category.values()] if v not in policies]
        if missing or unknown:
            raise ValueError(f"SLA policies incomplete: categories {missing}, unknown {unknown}")
        minutes = sorted((int(m) for m in data["reminder_minutes_left"]), reverse=True)
        if any(m < 0 for m in minutes):
            raise ValueError("reminder thresholds must not be negative")
        return cls(
            policies=policies,
            request_default=data["request_default"],
            case_by_category=by_category,
            reminders=tuple(timedelta(minutes=m) for m in minutes),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "policies": [
                {"code": p.code, "name": p.name, "working_days": p.working_days}
                for p in self.policies.values()
            ],
            "request_default": self.request_default,
            "case_by_category": {c.value: code for c, code in self.case_by_category.items()},
            "reminder_minutes_left": [int(r.total_seconds() // 60) for r in self.reminders],
        }

    @classmethod
    def load(cls, path: Path) -> SlaPolicies:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def default(cls) -> SlaPolicies:
        return cls.load(resources_dir() / "sla_policies.json")


def _days(value: Any) -> float | None:
    if value is None:
        return None
    days = float(value)
    if days <= 0:
        raise ValueError(f"working_days must be positive, got {value!r}")
    return days
