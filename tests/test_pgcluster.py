"""The throwaway PostgreSQL cluster the server tests run against (tests/support/pgcluster.py)."""
# Test functions take the imported fixtures as parameters of the same name, which ruff reports
# as redefinitions (F811); that is how pytest fixtures are used.
# ruff: noqa: F811

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from tests.support import pgcluster
from tests.support.pgcluster import postgres_cluster, postgres_url  # noqa: F401

pytestmark = pytest.mark.postgres

REPO_ROOT = Path(__file__).resolve().parents[1]
_seen_databases: set[str] = set()


def _user_tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(
                    text(
                        "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                        " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                    )
                )
                .scalars()
                .all()
            )
    finally:
        engine.dispose()


def _table_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _process_gone(pid: int) -> bool:
    """True when pid has exited (a zombie left for a non-reaping init counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def _cannot_connect(dsn: str) -> bool:
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.OperationalError:
        return True
    return False


def test_select_version_through_sqlalchemy_and_psycopg(postgres_url):
    assert postgres_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = create_engine(postgres_url)
    try:
        assert engine.dialect.driver == "psycopg"
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version()")).scalar_one()
            encoding = conn.execute(text("SHOW server_encoding")).scalar_one()
            max_connections = conn.execute(text("SHOW max_connections")).scalar_one()
    finally:
        engine.dispose()
    assert version.startswith("PostgreSQL ")
    assert encoding == "UTF8"
    assert int(max_connections) >= 300


@pytest.mark.parametrize("round_", ["first", "second"])
def test_each_test_gets_a_fresh_empty_database(postgres_url, round_):
    name = make_url(postgres_url).database
    assert name not in _seen_databases
    _seen_databases.add(name)
    # Empty although the other round created a table in its own database.
    assert _user_tables(postgres_url) == []
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE leak_probe (id int PRIMARY KEY)"))
    finally:
        engine.dispose()
    assert _user_tables(postgres_url) == ["public.leak_probe"]


def test_two_databases_are_distinct_and_isolated(postgres_cluster, postgres_url):
    other_url = postgres_cluster.create_database()
    try:
        assert make_url(other_url).database != make_url(postgres_url).database
        assert _user_tables(postgres_url) == [] and _user_tables(other_url) == []
        engine = create_engine(postgres_url)
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE only_here (id int)"))
                conn.execute(text("INSERT INTO only_here VALUES (1)"))
        finally:
            engine.dispose()
        assert _table_names(postgres_url) == ["only_here"]
        assert _table_names(other_url) == []
    finally:
        postgres_cluster.drop_database(other_url)
    with psycopg.connect(postgres_cluster.dsn()) as conn:
        names = conn.execute("SELECT datname FROM pg_database").fetchall()
    assert (make_url(other_url).database,) not in names


def test_listen_notify_between_two_connections(postgres_cluster, postgres_url):
    dsn = postgres_cluster.dsn(make_url(postgres_url).database)
    with (
        psycopg.connect(dsn, autocommit=True) as listener,
        psycopg.connect(dsn, autocommit=True) as notifier,
    ):
        listener.execute("LISTEN windowdesk_events")
        notifier_pid = notifier.info.backend_pid
        # A rolled-back NOTIFY is never delivered; a committed one is. Notifications arrive in
        # commit order, so receiving the committed payload first proves the other was dropped.
        with notifier.transaction():
            notifier.execute("SELECT pg_notify('windowdesk_events', 'rolled back')")
            raise psycopg.Rollback
        with notifier.transaction():
            notifier.execute("NOTIFY windowdesk_events, 'case:42 changed'")
        received = list(listener.notifies(timeout=10, stop_after=1))
    assert len(received) == 1
    (note,) = received
    assert note.channel == "windowdesk_events"
    assert note.payload == "case:42 changed"
    assert note.pid == notifier_pid


def test_stop_really_stops_and_is_idempotent():
    cluster = pgcluster.PostgresCluster()
    cluster.start()
    try:
        dsn = cluster.dsn()
        with psycopg.connect(dsn) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        postmaster_pid = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
        assert (cluster.socket_dir / f".s.PGSQL.{cluster.port}").exists()
        directory = cluster.directory
    finally:
        cluster.stop()
    assert _cannot_connect(dsn)
    assert _process_gone(postmaster_pid)
    assert not directory.exists()
    cluster.stop()  # idempotent
    cluster.__exit__(None, None, None)
    with pytest.raises(RuntimeError, match="not running"):
        cluster.url()


def test_concurrent_clusters_get_their_own_port_and_directory():
    with pgcluster.PostgresCluster() as first, pgcluster.PostgresCluster() as second:
        assert first.port != second.port
        assert first.directory != second.directory
        for cluster in (first, second):
            with psycopg.connect(cluster.dsn()) as conn:
                assert conn.execute("SHOW port").fetchone() == (str(cluster.port),)


def test_start_retries_on_another_port_when_the_port_was_taken(monkeypatch):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        offered = iter([taken])
        real_free_port = pgcluster._free_port
        monkeypatch.setattr(
            pgcluster, "_free_port", lambda host: next(offered, None) or real_free_port(host)
        )
        with pgcluster.PostgresCluster() as cluster:
            assert cluster.port != taken
            assert "Address already in use" in cluster.log_file.read_text()
            with psycopg.connect(cluster.dsn()) as conn:
                assert conn.execute("SELECT 1").fetchone() == (1,)


def _run_owner_process(body: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run a Python process that starts a cluster, prints port, postmaster pid and directory,
    then runs body (without calling stop())."""
    script = (
        "import os, signal\n"
        "from tests.support.pgcluster import PostgresCluster\n"
        "c = PostgresCluster()\n"
        "c.start()\n"
        "pid = (c.data_dir / 'postmaster.pid').read_text().split()[0]\n"
        "print(c.port, pid, c.directory, flush=True)\n"
    ) + body
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    return proc, proc.stdout.split()


def test_a_crashed_test_session_stops_its_cluster_at_exit():
    proc, (port, postmaster_pid, directory) = _run_owner_process(
        "raise SystemError('test session crashed')\n"
    )
    assert proc.returncode == 1 and "test session crashed" in proc.stderr
    # Checked at once, without waiting: the atexit hook ran before the process ended.
    assert not Path(directory).exists()
    assert _process_gone(int(postmaster_pid))
    assert _cannot_connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres")


def test_a_killed_test_process_does_not_leave_a_postmaster_running():
    """SIGKILL skips atexit: the watchdog must stop the cluster and remove its directory."""
    proc, (port, postmaster_pid, directory) = _run_owner_process(
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    deadline = time.monotonic() + 30
    while Path(directory).exists() or not _process_gone(int(postmaster_pid)):
        assert time.monotonic() < deadline, f"cluster in {directory} still alive after SIGKILL"
        time.sleep(0.05)
    dsn = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
    assert _cannot_connect(dsn)


def test_find_pg_bin_prefers_the_newest_version(tmp_path, monkeypatch):
    for version in ("9.6", "15", "16"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        for name in ("initdb", "pg_ctl", "postgres"):
            (bindir / name).write_text("#!/bin/sh\n")
            (bindir / name).chmod(0o755)
    (tmp_path / "17" / "bin").mkdir(parents=True)  # client-only: no server binaries
    monkeypatch.setattr(pgcluster, "DEBIAN_PG_ROOT", tmp_path)
    assert pgcluster.find_pg_bin() == tmp_path / "16" / "bin"


def test_missing_postgresql_is_a_clear_error_not_a_skip(tmp_path, monkeypatch):
    monkeypatch.setattr(pgcluster, "DEBIAN_PG_ROOT", tmp_path / "nothing-here")
    monkeypatch.setattr(pgcluster.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="Debian package `postgresql`"):
        pgcluster.find_pg_bin()
    cluster = pgcluster.PostgresCluster(base_dir=tmp_path / "base")
    with pytest.raises(RuntimeError, match="Debian package `postgresql`"):
        cluster.start()
    assert not (tmp_path / "base").exists() or not any((tmp_path / "base").iterdir())


def test_real_installation_is_found():
    bindir = pgcluster.find_pg_bin()
    assert all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))
