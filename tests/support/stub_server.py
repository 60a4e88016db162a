"""A tiny misbehaving WindowDesk server for fault tests of the client's sync.

It logs a user in like the real server, then answers push and pull the way the test tells
it to: well (every op "applied", an empty pull page), or with one of the :data:`FAULTS`.
Every request it receives is recorded with its arrival time, so a test can check what the
client sent and when (retries, backoff).

    with StubServer() as stub:
        stub.misbehave("not_json", on="push")
        ...
        stub.behave()
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULTS = (
    "not_json",             # 200 with a body that is not JSON
    "missing_fields",       # 200 with only {"server_time": …}
    "http_500",             # 500 internal error
    "slow",                 # answers after `slow_seconds` (longer than the client waits)
    "cut",                  # headers and half the body, then the connection is closed
    "wrong_length",         # push: one result more than ops sent
    "change_without_data",  # pull: a change without its `data`
)
PUSH_FAULTS = ("not_json", "missing_fields", "http_500", "slow", "cut", "wrong_length")
PULL_FAULTS = ("not_json", "missing_fields", "http_500", "slow", "cut", "change_without_data")

USER = {"id": "00000000-0000-4000-8000-00000000b001", "username": "bdc01", "name": "陈晓燕",
        "department": "bdc", "roles": ["clerk"], "window": "W01"}


@dataclass(frozen=True)
class Seen:
    """One request the stub received: when (monotonic), what, and its JSON body or query."""

    at: float
    method: str
    path: str
    body: Any


def _now() -> str:
    return datetime.now(UTC).isoformat()


class StubServer:
    def __init__(self, *, slow_seconds: float = 2.0, long_poll_hold: float = 1.0) -> None:
        self.slow_seconds = slow_seconds
        # a long-poll (wait > 0) is held at most this long, so engine threads stop quickly
        self.long_poll_hold = long_poll_hold
        self.push_mode = "ok"
        self.pull_mode = "ok"
        self.seen: list[Seen] = []
        self.tokens: list[str] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        name="stub-server", daemon=True)

    # -- control -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()  # cut short any slow answer or held long-poll
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def misbehave(self, fault: str, on: str | tuple[str, ...] = ("push", "pull")) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        endpoints = (on,) if isinstance(on, str) else on
        if "push" in endpoints:
            self.push_mode = fault
        if "pull" in endpoints:
            self.pull_mode = fault

    def behave(self) -> None:
        self.push_mode = self.pull_mode = "ok"

    # -- what arrived --------------------------------------------------------------------

    def requests(self, path_end: str = "") -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path.endswith(path_end)]

    def pushes(self) -> list[Seen]:
        return self.requests("/api/v1/sync/push")

    def pulls(self) -> list[Seen]:
        return self.requests("/api/v1/sync/pull")

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)


def _handler_for(stub: StubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real server

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the test reads `stub.seen`

        # -- routing ---------------------------------------------------------------------

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            stub._record(Seen(time.monotonic(), "GET", url.path, query))
            if url.path == "/api/v1/health":
                self._send_json(200, {"status": "ok", "version": "stub", "server_time": _now()})
            elif url.path == "/api/v1/sync/pull":
                self._pull(query)
            else:
                self._error(404, "not_found", "no such path")

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            stub._record(Seen(time.monotonic(), "POST", url.path, body))
            if url.path == "/api/v1/auth/login":
                self._login(body or {})
            elif url.path == "/api/v1/auth/logout":
                self._send_json(200, {"ok": True, "server_time": _now()})
            elif url.path == "/api/v1/sync/push":
                self._push(body or {})
            else:
                self._error(404, "not_found", "no such path")

        # -- endpoints -------------------------------------------------------------------

        def _login(self, body: dict[str, Any]) -> None:
            token = uuid.uuid4().hex + uuid.uuid4().hex[:11]
            with stub._lock:
                stub.tokens.append(token)
            user = {**USER, "username": body.get("username", USER["username"])}
            self._send_json(200, {
                "server_time": _now(), "token": token,
                "expires_at": (datetime.now(UTC) + timedelta(days=14)).isoformat(),
                "user": user})

        def _push(self, body: dict[str, Any]) -> None:
            ops = body.get("ops") or []
            results = [{"op_id": o.get("op_id"), "status": "applied"} for o in ops]
            mode = stub.push_mode
            if mode == "wrong_length":
                results.append({"op_id": str(uuid.uuid4()), "status": "applied"})
                mode = "ok"
            elif mode == "change_without_data":
                mode = "ok"  # a pull-only fault
            self._answer(mode, {"server_time": _now(), "results": results})

        def _pull(self, query: dict[str, str]) -> None:
            page: dict[str, Any] = {"server_time": _now(), "cursor": "e:1", "has_more": False,
                                    "changes": []}
            mode = stub.pull_mode
            if mode == "change_without_data":
                page["changes"] = [{"entity": "case", "id": str(uuid.uuid4()), "version": 1}]
                mode = "ok"
            elif mode == "wrong_length":
                mode = "ok"  # a push-only fault
            if mode == "ok":
                try:
                    wait = float(query.get("wait") or 0)
                except ValueError:
                    wait = 0.0
                if wait > 0:  # a long-poll with nothing new
                    stub._closing.wait(min(wait, stub.long_poll_hold))
                    page["server_time"] = _now()
            self._answer(mode, page)

        # -- answers ---------------------------------------------------------------------

        def _answer(self, mode: str, good: dict[str, Any]) -> None:
            if mode == "ok":
                self._send_json(200, good)
            elif mode == "not_json":
                self._send_raw(200, b'{"server_time": "' + _now().encode() + b'", "resu')
            elif mode == "missing_fields":
                self._send_json(200, {"server_time": _now()})
            elif mode == "http_500":
                self._error(500, "internal", "服务器内部错误")
            elif mode == "slow":
                stub._closing.wait(stub.slow_seconds)
                with contextlib.suppress(OSError):  # the client gave up long ago
                    self._send_json(200, good)
            elif mode == "cut":
                data = json.dumps(good).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data) * 2))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True  # the rest never comes
            else:
                raise AssertionError(f"unknown mode {mode!r}")

        def _error(self, status: int, code: str, message: str) -> None:
            self._send_json(status, {"error": {"code": code, "message": message}})

        def _send_json(self, status: int, body: dict[str, Any]) -> None:
            self._send_raw(status, json.dumps(body, ensure_ascii=False).encode())

        def _send_raw(self, status: int, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
