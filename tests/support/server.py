"""A real ``windowdesk-server`` process on a free port, and a small HTTP client for tests."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from server.process import ROOT, ServerProcess, free_port

__all__ = ["ROOT", "Api", "ServerProcess", "free_port", "op", "register_op", "send_op"]

DEMO_PASSWORD = "demo-2026"
VALID_ID = "11010519491231002X"


def op(type_: str, entity_id: str | None = None, **args: Any) -> dict[str, Any]:
    return {"op_id": str(uuid.uuid4()), "type": type_,
            "entity_id": entity_id or str(uuid.uuid4()), "args": args}


def register_op(case_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    args = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
                citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
                category="general", description="二手房过户")
    args.update(overrides)
    return op("case.register", case_id, **args)


def send_op(case_id: str, to: str = "tax", request_id: str | None = None,
            **overrides: Any) -> dict[str, Any]:
    args = dict(case_id=case_id, to_department=to, role="assisting", subject="完税证明",
                needed="契税完税证明")
    args.update(overrides)
    return op("request.send", request_id, **args)


class Api:
    """One logged-in user talking to the server over HTTP."""

    def __init__(self, base_url: str, verify: bool | str = True) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        # True, or a CA bundle path for a hall's private CA; never False. Passed with every
        # call: requests lets REQUESTS_CA_BUNDLE override a Session's own ``verify``.
        self.verify = verify
        self.device_id = f"test-{uuid.uuid4().hex[:8]}"
        self.user: dict[str, Any] | None = None

    def login(self, username: str, password: str = DEMO_PASSWORD) -> Api:
        r = self.post("/api/v1/auth/login", json={"username": username, "password": password,
                                                  "device_id": self.device_id})
        r.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {r.json()['token']}"
        self.user = r.json()["user"]
        return self

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.base_url + path, timeout=kwargs.pop("timeout", 60),
                             verify=kwargs.pop("verify", self.verify), **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.post(self.base_url + path, timeout=kwargs.pop("timeout", 60),
                              verify=kwargs.pop("verify", self.verify), **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.put(self.base_url + path, timeout=kwargs.pop("timeout", 60),
                             verify=kwargs.pop("verify", self.verify), **kwargs)

    def head(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.head(self.base_url + path, timeout=kwargs.pop("timeout", 60),
                              verify=kwargs.pop("verify", self.verify), **kwargs)

    def push(self, *ops: dict[str, Any]) -> list[dict[str, Any]]:
        r = self.post("/api/v1/sync/push", json={"device_id": self.device_id, "ops": list(ops)})
        r.raise_for_status()
        return r.json()["results"]

    def pull(self, cursor: str = "", limit: int = 1000, wait: float = 0) -> dict[str, Any]:
        r = self.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": limit,
                                                  "wait": wait})
        r.raise_for_status()
        return r.json()

    def pull_all(self, cursor: str = "") -> tuple[dict[tuple[str, str], dict], str]:
        """Everything visible after ``cursor``: {(entity, id): data}, and the new cursor."""
        seen: dict[tuple[str, str], dict] = {}
        while True:
            page = self.pull(cursor)
            for change in page["changes"]:
                seen[(change["entity"], change["id"])] = change["data"]
            cursor = page["cursor"]
            if not page["has_more"]:
                return seen, cursor
