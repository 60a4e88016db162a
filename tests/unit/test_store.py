import json
import logging
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import keyring
import keyring.backends.fail
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.secrets import KeyringUnavailable, delete_secret, get_secret, set_secret
from app.store import StoreError, WrongCacheKey, open_store, reset_store
from app.store.db import HEAD_REVISION, MIGRATIONS_DIR, key_name, stored_revision
from app.store.models import (
    Base,
    Case,
    CollabRequest,
    Conflict,
    Event,
    NotificationMark,
    OutboxOp,
    SyncState,
    search_key_for,
)

T0 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


def make_case(**kw):
    values = dict(
        id="c1",
        number="BDC-20261123-0007",
        department_code="BDC",
        matter_code="M1",
        citizen_name="张三",
        citizen_id_number="11010519491231002X",
        citizen_phone="13800000000",
        channel="window",
        category="general",
        state="registered",
        registered_at=T0,
    )
    values.update(kw)
    return Case(**values)


def make_op(op_id, seq_hint=0):
    return OutboxOp(
        op_id=op_id,
        type="case.register",
        entity_id="c1",
        args={"n": seq_hint},
        client_time=T0 + timedelta(seconds=seq_hint),
    )


def has_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- opening, encryption, keys -----------------------------------------------------------


def test_fresh_store_is_encrypted_and_in_wal_mode(store, tmp_path):
    assert store.path == tmp_path.resolve() / "cache.db"
    tables = set(sa.inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0

    store.close()
    assert not store.path.read_bytes().startswith(b"SQLite format 3")
    plain = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            plain.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        plain.close()


def test_key_lives_in_the_keyring_only(tmp_path, memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)
    store = open_store(tmp_path)
    key = get_secret(key_name(tmp_path))
    assert key is not None and len(bytes.fromhex(key)) == 32
    with store.session() as s:
        s.add(make_case())
        s.add(SyncState(key="device_id", value="PC-01"))
    store.close()

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        for needle in (key.encode(), key.upper().encode(), bytes.fromhex(key)):
            assert needle not in data, path
    assert key not in caplog.text


def test_separate_data_dirs_get_separate_keys(tmp_path):
    a, b = open_store(tmp_path / "a"), open_store(tmp_path / "b")
    a.close()
    b.close()
    assert get_secret(key_name(tmp_path / "a")) != get_secret(key_name(tmp_path / "b"))


def test_reopen_keeps_the_data(tmp_path):
    store = open_store(tmp_path)
    with store.session() as s:
        s.add(make_case())
    store.close()

    store = open_store(tmp_path)
    with store.session() as s:
        case = s.get(Case, "c1")
        assert case.citizen_name == "张三"
        assert case.registered_at == T0
    store.close()


def test_another_key_is_a_chinese_wrong_cache_key_error(tmp_path):
    open_store(tmp_path).close()
    set_secret(key_name(tmp_path), "ab" * 32)  # e.g. a file copied from another PC

    with pytest.raises(WrongCacheKey) as err:
        open_store(tmp_path)
    message = str(err.value)
    assert message.startswith("本地缓存无法用当前密钥打开")
    assert str(tmp_path / "cache.db") in message  # tells what to delete to rebuild
    assert "重新同步" in message
    assert isinstance(err.value, StoreError)


def test_a_lost_key_is_wrong_cache_key_and_is_not_silently_replaced(tmp_path):
    open_store(tmp_path).close()
    delete_secret(key_name(tmp_path))

    with pytest.raises(WrongCacheKey):
        open_store(tmp_path)
    assert get_secret(key_name(tmp_path)) is None


def test_reset_store_starts_over_after_a_wrong_key(tmp_path):
    store = open_store(tmp_path)
    with store.session() as s:
        s.add(make_case())
    store.close()
    set_secret(key_name(tmp_path), "cd" * 32)

    reset_store(tmp_path)
    store = open_store(tmp_path)
    with store.session() as s:
        assert s.get(Case, "c1") is None
    store.close()


def test_failing_keyring_backend_raises_keyring_unavailable(tmp_path):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringUnavailable) as err:
        open_store(tmp_path)
    assert "密钥环" in str(err.value)
    assert not (tmp_path / "cache.db").exists()


def test_corrupt_file_is_a_store_error(tmp_path):
    open_store(tmp_path).close()
    path = tmp_path / "cache.db"
    path.write_bytes(path.read_bytes()[:1000])  # torn mid-page
    with pytest.raises(StoreError) as err:
        open_store(tmp_path)
    assert not isinstance(err.value, WrongCacheKey)
    assert "损坏" in str(err.value)


def test_unencrypted_sqlite_file_is_a_store_error(tmp_path):
    plain = sqlite3.connect(tmp_path / "cache.db")
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    with pytest.raises(StoreError) as err:
        open_store(tmp_path)
    assert has_chinese(str(err.value))


# --- sessions ------------------------------------------------------------------------------


def test_session_commits_on_success_and_rolls_back_on_error(store):
    with pytest.raises(RuntimeError), store.session() as s:
        s.add(make_case())
        s.flush()
        raise RuntimeError("boom")
    with store.session() as s:
        assert s.get(Case, "c1") is None
        s.add(make_case())
    with store.session() as s:
        assert s.get(Case, "c1") is not None


def test_sessions_work_from_another_thread(store):
    with store.session() as s:
        s.add(make_case())
    seen = []

    def worker():
        with store.session() as s:
            seen.append(s.get(Case, "c1").number)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen == ["BDC-20261123-0007"]


# --- timestamps ----------------------------------------------------------------------------


def test_timestamps_round_trip_as_aware_utc(store):
    shanghai = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with store.session() as s:
        s.add(make_case(registered_at=shanghai, due_at=None))
    with store.session() as s:
        case = s.get(Case, "c1")
        assert case.registered_at == shanghai
        assert case.registered_at.tzinfo is UTC
        assert case.registered_at.hour == 1
        assert case.due_at is None
    with store.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT registered_at FROM cases").scalar()
    assert raw.startswith("2026-11-23 01:30:00")  # stored as UTC text, so it sorts


def test_naive_datetimes_are_rejected(store):
    naive = datetime(2026, 11, 23, 9, 30)
    with pytest.raises(ValueError, match="naive"):
        make_case(registered_at=naive)
    case = make_case()
    with pytest.raises(ValueError):
        case.due_at = naive

    # Core statements bypass the ORM check; the column type still refuses.
    with pytest.raises(sa.exc.StatementError) as err, store.engine.begin() as conn:
        conn.execute(sa.insert(NotificationMark).values(key="k", shown_at=naive))
    assert isinstance(err.value.orig, ValueError)


# --- outbox --------------------------------------------------------------------------------


def test_outbox_keeps_push_order_and_never_reuses_seq(store):
    with store.session() as s:
        for i, op_id in enumerate(["op-b", "op-a", "op-c"]):
            s.add(make_op(op_id, i))
    with store.session() as s:
        ops = s.scalars(sa.select(OutboxOp).order_by(OutboxOp.seq)).all()
        assert [o.op_id for o in ops] == ["op-b", "op-a", "op-c"]
        assert ops[0].attempts == 0
        last_seq = ops[-1].seq
        s.delete(ops[-1])  # pushed and acknowledged
    with store.session() as s:
        s.add(make_op("op-d", 3))
    with store.session() as s:
        ops = s.scalars(sa.select(OutboxOp).order_by(OutboxOp.seq)).all()
        assert [o.op_id for o in ops] == ["op-b", "op-a", "op-d"]
        assert ops[-1].seq > last_seq


def test_outbox_op_id_is_unique(store):
    with store.session() as s:
        s.add(make_op("op-1"))
    with pytest.raises(sa.exc.IntegrityError), store.session() as s:
        s.add(make_op("op-1"))
    with store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OutboxOp)) == 1


# --- schema and migrations -----------------------------------------------------------------


def test_head_schema_matches_the_models(store):
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_head_revision_is_the_newest_migration(store):
    """open_store skips alembic when the cache is at HEAD_REVISION: it must be alembic's head."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION
    assert stored_revision(store.engine) == HEAD_REVISION


def _insert(conn, table, **row):
    cols = ", ".join(row)
    params = ", ".join(f":{c}" for c in row)
    conn.execute(sa.text(f"INSERT INTO {table} ({cols}) VALUES ({params})"), row)


def test_upgrade_from_0001_keeps_rows_and_backfills_search_key(tmp_path):
    store = open_store(tmp_path, revision="0001")
    tables = set(sa.inspect(store.engine).get_table_names())
    assert "requests" in tables and "conflicts" not in tables
    # Raw SQL: the models describe head, and this is what a 0001 cache holds.
    with store.engine.begin() as conn:
        _insert(
            conn,
            "matter_types",
            code="M1",
            name="不动产转移登记",
            department_code="BDC",
            default_category="general",
            materials="[]",
            data="{}",
        )
        for case_id, number, name, id_number, matter in [
            ("c1", "BDC-20261123-0007", "张三", "11010519491231002X", "M1"),
            ("c2", "SW-20261123-0001", "Li Si", "123", "M-unknown"),
        ]:
            _insert(
                conn,
                "cases",
                id=case_id,
                number=number,
                department_code="BDC",
                matter_code=matter,
                citizen_name=name,
                citizen_id_number=id_number,
                citizen_phone=None,
                channel="window",
                category="general",
                state="registered",
                due_at=None,
                registered_at="2026-11-23 01:30:00.000000",
                version=1,
                data=json.dumps({"note": "备注"}),
            )
        for req_id, case_id in [("r1", "c1"), ("r2", "c2"), ("r3", "c-not-pulled-yet")]:
            _insert(
                conn,
                "requests",
                id=req_id,
                case_id=case_id,
                from_department="BDC",
                to_department="SW",
                role="lead",
                state="sent",
                subject="请出具完税证明",
                sent_at="2026-11-23 01:30:00",
                due_at="2026-11-23 05:30:00",
                updated_at="2026-11-23 01:30:00",
                version=1,
                data="{}",
            )
        _insert(
            conn,
            "events",
            id="e1",
            entity="request",
            entity_id="r1",
            kind="sent",
            actor_id="u1",
            actor_name="王五",
            department_code="BDC",
            at="2026-11-23 01:30:00",
            device="PC-01",
            details='{"to": "SW"}',
        )
        for i, op_id in enumerate(["op-2", "op-1", "op-3"]):
            _insert(
                conn,
                "outbox",
                op_id=op_id,
                type="request.send",
                entity_id="r1",
                args=json.dumps({"i": i}),
                client_time=f"2026-11-23 01:30:0{i}",
            )
    store.close()

    store = open_store(tmp_path)  # upgrades to head
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0005"
    with store.session() as s:
        case = s.get(Case, "c1")
        assert case.data == {"note": "备注"} and case.registered_at == T0
        assert case.server_data == case.data  # 0003: existing rows count as the server's
        keys = {r.id: r.search_key for r in s.scalars(sa.select(CollabRequest))}
        assert keys == {
            "r1": search_key_for(
                "BDC-20261123-0007", "张三", "11010519491231002X", "不动产转移登记"
            ),
            "r2": search_key_for("SW-20261123-0001", "Li Si", "123", None),
            "r3": "",
        }
        assert keys["r1"] == "bdc-20261123-0007 张三 002x 不动产转移登记"
        assert keys["r2"] == "sw-20261123-0001 li si 123 "
        r1 = s.get(CollabRequest, "r1")
        assert r1.due_at == datetime(2026, 11, 23, 5, 30, tzinfo=UTC)
        event = s.scalars(sa.select(Event).where(Event.entity_id == "r1")).one()
        assert event.details == {"to": "SW"} and event.at.tzinfo is UTC
        assert event.pending is False and event.op_id is None  # 0003 columns
        ops = s.scalars(sa.select(OutboxOp).order_by(OutboxOp.seq)).all()
        assert [(o.op_id, o.args, o.attempts) for o in ops] == [
            ("op-2", {"i": 0}, 0),
            ("op-1", {"i": 1}, 0),
            ("op-3", {"i": 2}, 0),
        ]
        # tables introduced by 0002 are usable
        s.add(
            Conflict(
                op_id="op-2",
                type="request.send",
                entity_id="r1",
                code="state",
                message="该请求已由 税务局 tax01 办结",
            )
        )
        s.add(NotificationMark(key="request:r1:reminder:3h", shown_at=T0))
    with store.session() as s:
        assert s.get(Conflict, "op-2").created_at.tzinfo is UTC
    store.close()


def test_search_key_for_folds_ascii_only_like_sqlite_lower():
    assert search_key_for("BDC-1", "ＡＢ王", "X", "Matter") == "bdc-1 ＡＢ王 x matter"


def test_cache_from_a_newer_version_is_a_store_error(tmp_path):
    store = open_store(tmp_path)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    store.close()
    with pytest.raises(StoreError) as err:
        open_store(tmp_path)
    assert "版本" in str(err.value)
