"""The demo's past (server/demo_history.py): played through the real push path and
scheduler, it follows the rules and holds what the supervisor screens need."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.reference import load_demo_hall
from server.cli import _load_demo
from server.config import Settings
from server.db import Database
from server.demo_history import seed_history
from server.models import EventRow, RequestRow

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("history"), clock=lambda: NOW)
    db = Database(settings.db_url)
    db.migrate()
    _load_demo(settings, db)
    result = seed_history(db, settings, load_demo_hall(), NOW, days=14)
    yield db, result
    db.dispose()


def test_every_op_follows_the_rules(played):
    _, result = played
    assert result.ops > 300
    assert result.refused == []


def test_the_past_holds_late_stuck_and_badly_rated_work(played):
    db, _ = played
    with db.read() as session:
        states = Counter(dict(session.execute(
            select(RequestRow.state, func.count()).group_by(RequestRow.state)).all()))
        kinds = Counter(dict(session.execute(
            select(EventRow.kind, func.count()).group_by(EventRow.kind)).all()))
        overdue_now = session.scalar(select(func.count()).select_from(RequestRow).where(
            RequestRow.clock_started_at.is_not(None), RequestRow.due_at < NOW))
        late = session.scalar(select(func.count()).select_from(RequestRow).where(
            RequestRow.replied_at > RequestRow.due_at))
        stars = Counter(session.scalars(
            select(RequestRow.data[("rating", "stars")].as_integer())
            .where(RequestRow.state == "confirmed")))
        first, last = session.execute(select(func.min(RequestRow.sent_at),
                                             func.max(RequestRow.sent_at))).one()
    assert states["confirmed"] > 50 and states["replied"] > 0
    assert overdue_now > 0 and late > 0
    assert kinds["escalated"] > 0 and kinds["reminder"] > 0
    assert kinds["sent_back"] > 0 and kinds["urged"] > 0 and kinds["forwarded"] > 0
    assert stars[5] > stars[2] > 0 and stars[1] + stars[2] < stars[4] + stars[5]
    assert (NOW - first).days >= 13 and last < NOW  # the past only
    assert kinds["rectification_opened"] == stars[1] + stars[2] > 0
    assert kinds["rectification_callback"] > 0


def test_the_same_seed_tells_the_same_story(tmp_path):
    def story(directory):
        directory.mkdir()
        settings = Settings(data_dir=directory, clock=lambda: NOW)
        db = Database(settings.db_url)
        db.migrate()
        _load_demo(settings, db)
        seed_history(db, settings, load_demo_hall(), NOW, days=2, seed=7)
        with db.read() as session:
            story = sorted(session.execute(select(RequestRow.state, RequestRow.sent_at,
                                                  RequestRow.to_department)).all())
        db.dispose()
        return story

    assert story(tmp_path / "a") == story(tmp_path / "b") != []
