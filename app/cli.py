"""``windowdesk``: the counter PC's command line. The desktop UI is imported lazily."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path

from app import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="windowdesk",
        description="一窗协同 WindowDesk — 政务服务大厅协同办公客户端",
    )
    parser.add_argument("--version", action="version", version=f"windowdesk {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="演示模式：内置服务器和演示大厅，并排打开两个窗口（bdc01、tax01）")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：临时目录中的加密缓存、翻译、主窗口、内置服务器和一次同步，"
                             "无需显示器，成功退出码为 0 (installation self-test)")
    parser.add_argument("--users", default="bdc01,tax01", metavar="NAME,NAME",
                        help="演示模式打开的账号，逗号分隔，例如 bdc01,tax-lead（部门领导）")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None,
                        help="界面语言，默认为“设置”中所选 (interface language)")
    parser.add_argument("--data-dir", dest="app_data_dir", default=None,
                        help="本机数据目录 (client data directory)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("info", help="显示演示大厅和各时限规则的期限 (hall overview)")

    deadline = commands.add_parser(
        "deadline", help="按工作时间计算期限 (working-time deadline)",
        description="按大厅工作时间（法定节假日、调休）计算期限。",
    )
    deadline.add_argument("--from", dest="start", metavar="ISO-TIME",
                          help="开始时间，ISO 8601 带时区；默认现在")
    amount = deadline.add_mutually_exclusive_group()
    amount.add_argument("--policy", help="时限规则编码，例如 request、general（默认 request）")
    amount.add_argument("--hours", type=float, help="工作小时数")
    amount.add_argument("--days", type=float, help="工作日数")

    from app.paths import user_data_dir

    def client_command(name: str, help_: str) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_)
        p.add_argument("--data-dir", default=str(user_data_dir()),
                       help="本机数据目录（加密缓存、配置）")
        return p

    login = client_command("login", "登录服务器 (log in and sync)")
    login.add_argument("--server", required=True, help="服务器地址，例如 https://hall.example:8765")
    login.add_argument("--user", required=True, help="用户名")
    login.add_argument("--ca-bundle", help="大厅自有 CA 证书（PEM）；TLS 校验始终开启")
    login.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    sync = client_command("sync", "与服务器同步 (push the outbox, pull changes)")
    sync.add_argument("--once", action="store_true", required=True,
                      help="同步一轮后退出，退出码表示是否成功")
    client_command("doctor", "检查连接、时钟、待上传操作和缓存 (diagnostics)")

    args = parser.parse_args(argv)
    if args.command == "deadline":
        return _deadline(args)
    if args.command in ("login", "sync", "doctor"):
        from sync.cli import run  # the entry point may reach every room; app/ itself does not

        return run(args.command, args)
    if args.command == "info":
        return _overview()
    if args.demo:
        return _demo(tuple(u.strip() for u in args.users.split(",") if u.strip()), args.lang)
    if args.self_test:
        from ui.selftest import run as self_test

        return self_test()
    from ui.app import run as run_ui

    return run_ui(Path(args.app_data_dir) if args.app_data_dir else user_data_dir(),
                  args.lang)


def _demo(users: tuple[str, ...], language: str | None) -> int:
    """An embedded server with the demo hall, and the two demo counters."""
    import tempfile

    from app.secrets import use_memory_keyring
    from server.embedded import EmbeddedServer
    from ui.app import run_demo

    use_memory_keyring()  # demo tokens and cache keys live in this process only
    root = Path(tempfile.mkdtemp(prefix="windowdesk-demo-"))
    server = EmbeddedServer(root / "server", history=True).start()
    try:
        return run_demo(server.url, root, users, "demo-2026", language)
    finally:
        server.stop()


def _overview() -> int:
    """What a bare ``windowdesk`` shows until the desktop window takes its place."""
    from app.domain.sla import SlaPolicies
    from app.reference import load_demo_hall
    from app.worktime import WorkCalendar

    hall = load_demo_hall()
    calendar = WorkCalendar()
    policies = SlaPolicies.default()
    now = datetime.now(calendar.tz)
    print(f"一窗协同 WindowDesk {__version__} — {hall.name}")
    print(f"部门 {len(hall.departments)} 个，窗口 {len(hall.windows)} 个，"
          f"工作人员 {len(hall.staff)} 名，事项 {len(hall.matters)} 项")
    print(f"现在 {now:%Y-%m-%d %H:%M}，" + ("今天是工作日" if calendar.is_workday(now.date())
                                            else "今天不是工作日"))
    for policy in policies.policies.values():
        allowance = policy.allowance(calendar.hours_per_day)
        due = "会商确定" if allowance is None else \
            f"{calendar.add_working_time(now, allowance):%Y-%m-%d %H:%M}"
        print(f"  期限 {due:<16}  {policy.name}（{policy.code}）")
    return 0


def _deadline(args: argparse.Namespace) -> int:
    from app.domain.sla import SlaPolicies
    from app.worktime import WorkCalendar

    calendar = WorkCalendar()
    try:
        start = datetime.fromisoformat(args.start) if args.start else datetime.now(calendar.tz)
        if args.hours is not None:
            due = calendar.add_working_time(start, timedelta(hours=args.hours))
        elif args.days is not None:
            due = calendar.add_working_days(start, args.days)
        else:
            policy = SlaPolicies.default().for_request(args.policy)
            allowance = policy.allowance(calendar.hours_per_day)
            if allowance is None:
                print(f"「{policy.name}」的期限需会商确定", file=sys.stderr)
                return 2
            due = calendar.add_working_time(start, allowance)
    except (ValueError, KeyError) as exc:
        print(f"无法计算期限：{exc}", file=sys.stderr)
        return 2
    local = due.astimezone(calendar.tz)
    provisional = calendar.is_provisional(local.date())
    note = "（该年度节假日安排尚未发布，结果为暂定）" if provisional else ""
    print(f"{local.isoformat()}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
