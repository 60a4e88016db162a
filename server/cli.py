"""``windowdesk-server``: the central server's command line."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from app import __version__
from app.reference import load_demo_hall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="windowdesk-server",
        description="一窗协同 WindowDesk 中心服务器 — 协同请求、同步与统计",
    )
    parser.add_argument("--version", action="version", version=f"windowdesk-server {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", default="", metavar="URL",
                       help="SQLAlchemy URL: sqlite:///path/hub.db or "
                            "postgresql+psycopg://user@host/db (default: SQLite in --data-dir)")
        p.add_argument("--data-dir", type=Path, default=None,
                       help="server data directory (SQLite file, blobs)")
        return p

    serve = with_db(commands.add_parser("serve", help="run the HTTP server"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes (PostgreSQL recommended for more than one)")
    serve.add_argument("--demo", action="store_true",
                       help="load the demo hall into an empty database; print the accounts")
    serve.add_argument("--certfile", type=Path, help="TLS certificate (PEM) to serve HTTPS")
    serve.add_argument("--keyfile", type=Path, help="TLS private key (PEM)")

    with_db(commands.add_parser("migrate", help="create or upgrade the database schema"))

    user = with_db(commands.add_parser("create-user", help="add a staff account"))
    user.add_argument("--username", required=True)
    user.add_argument("--name", required=True, help="display name, e.g. 陈晓燕")
    user.add_argument("--department", help="department code, e.g. tax")
    user.add_argument("--role", action="append", required=True,
                      choices=["clerk", "liaison", "supervisor", "admin"],
                      help="may be given several times")
    user.add_argument("--window", help="window code")
    user.add_argument("--password-stdin", action="store_true",
                      help="read the password from standard input instead of a prompt")

    calendar = with_db(commands.add_parser(
        "import-calendar", help="load local calendar overrides (JSON/YAML); recompute deadlines"))
    calendar.add_argument("file", type=Path)

    catalogue = with_db(commands.add_parser("import-catalogue",
                                            help="load matter types (事项清单) from JSON"))
    catalogue.add_argument("file", type=Path)

    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except (ValueError, FileNotFoundError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def _settings(args: argparse.Namespace):
    from server.config import Settings

    kwargs = {"db_url": args.db}
    if args.data_dir is not None:
        kwargs["data_dir"] = args.data_dir
    return Settings(**kwargs)


def _open(args: argparse.Namespace):
    from server.db import Database

    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.db_url)
    db.migrate()
    return settings, db


def _migrate(args: argparse.Namespace) -> int:
    _, db = _open(args)
    db.dispose()
    print("数据库已是最新结构")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.heap import keep_what_is_built
    from server.app import ENV_DATA_DIR, ENV_DB_URL, create_app

    if bool(args.certfile) != bool(args.keyfile):
        raise ValueError("--certfile 和 --keyfile 需要同时提供")
    settings, db = _open(args)
    if args.demo:
        _load_demo(settings, db)
    db.dispose()
    options = {"ssl_certfile": str(args.certfile), "ssl_keyfile": str(args.keyfile)} \
        if args.certfile else {}
    # Held long-polls would delay a restart by up to 30 s; clients simply poll again.
    options["timeout_graceful_shutdown"] = 3
    scheme = "https" if args.certfile else "http"
    print(f"一窗协同服务器：{scheme}://{args.host}:{args.port}  "
          f"数据库：{_redacted(settings.db_url)}", flush=True)
    if args.workers > 1:
        os.environ[ENV_DB_URL] = settings.db_url
        os.environ[ENV_DATA_DIR] = str(settings.data_dir)
        uvicorn.run("server.app:app_from_env", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level="warning", **options)
    else:
        app = create_app(settings)
        keep_what_is_built(collect_first=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", **options)
    return 0


def _load_demo(settings, db) -> None:
    from sqlalchemy import func, select

    from server.models import User
    from server.reference import DEMO_ACCOUNTS, DEMO_PASSWORD, load_hall
    from server.sync.changes import ChangeLog

    hall = load_demo_hall()
    with db.write() as session:
        db.lock_for_setup(session.connection())
        if session.scalar(select(func.count()).select_from(User)):
            print("数据库已有账号，未载入演示数据")
            return
        log = ChangeLog()
        load_hall(session, log, hall, settings, password=DEMO_PASSWORD)
        log.commit_positions(session)
    names = {s.username: s for s in hall.staff}
    departments = hall.department_names()
    print(f"已载入演示大厅「{hall.name}」。演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username in DEMO_ACCOUNTS:
        s = names[username]
        roles = "、".join(r.label for r in sorted(s.roles))
        print(f"  {username:<10} {s.name}  {departments.get(s.department, '')} {roles}")


def _create_user(args: argparse.Namespace) -> int:
    from server.auth.service import create_user
    from server.models import Department
    from server.sync.changes import PUBLIC, ChangeLog

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin \
        else getpass.getpass("密码：")
    if len(password) < 8:
        raise ValueError("密码至少 8 位")
    settings, db = _open(args)
    with db.write() as session:
        if args.department and session.get(Department, args.department) is None:
            raise ValueError(f"没有编码为 {args.department} 的部门")
        log = ChangeLog()
        user = create_user(session, settings, username=args.username, name=args.name,
                           password=password, department=args.department, roles=args.role,
                           window=args.window)
        log.record("user", user.id, PUBLIC)
        log.commit_positions(session)
    print(f"已创建账号 {args.username}")
    return 0


def _import_calendar(args: argparse.Namespace) -> int:
    from server.hall import HallRulesCache
    from server.reference import import_calendar
    from server.sync.changes import ChangeLog

    settings, db = _open(args)
    with db.write() as session:
        log = ChangeLog()
        moved = import_calendar(session, log, args.file, settings, HallRulesCache())
        log.commit_positions(session)
    print(f"已载入日历；{moved} 个进行中请求的期限已重新计算")
    return 0


def _import_catalogue(args: argparse.Namespace) -> int:
    from server.reference import import_catalogue
    from server.sync.changes import ChangeLog

    _, db = _open(args)
    with db.write() as session:
        log = ChangeLog()
        count = import_catalogue(session, log, args.file)
        log.commit_positions(session)
    print(f"已载入 {count} 项事项")
    return 0


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


_COMMANDS = {
    "serve": _serve, "migrate": _migrate, "create-user": _create_user,
    "import-calendar": _import_calendar, "import-catalogue": _import_catalogue,
}


if __name__ == "__main__":
    sys.exit(main())
