"""The sync engine: pushes the outbox, pulls the server's changes, keeps the link state.

Plain Python and threads, no Qt (sync/qt.py adapts it). Two loops run side by side, so a
clerk's action is pushed at once even while a long-poll waits for news:

- the **pull loop** pulls until current, then long-polls; every page is applied in one
  transaction together with the new cursor;
- the **push loop** pushes the outbox in order, in batches, whenever it is nudged (a local
  write, a pulled page, the network coming back) and on a retry timer while ops remain.

Failures never lose an op: the link goes offline and both loops retry with exponential
backoff and jitter (capped at 60 s), at once when nudged. A rejected op leaves the outbox
as a conflict the clerk can read, and the cache is rebased on the server's truth.
"""

from __future__ import annotations

import json
import logging
import random
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, func, select

from app import local
from app.attachments import sniff
from app.domain.entities import Staff
from app.services import blob_path
from app.sqltypes import utcnow
from app.store import Store
from app.store import models as m
from sync.clock import ServerClock
from sync.transport import CursorReset, LinkDown, NeedsLogin, Refused, ServerFault, Transport

log = logging.getLogger(__name__)

BATCH = 200
PAGE = 5000  # the most the server gives (clamp_limit): fewer round trips and commits
# A commit rewrites every index page its rows touched, and the ids are random: in a big
# cache nearly all of them, whatever the number of rows. So a catch-up commits every
# few pages, not every page (the clerk's own writes wait that long, only then), and its
# transaction gets a page cache big enough to hold what it changes (SQLite's default
# would write changed pages out mid-transaction and read them back, decrypting each).
CATCH_UP_PAGES = 4
CATCH_UP_CACHE_KIB = 256 * 1024  # taken only as pages are used, given back at commit
LONG_POLL_SECONDS = 25.0
BACKOFF_CAP = 60.0
IDLE_RETRY = 30.0  # even with nothing to report, look at the outbox this often
PULL, PUSH = "pull", "push"


class Link(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    SYNCING = "syncing"
    NEEDS_LOGIN = "needs_login"


@dataclass(frozen=True)
class Status:
    link: Link
    pending: int
    conflicts: int
    last_sync: datetime | None
    clock_offset: float
    clock_skewed: bool
    detail: str = ""


class Listener(Protocol):
    def status_changed(self, status: Status) -> None: ...
    def items_arrived(self, keys: list[tuple[str, str]]) -> None: ...
    def conflicts_added(self, op_ids: list[str]) -> None: ...


@dataclass
class Summary:
    """What one :meth:`SyncEngine.sync_once` did."""

    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class SyncEngine:
    def __init__(self, store: Store, transport: Transport, clock: ServerClock, *,
                 actor: Staff, device_id: str, blob_dir: Path,
                 listener: Listener | None = None, long_poll: float = LONG_POLL_SECONDS,
                 jitter: Callable[[], float] = random.random) -> None:
        self.store = store
        self.transport = transport
        self.clock = clock
        self.actor = actor
        self.device_id = device_id
        self.blob_dir = blob_dir
        self.listener = listener
        self.long_poll = long_poll
        self._jitter = jitter
        self._link = Link.OFFLINE
        self._detail = ""
        # consecutive failures of each loop: its own backoff, and together the link state
        self._failures = {PULL: 0, PUSH: 0}
        self._problem = {PULL: "", PUSH: ""}
        self._stop = threading.Event()
        self._push_wake = threading.Event()
        self._retry_wake = threading.Event()
        self._push_lock = threading.Lock()  # one push at a time: the outbox order is sacred
        self._login = threading.Event()
        self._login.set()
        self._threads: list[threading.Thread] = []
        saved = self._state("clock_offset")
        if saved:
            clock.seed(float(saved))  # right countdowns from the first second, even offline

    # -- control -----------------------------------------------------------------------------

    def start(self) -> None:
        self._threads = [threading.Thread(target=self._pull_loop, name="sync-pull", daemon=True),
                         threading.Thread(target=self._push_loop, name="sync-push", daemon=True)]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop both loops. A long-poll in flight cannot be cut short; its thread ends
        when the poll returns and applies nothing after the stop."""
        self._stop.set()
        self.nudge()
        self._login.set()
        pull, push = self._threads or (None, None)
        if push is not None:
            push.join(timeout)
        if pull is not None:
            pull.join(0.2)
        self._threads = []

    def nudge(self) -> None:
        """Push now and cut any backoff short: a local write, or the network is back."""
        self._push_wake.set()
        self._retry_wake.set()

    def logged_in(self, token: str) -> None:
        """A new session after NEEDS_LOGIN: the outbox was kept and goes out now."""
        self.transport.token = token
        self._failures = {PULL: 0, PUSH: 0}
        self._login.set()
        self.nudge()

    def sync_once(self) -> Summary:
        """One full cycle, in the caller's thread: push, pull until current, push again."""
        summary = Summary()
        try:
            self._set_link(Link.SYNCING)
            summary.pushed, summary.rejected = self._push_all()
            summary.pulled = self._pull_until_current()
            pushed, rejected = self._push_all()
            summary.pushed += pushed
            summary.rejected += rejected
            self._succeeded(PULL)
            self._succeeded(PUSH)
        except (LinkDown, ServerFault, NeedsLogin) as exc:
            summary.errors.append(str(exc) or type(exc).__name__)
            self._failed(PULL, exc)
        return summary

    # -- the two loops -----------------------------------------------------------------------

    def _pull_loop(self) -> None:
        while not self._stop.is_set():
            self._login.wait()
            try:
                self._pull_until_current()
                self._succeeded(PULL)
                self._push_wake.set()
                while not self._stop.is_set():
                    if self._pull_page(wait=self.long_poll):
                        self._push_wake.set()  # push again after every pull
                    self._succeeded(PULL)
            except (LinkDown, ServerFault, NeedsLogin) as exc:
                self._failed(PULL, exc)
                self._backoff(PULL)
            except Exception:  # a bug must not end syncing for the rest of the day
                log.exception("pull loop failed")
                self._failed(PULL, ServerFault("unexpected"))
                self._backoff(PULL)

    def _push_loop(self) -> None:
        while not self._stop.is_set():
            self._push_wake.wait(IDLE_RETRY)
            self._push_wake.clear()
            if self._stop.is_set():
                return
            self._login.wait()
            try:
                self._push_all()
                self._succeeded(PUSH)
            except (LinkDown, ServerFault, NeedsLogin) as exc:
                self._failed(PUSH, exc)
                self._backoff(PUSH)
                self._push_wake.set()  # the ops are still there: try again after the wait
            except Exception:
                log.exception("push loop failed")
                self._failed(PUSH, ServerFault("unexpected"))
                self._backoff(PUSH)
                self._push_wake.set()

    def _backoff(self, loop: str) -> None:
        delay = min(BACKOFF_CAP, 2.0 ** min(self._failures[loop], 6))
        delay *= 0.5 + 0.5 * self._jitter()  # jitter: a hall's PCs must not retry in step
        self._retry_wake.clear()
        self._retry_wake.wait(delay)

    # -- push --------------------------------------------------------------------------------

    def _push_all(self) -> tuple[int, int]:
        pushed = rejected = 0
        with self._push_lock:
            while not self._stop.is_set():
                with self.store.read() as session:  # only this loop deletes from the outbox
                    ops = session.scalars(select(m.OutboxOp).order_by(m.OutboxOp.seq)
                                          .limit(BATCH)).all()
                    batch = [{"op_id": o.op_id, "type": o.type, "entity_id": o.entity_id,
                              "args": o.args, "client_time": o.client_time.isoformat()}
                             for o in ops]
                if not batch:
                    break
                self._upload_attachments(batch)
                results = self._push_batch(batch)
                rejected += self._record_results(batch, results)
                pushed += len(batch)
            self._report()
        return pushed, rejected

    def _push_batch(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            return self.transport.push(self.device_id, batch)
        except Refused as refusal:
            if len(batch) > 1:  # find the malformed op; the others go through
                return [r for op in batch for r in self._push_batch([op])]
            return [{"op_id": batch[0]["op_id"], "status": "rejected",
                     "code": refusal.code or "invalid_request",
                     "message": local.bad_format(refusal.message)}]

    def _record_results(self, batch: list[dict[str, Any]], results: list[dict[str, Any]]) -> int:
        by_id = {op["op_id"]: op for op in batch}
        conflicts = []
        with self.store.session() as session:
            for result in results:
                outcome = result.get("original") or result
                op = by_id[result["op_id"]]
                session.execute(delete(m.OutboxOp).where(m.OutboxOp.op_id == op["op_id"]))
                if outcome.get("status") == "rejected":
                    conflicts.append(op["op_id"])
                    session.merge(m.Conflict(
                        op_id=op["op_id"], type=op["type"], entity_id=op["entity_id"],
                        args=op["args"], code=outcome.get("code", "rejected"),
                        message=outcome.get("message") or local.NO_REASON,
                        server_state=local.server_state(session, op["type"], op["entity_id"]),
                        created_at=utcnow()))
            if conflicts:
                self._rebase(session)
        if conflicts and self.listener:
            self.listener.conflicts_added(conflicts)
        return len(conflicts)

    def _upload_attachments(self, batch: list[dict[str, Any]]) -> None:
        """Blobs go up before the ops that name them; PUT is idempotent, so a retry after a
        failure simply sends again what did not arrive."""
        hashes = {h for op in batch for h in op["args"].get("attachments", ())}
        if not hashes:
            return
        with self.store.session() as session:
            files = {a.sha256: (a.local_path, a.file_name) for a in session.scalars(
                select(m.Attachment).where(m.Attachment.sha256.in_(hashes)))}
            done = set(session.scalars(select(m.SyncState.key).where(
                m.SyncState.key.in_([f"uploaded:{h}" for h in hashes]))))
        for sha, (path, name) in files.items():
            if f"uploaded:{sha}" in done or not path:
                continue
            self.transport.put_blob(sha, Path(path),
                                    None if name == local.unnamed(sha) else name)
            self._set_state(f"uploaded:{sha}", "1")

    def fetch_attachment(self, sha256: str) -> Path:
        """The local copy of an attachment, downloaded (and hash-checked) on first use."""
        with self.store.session() as session:
            row = session.get(m.Attachment, sha256)
            if row is not None and row.local_path and Path(row.local_path).exists():
                return Path(row.local_path)
        target = blob_path(self.blob_dir, sha256)
        if not target.exists():
            self.transport.get_blob(sha256, target)
        with self.store.session() as session:
            row = session.get(m.Attachment, sha256)
            if row is None:  # its attachment entity has not arrived (yet): no name known
                row = m.Attachment(sha256=sha256, file_name=local.unnamed(sha256),
                                   size=target.stat().st_size,
                                   mime=sniff(target) or "application/octet-stream")
                session.add(row)
            row.local_path = str(target)
        return target

    # -- pull --------------------------------------------------------------------------------

    def _pull_until_current(self) -> int:
        """Pull and store pages until the server has no more; returns the changes pulled.

        The next page is fetched while this one is stored, so the server and this PC work
        side by side. A catch-up stores CATCH_UP_PAGES pages per transaction, the cursor
        with them.
        """
        pulled = 0
        with ThreadPoolExecutor(1, thread_name_prefix="sync-pull-ahead") as ahead:
            pages = self._pages_ahead(ahead, self._state("cursor") or "")
            try:
                while True:
                    stored, changes = self._apply_pages(islice(pages, CATCH_UP_PAGES),
                                                        cache_kib=CATCH_UP_CACHE_KIB)
                    pulled += changes
                    if stored < CATCH_UP_PAGES:
                        return pulled
            except CursorReset:
                self._replacement_sync()
                return pulled

    def _pages_ahead(self, ahead: ThreadPoolExecutor, cursor: str) -> Iterator[dict[str, Any]]:
        """The pages after ``cursor``, each next one fetched while this one is stored; none
        after a stop."""
        coming = ahead.submit(self.transport.pull, cursor, PAGE, 0)
        while True:
            page = coming.result()
            if self._stop.is_set():
                return
            if page["has_more"]:
                coming = ahead.submit(self.transport.pull, page["cursor"], PAGE, 0)
            yield page
            if not page["has_more"]:
                return

    def _pull_page(self, wait: float) -> bool:
        """One pull, a long-poll if ``wait``; True when it brought changes."""
        try:
            page = self.transport.pull(self._state("cursor") or "", PAGE, wait)
        except CursorReset:
            self._replacement_sync()
            return False
        if self._stop.is_set():
            return False
        return self._apply_pages([page])[1] > 0

    def _apply_pages(self, pages: Iterable[dict[str, Any]],
                     cache_kib: int | None = None) -> tuple[int, int]:
        """Store ``pages`` in one transaction, each after the one before, with the last
        one's cursor, in a page cache of ``cache_kib`` if given; returns how many pages and
        changes were stored."""
        stored = changes = 0
        touched: set[local.EntityKey] = set()
        with self.store.session() as session, _page_cache(session, cache_kib):
            for page in pages:
                touched |= local.apply_server_changes(session, page["changes"])
                self._put_state(session, "cursor", page["cursor"])
                stored += 1
                changes += len(page["changes"])
            local.refresh_conflicts(session, touched)
            if touched and session.scalar(select(func.count()).select_from(m.OutboxOp)):
                self._rebase(session)
        if touched and self.listener:
            self.listener.items_arrived(sorted(touched))
        return stored, changes

    def _replacement_sync(self) -> None:
        """The server cannot continue from our cursor: fetch everything again into a file,
        then replace the mirror in one transaction, keeping the unsent outbox on top."""
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            cursor = ""
            while True:
                page = self.transport.pull(cursor, PAGE, 0)
                for change in page["changes"]:
                    spool.write(json.dumps(change, ensure_ascii=False) + "\n")
                cursor = page["cursor"]
                if not page["has_more"]:
                    break
            spool.seek(0)
            with self.store.session() as session:
                for model in (m.Event, m.CollabRequest, m.Case):
                    session.execute(delete(model))
                while chunk := [json.loads(line) for line in islice(spool, PAGE)]:
                    local.apply_server_changes(session, chunk)
                self._put_state(session, "cursor", cursor)
                self._rebase(session)

    def _rebase(self, session) -> None:
        base = local.context(session, self.clock.now(), self.device_id)
        local.rebase(session, self.actor, lambda at: replace(base, now=at))

    # -- state and reporting -----------------------------------------------------------------

    def _succeeded(self, loop: str) -> None:
        self._failures[loop] = 0
        with self.store.session() as session:
            self._put_state(session, "last_sync", utcnow().isoformat())
            self._put_state(session, "clock_offset", repr(self.clock.offset))
        self._settle_link()

    def _failed(self, loop: str, exc: Exception) -> None:
        if isinstance(exc, NeedsLogin):
            self._login.clear()
            self._set_link(Link.NEEDS_LOGIN, "登录已失效，请重新登录；未上传的操作会保留")
            return
        self._failures[loop] += 1
        self._problem[loop] = "无法连接服务器" if isinstance(exc, LinkDown) \
            else "服务器暂时无法处理"
        self._settle_link()

    def _settle_link(self) -> None:
        """Online only while both loops get through; otherwise say what fails."""
        if not self._login.is_set():
            return  # stays NEEDS_LOGIN until logged_in()
        failing = [loop for loop, n in self._failures.items() if n]
        if failing:
            self._set_link(Link.OFFLINE, self._problem[failing[0]])
        else:
            self._set_link(Link.ONLINE)

    def _set_link(self, link: Link, detail: str = "") -> None:
        self._link, self._detail = link, detail
        self._report()

    def status(self) -> Status:
        with self.store.read() as session:
            pending = session.scalar(select(func.count()).select_from(m.OutboxOp))
            conflicts = session.scalar(select(func.count()).select_from(m.Conflict)
                                       .where(m.Conflict.dismissed_at.is_(None)))
            last = session.get(m.SyncState, "last_sync")
        return Status(link=self._link, pending=pending, conflicts=conflicts,
                      last_sync=datetime.fromisoformat(last.value) if last else None,
                      clock_offset=self.clock.offset, clock_skewed=self.clock.skewed,
                      detail=self._detail)

    def _report(self) -> None:
        if self.listener:
            self.listener.status_changed(self.status())

    def _state(self, key: str) -> str | None:
        with self.store.read() as session:
            row = session.get(m.SyncState, key)
            return row.value if row else None

    def _set_state(self, key: str, value: str) -> None:
        with self.store.session() as session:
            self._put_state(session, key, value)

    @staticmethod
    def _put_state(session, key: str, value: str) -> None:
        session.merge(m.SyncState(key=key, value=value))


@contextmanager
def _page_cache(session, kib: int | None) -> Iterator[None]:
    """SQLite's page cache of the session's connection at ``kib`` while the block runs."""
    if kib is None:
        yield
        return
    connection = session.connection()
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {usual}")
