"""Reference data of a hall: departments, windows, staff and the catalogue of matters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.entities import Department, MatterType, Staff, Window
from app.domain.enums import Category, StaffRole
from app.paths import resources_dir


@dataclass(frozen=True, slots=True)
class Hall:
    code: str
    name: str
    timezone: str
    departments: tuple[Department, ...]
    windows: tuple[Window, ...]
    staff: tuple[Staff, ...]
    matters: tuple[MatterType, ...]
    collaborations: dict[str, tuple[dict[str, str], ...]]  # matter code → usual requests

    def department_names(self) -> dict[str, str]:
        return {d.code: d.name for d in self.departments}

    def staff_by_username(self, username: str) -> Staff:
        return next(s for s in self.staff if s.username == username)


def load_hall(hall_file: Path, catalogue_file: Path) -> Hall:
    hall = json.loads(hall_file.read_text(encoding="utf-8"))
    catalogue = json.loads(catalogue_file.read_text(encoding="utf-8"))
    matters_raw: list[dict[str, Any]] = (
        catalogue["matters"] if isinstance(catalogue, dict) else catalogue
    )
    return Hall(
        code=hall["hall"]["code"],
        name=hall["hall"]["name"],
        timezone=hall["hall"].get("timezone", "Asia/Shanghai"),
        departments=tuple(
            Department(d["code"], d["name"], d.get("parent"), d.get("sort_order", 0))
            for d in hall["departments"]
        ),
        windows=tuple(Window(w["code"], w["department"], w["name"]) for w in hall["windows"]),
        staff=tuple(
            Staff(id=s["id"], username=s["username"], name=s["name"],
                  department=s.get("department"),
                  roles=frozenset(StaffRole(r) for r in s["roles"]), window=s.get("window"))
            for s in hall["staff"]
        ),
        matters=tuple(
            MatterType(code=m["code"], name=m["name"], department=m["department"],
                       default_category=Category(m["default_category"]),
                       materials=tuple(m["materials"]),
                       promised_working_days=m.get("promised_working_days"))
            for m in matters_raw
        ),
        collaborations={m["code"]: tuple(m.get("collaborations", ())) for m in matters_raw},
    )


def load_demo_hall() -> Hall:
    demo = resources_dir() / "demo"
    return load_hall(demo / "hall.json", demo / "catalogue.json")
