"""HTTP to the central server (docs/protocol.md), with every failure sorted into what the
engine does about it. TLS verification is always on; a hall's own CA may be given."""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import requests

from sync.clock import ServerClock

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
LONG_POLL_SLACK = 15.0  # a long-poll answers after `wait` seconds at most; allow for load


class LinkDown(Exception):
    """The server could not be reached, or did not answer in time."""


class NeedsLogin(Exception):
    """401: the session is gone; the outbox waits for a new login."""


class CursorReset(Exception):
    """409 cursor_reset: the cursor cannot be served; a replacement sync is needed."""


class ServerFault(Exception):
    """A 5xx or an answer that does not follow the protocol."""


class Refused(Exception):
    """A 4xx the client caused (e.g. a malformed op): retrying the same call won't help."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class Transport:
    def __init__(self, base_url: str, clock: ServerClock, *, ca_bundle: str | None = None,
                 token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.verify: str | bool = ca_bundle or True  # there is no way to turn this off
        self.token = token
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy or CA settings slipped in from the environment

    # -- calls ---------------------------------------------------------------------------

    def login(self, username: str, password: str, device_id: str) -> dict[str, Any]:
        return self._json("POST", "/api/v1/auth/login", json={
            "username": username, "password": password, "device_id": device_id},
            require=("token", "user"))

    def logout(self) -> None:
        self._json("POST", "/api/v1/auth/logout")

    def health(self) -> dict[str, Any]:
        return self._json("GET", "/api/v1/health", require=("status",))

    def push(self, device_id: str, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        body = self._json("POST", "/api/v1/sync/push", json={"device_id": device_id,
                                                             "ops": ops}, require=("results",))
        results = body["results"]
        if not isinstance(results, list) or len(results) != len(ops) or not all(
                isinstance(r, dict) and r.get("op_id") == op["op_id"] and "status" in r
                for r, op in zip(results, ops, strict=False)):
            raise ServerFault("push answer does not match the ops sent")
        return results

    def pull(self, cursor: str, limit: int = 500, wait: float = 0) -> dict[str, Any]:
        body = self._json("GET", "/api/v1/sync/pull",
                          params={"cursor": cursor, "limit": limit, "wait": wait},
                          require=("cursor", "has_more", "changes"),
                          timeout=(CONNECT_TIMEOUT, wait + LONG_POLL_SLACK),
                          measure_clock=wait == 0)
        for change in body["changes"]:
            if not isinstance(change, dict) or not {"entity", "id", "data"} <= change.keys():
                raise ServerFault("pull answer has a malformed change")
        return body

    def stats(self, start: date, end: date) -> dict[str, Any]:
        """Department statistics of the local days ``start``..``end`` (protocol §12)."""
        return self._json("GET", "/api/v1/stats",
                          params={"from": start.isoformat(), "to": end.isoformat()},
                          require=("as_of", "departments", "leaderboard", "daily"))

    def evaluation(self, month: str) -> dict[str, Any]:
        """The monthly evaluation of ``month`` ("2026-11"), protocol §12.1."""
        return self._json("GET", "/api/v1/stats/evaluation", params={"month": month},
                          require=("as_of", "departments", "staff"))

    def put_blob(self, sha256: str, path: Path, name: str | None) -> None:
        """Upload a file with the name its user gave it (protocol §11.1), if any."""
        with path.open("rb") as body:
            self._json("PUT", f"/api/v1/blobs/{sha256}", data=body,
                       params={"name": name} if name else None,
                       headers={"Content-Type": "application/octet-stream"})

    def get_blob(self, sha256: str, destination: Path) -> None:
        """Download into ``destination``, checking the hash before the file appears there."""
        response = self._send("GET", f"/api/v1/blobs/{sha256}", stream=True)
        self._raise_for(response)
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, name = tempfile.mkstemp(dir=destination.parent, prefix=".download-")
        try:
            with os.fdopen(fd, "wb") as file:
                for chunk in response.iter_content(1 << 16):
                    digest.update(chunk)
                    file.write(chunk)
            if digest.hexdigest() != sha256:
                raise ServerFault("downloaded attachment does not match its hash")
            os.replace(name, destination)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        except requests.RequestException as exc:
            raise LinkDown(str(exc)) from exc

    # -- plumbing ------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, timeout=None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            return self.http.request(method, self.base_url + path, headers=headers,
                                     verify=self.verify,
                                     timeout=timeout or (CONNECT_TIMEOUT, READ_TIMEOUT),
                                     **kwargs)
        except requests.exceptions.SSLError as exc:
            raise LinkDown(f"TLS: {exc}") from exc
        except requests.RequestException as exc:
            raise LinkDown(str(exc)) from exc

    def _json(self, method: str, path: str, *, require: tuple[str, ...] = (),
              measure_clock: bool = True, **kwargs) -> dict[str, Any]:
        sent = self.clock.wall()
        response = self._send(method, path, **kwargs)
        received = self.clock.wall()
        self._raise_for(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise ServerFault(f"{method} {path}: not JSON") from exc
        except requests.RequestException as exc:
            raise LinkDown(str(exc)) from exc
        if not isinstance(body, dict) or any(k not in body for k in ("server_time", *require)):
            raise ServerFault(f"{method} {path}: answer lacks {require}")
        try:
            server_time = datetime.fromisoformat(body["server_time"])
        except (TypeError, ValueError) as exc:
            raise ServerFault("server_time is not an ISO 8601 time") from exc
        if measure_clock and server_time.tzinfo is not None:
            self.clock.observe(sent, received, server_time)
        return body

    @staticmethod
    def _raise_for(response: requests.Response) -> None:
        if response.status_code < 400:
            return
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        code, message = error.get("code", ""), error.get("message", "")
        if response.status_code == 401:
            raise NeedsLogin(message or "请重新登录")
        if response.status_code == 409 and code == "cursor_reset":
            raise CursorReset(message)
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise ServerFault(f"{response.status_code} {code}")
        raise Refused(response.status_code, code, message or response.reason)
