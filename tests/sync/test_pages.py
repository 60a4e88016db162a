"""Where pages and chunks begin and end must not change what is stored (search keys across
pages, events): a catch-up in many pages (each fetched while the one before is stored), and
the mirror fetched again after a cursor reset, stored a page at a time."""

from __future__ import annotations

from app.store import models as m
from sync import engine
from sync.client import Client
from tests.support.server import DEMO_PASSWORD, VALID_ID

INTAKE = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
              citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
              category="general", description="二手房过户")


def mirror(client) -> dict[str, list[dict]]:
    with client.store.read() as session:
        conn = session.connection()
        tables = {t: [dict(r._mapping) for r in conn.exec_driver_sql(
            f"SELECT * FROM {t} ORDER BY id")] for t in ("cases", "requests", "events")}
    for request in tables["requests"]:
        request.pop("updated_at")  # when this PC last wrote it
    return tables


def send_three_requests(bdc) -> None:
    for _ in range(3):
        case_id = bdc.desk.register_case(**INTAKE)
        bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                              subject="完税证明", needed="契税完税证明")
    assert bdc.engine.sync_once().ok


def test_a_catch_up_in_small_pages_stores_what_one_page_stores(counter, hub, tmp_path,
                                                                monkeypatch):
    send_three_requests(counter("bdc01"))
    tax = counter("tax01")
    assert tax.engine.sync_once().ok
    whole = mirror(tax)
    assert len(whole["requests"]) == 3

    monkeypatch.setattr(engine, "PAGE", 2)
    again = Client.login(tmp_path / "again", hub.url, "tax01", DEMO_PASSWORD)
    try:
        done = again.engine.sync_once()
        assert done.ok and done.pulled > 2 * engine.PAGE
        assert mirror(again) == whole
    finally:
        again.close()


def test_a_replacement_sync_in_small_chunks_stores_what_the_pulls_stored(counter, monkeypatch):
    bdc = counter("bdc01")
    send_three_requests(bdc)
    pulled = mirror(bdc)
    assert all(r["search_key"] for r in pulled["requests"])

    monkeypatch.setattr(engine, "PAGE", 2)
    with bdc.store.session() as s:
        s.merge(m.SyncState(key="cursor", value="another-database:123"))
    bdc.engine._pull_until_current()  # the server answers 409 cursor_reset

    assert mirror(bdc) == pulled
