"""The server's administrative commands, run as an operator would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server.cli", *args, "--data-dir",
                           str(data_dir)], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120)


def scalar(data_dir: Path, sql: str):
    engine = create_engine(f"sqlite:///{data_dir / 'hub.db'}")
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_migrate_then_load_a_catalogue_a_user_and_a_calendar(tmp_path):
    assert run(tmp_path, "migrate").returncode == 0
    assert scalar(tmp_path, "SELECT count(*) FROM alembic_version") == 1

    departments = [{"code": "tax", "name": "税务局"}]
    # departments come with the hall; an unknown department in the catalogue is refused
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps([{"code": "x", "name": "某事项", "department": "nowhere",
                                      "default_category": "general", "materials": ["身份证"]}],
                                    ensure_ascii=False), encoding="utf-8")
    refused = run(tmp_path, "import-catalogue", str(catalogue))
    assert refused.returncode == 2 and "nowhere" in refused.stderr
    assert departments  # the catalogue below uses the demo hall's departments

    demo = ROOT / "resources" / "demo" / "catalogue.json"
    engine = create_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO departments (code, name, sort_order) "
                          "SELECT 'tax', '税务局', 1"))
    loaded = run(tmp_path, "import-catalogue", str(_only_department(demo, "tax", tmp_path)))
    assert loaded.returncode == 0, loaded.stderr
    assert scalar(tmp_path, "SELECT count(*) FROM matter_types") >= 1

    made = run(tmp_path, "create-user", "--username", "tax09", "--name", "王芳", "--department",
               "tax", "--role", "liaison", "--password-stdin", stdin="a-long-password\n")
    assert made.returncode == 0, made.stderr
    assert scalar(tmp_path, "SELECT password_hash FROM users WHERE username='tax09'") \
        .startswith("$argon2id$")
    short = run(tmp_path, "create-user", "--username", "x", "--name", "x", "--role", "clerk",
                "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "8" in short.stderr

    overrides = ROOT / "resources" / "calendar" / "example-overrides.json"
    calendar = run(tmp_path, "import-calendar", str(overrides))
    assert calendar.returncode == 0, calendar.stderr
    assert "2027" in scalar(tmp_path, "SELECT data FROM settings WHERE name='calendar'")
    broken = tmp_path / "broken.json"
    broken.write_text('{"holidays": ["2027-02-30"]}', encoding="utf-8")
    bad = run(tmp_path, "import-calendar", str(broken))
    assert bad.returncode == 2 and "2027-02-30" in bad.stderr


def _only_department(catalogue: Path, department: str, tmp_path: Path) -> Path:
    matters = [m for m in json.loads(catalogue.read_text(encoding="utf-8"))
               if m["department"] == department]
    path = tmp_path / f"{department}.json"
    path.write_text(json.dumps(matters, ensure_ascii=False), encoding="utf-8")
    return path
