"""Long-polls woken by one push share a page only when they see the same thing, and never
a page read before they asked (server/sync/pages.py)."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import requests

from server.sync import pages as pages_module
from server.sync.endpoints import PullOut
from server.sync.pages import SharedPages
from server.sync.pull import Page
from tests.support.server import Api, register_op, send_op


class _LongPolls:
    """One waiting long-poll per user, each in its own thread."""

    def __init__(self, apis: dict[str, Api], cursors: dict[str, str]) -> None:
        self.answers: dict[str, requests.Response] = {}
        self._threads = [threading.Thread(target=self._poll, args=(name, api, cursors[name]))
                         for name, api in apis.items()]
        for thread in self._threads:
            thread.start()
        time.sleep(0.3)  # the polls reach the server and wait there

    def _poll(self, name: str, api: Api, cursor: str) -> None:
        r = api.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": 1000, "wait": 10})
        r.raise_for_status()
        self.answers[name] = r

    def join(self) -> dict[str, requests.Response]:
        for thread in self._threads:
            thread.join(timeout=15)
        return self.answers


def _ids(page: dict, entity: str) -> set[str]:
    return {c["id"] for c in page["changes"] if c["entity"] == entity}


def test_one_push_to_two_departments_wakes_each_with_only_its_own_changes(bdc, tax, gaj):
    _, tax_cursor = tax.pull_all()
    _, gaj_cursor = gaj.pull_all()
    assert tax_cursor == gaj_cursor  # same cursor: only the scope keeps their pages apart
    polls = _LongPolls({"tax": tax, "gaj": gaj}, {"tax": tax_cursor, "gaj": gaj_cursor})
    case_id, to_tax, to_gaj = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    results = bdc.push(register_op(case_id), send_op(case_id, "tax", request_id=to_tax),
                       send_op(case_id, "gaj", request_id=to_gaj))
    assert [r["status"] for r in results] == ["applied"] * 3
    answers = polls.join()
    tax_page, gaj_page = answers["tax"].json(), answers["gaj"].json()
    assert _ids(tax_page, "request") == {to_tax}
    assert _ids(gaj_page, "request") == {to_gaj}
    assert _ids(tax_page, "case") == _ids(gaj_page, "case") == {case_id}


def test_two_waiters_of_one_scope_get_the_same_answer(server, bdc, tax):
    other_tax = Api(server.url).login("tax01")  # another session of the same scope
    _, cursor = tax.pull_all()
    polls = _LongPolls({"a": tax, "b": other_tax}, {"a": cursor, "b": cursor})
    case_id = str(uuid.uuid4())
    bdc.push(register_op(case_id), send_op(case_id))
    answers = polls.join()
    a, b = answers["a"].json(), answers["b"].json()
    assert a["changes"] and a.pop("server_time") and b.pop("server_time")
    assert a == b


def test_a_page_asked_for_again_after_a_push_has_the_new_change(bdc, tax):
    _, cursor = tax.pull_all()
    before = tax.pull(cursor)
    case_id = str(uuid.uuid4())
    bdc.push(register_op(case_id), send_op(case_id))
    after = tax.pull(cursor)  # the same cursor, the same scope: no stale page
    assert before["changes"] == [] and case_id in _ids(after, "case")


def test_the_answer_keeps_the_documented_shape(bdc, tax):
    _, cursor = tax.pull_all()
    polls = _LongPolls({"tax": tax}, {"tax": cursor})
    case_id = str(uuid.uuid4())
    bdc.push(register_op(case_id), send_op(case_id))
    answer = polls.join()["tax"]
    assert answer.headers["content-type"] == "application/json"
    page = answer.json()
    assert list(page) == ["server_time", "cursor", "has_more", "changes"]
    assert all(list(c) == ["entity", "id", "version", "data"] for c in page["changes"])
    assert PullOut.model_validate_json(answer.content).model_dump(mode="json") == page
    assert page["server_time"].endswith("Z")


# -- the sharing rule itself, without a server -----------------------------------------------

class _Reads:
    """Stands in for the database and ``pull_page``: counts reads, holds them on demand."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.release = threading.Event()
        self.reading = threading.Event()

    @contextmanager
    def read(self):
        yield None

    def pull_page(self, _session, epoch, scope, cursor, limit) -> Page:
        self.calls.append((scope, cursor, limit))
        read_number = len(self.calls)  # taken now: a later read may append while this one waits
        self.reading.set()
        self.release.wait(10)
        return Page(cursor=f"{epoch}:{read_number}", has_more=False,
                    changes=[{"entity": "case", "id": "c", "version": 1, "data": {}}])


@pytest.fixture
def reads(monkeypatch) -> _Reads:
    fake = _Reads()
    monkeypatch.setattr(pages_module, "pull_page", fake.pull_page)
    return fake


def test_pulls_asking_together_share_one_read(reads):
    async def scenario():
        shared = SharedPages(reads, "e")
        tax = frozenset({"tax"})
        asked = [asyncio.create_task(shared.get(tax, "e:5", 100)) for _ in range(3)]
        other_scope = asyncio.create_task(shared.get(frozenset({"gaj"}), "e:5", 100))
        await asyncio.sleep(0)
        reads.release.set()
        return await asyncio.gather(*asked), await other_scope

    same, other = asyncio.run(scenario())
    assert len(reads.calls) == 2
    assert set(reads.calls) == {(frozenset({"gaj"}), "e:5", 100), (frozenset({"tax"}), "e:5", 100)}
    assert same[0] is same[1] is same[2] and other is not same[0]


def test_a_pull_never_joins_a_read_that_already_started(reads):
    async def scenario():
        shared = SharedPages(reads, "e")
        first = asyncio.create_task(shared.get(None, "", 100))
        await asyncio.to_thread(reads.reading.wait, 10)  # the first read has its snapshot
        second = asyncio.create_task(shared.get(None, "", 100))
        await asyncio.sleep(0)
        reads.release.set()
        return await first, await second

    first, second = asyncio.run(scenario())
    assert len(reads.calls) == 2 and first.cursor != second.cursor


def test_the_body_is_stamped_with_the_time_it_is_sent(reads):
    reads.release.set()
    page = asyncio.run(SharedPages(reads, "e").get(None, "", 100))
    sent_at = datetime(2026, 11, 23, 13, 20, 34, 930288, tzinfo=UTC)
    body = page.body(sent_at)
    assert PullOut.model_validate_json(body).server_time == sent_at
    assert body.startswith(b'{"server_time":"2026-11-23T13:20:34.930288Z","cursor":"e:1",')
