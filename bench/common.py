"""What every figure shares: sizes, summaries, the machine's load, and ops as the protocol
spells them (docs/protocol.md §5–6). The server process is server.process's, as the tests'."""

from __future__ import annotations

import os
import statistics
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "demo-2026"
VALID_ID = "11010519491231002X"


@dataclass(frozen=True)
class Sizes:
    """How big each figure's data is; ``full`` is the issue's, the others finish sooner."""

    name: str
    requests: int  # P1–P4: cached requests
    repeats: int  # P1: cold starts; P2–P4: repetitions
    idle_seconds: float  # P3: idle CPU window
    sync_requests: int  # P5
    paced_ops: int  # P6 paced (50 ms apart)
    burst_ops: int  # P6 back to back
    push_ops: int  # P7 per repetition (per database)
    push_repeats: int
    poll_steps: tuple[int, ...]  # P8
    poll_rounds: int  # P8 pushes per step


SIZES = {
    "full": Sizes("full", 100_000, 5, 60.0, 100_000, 500, 500, 10_000, 3,
                  (500, 1000, 2000, 5000), 10),
    "quick": Sizes("quick", 5_000, 2, 5.0, 2_000, 30, 60, 1_000, 2, (200, 500), 2),
    "tiny": Sizes("tiny", 500, 2, 1.0, 200, 10, 20, 200, 1, (20,), 2),
}


def summary(values: list[float], *, value: float | None = None, unit: str,
            floor: float | None = None, **extra: Any) -> dict[str, Any]:
    """A figure's JSON object: ``value`` is the headline (the median unless given)."""
    median = statistics.median(values)
    out = {"value": median if value is None else value, "unit": unit, "median": median,
           "min": min(values), "max": max(values), "samples": len(values)}
    if floor is not None:
        out["floor"] = floor
    out.update(extra)
    out["load_average"] = load_average()  # the machine is shared: say how busy it was
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))]


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def rss_mb(pid: int | str = "self") -> dict[str, float]:
    """Resident and peak resident set of a process, in MB (from /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(rest.split()[0]) / 1024
    return fields


class Api:
    """One logged-in user over plain HTTP (for building data and for floors)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.device_id = f"bench-{uuid.uuid4().hex[:8]}"
        self.token = ""

    def login(self, username: str) -> Api:
        r = self.http.post(f"{self.base_url}/api/v1/auth/login", timeout=60,
                           json={"username": username, "password": DEMO_PASSWORD,
                                 "device_id": self.device_id})
        r.raise_for_status()
        self.token = r.json()["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        return self

    def push(self, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        r = self.http.post(f"{self.base_url}/api/v1/sync/push", timeout=300,
                           json={"device_id": self.device_id, "ops": ops})
        r.raise_for_status()
        results = r.json()["results"]
        refused = [x for x in results if x["status"] != "applied"]
        if refused:  # a benchmark that measures refusals measures the wrong thing
            raise RuntimeError(f"{len(refused)} ops not applied, e.g. {refused[0]}")
        return results


def op(type_: str, entity_id: str | None = None, **args: Any) -> dict[str, Any]:
    return {"op_id": str(uuid.uuid4()), "type": type_,
            "entity_id": entity_id or str(uuid.uuid4()), "args": args}


def register_op(case_id: str | None = None) -> dict[str, Any]:
    return op("case.register", case_id, matter_code="bdc-transfer-secondhand",
              citizen_name="张三", citizen_id_number=VALID_ID, citizen_phone="13800138000",
              channel="window", category="general", description="二手房过户")


def send_op(case_id: str) -> dict[str, Any]:
    return op("request.send", None, case_id=case_id, to_department="tax", role="assisting",
              subject="完税证明", needed="契税完税证明及个人所得税完税凭证")


def case_batches(n_ops: int, batch: int = 200, sends_per_case: int = 4):
    """``n_ops`` ops in pushes of ``batch``: each case registered, then its requests to tax."""
    ops: list[dict[str, Any]] = []
    while len(ops) < n_ops:
        case = register_op()
        ops.append(case)
        ops.extend(send_op(case["entity_id"]) for _ in range(sends_per_case))
    ops = ops[:n_ops]
    return [ops[i:i + batch] for i in range(0, len(ops), batch)]
