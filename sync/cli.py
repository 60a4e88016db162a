"""``windowdesk login | sync | doctor``: the client's command line, for set-up and support."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import keyring
from sqlalchemy import func, select, text

from app.secrets import KeyringUnavailable, get_secret
from app.store import StoreError
from app.store import models as m
from sync import credentials
from sync.client import Client, LoginFailed
from sync.transport import LinkDown, NeedsLogin, Refused, ServerFault


def login(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin \
        else getpass.getpass("密码：")
    client = Client.login(args.data_dir, args.server, args.user, password,
                          ca_bundle=args.ca_bundle)
    try:
        summary = client.engine.sync_once()
        user = client.profile.user
        print(f"已登录：{user['name']}（{user.get('department') or '无部门'}）")
        print(_summary_line(summary))
    finally:
        client.close()
    return 0


def sync_once(args: argparse.Namespace) -> int:
    client = Client.resume(args.data_dir)
    try:
        summary = client.engine.sync_once()
        print(_summary_line(summary))
        status = client.engine.status()
        if status.clock_skewed:
            print(f"注意：本机时钟与服务器相差 {abs(status.clock_offset):.0f} 秒，"
                  "倒计时已按服务器时间显示")
        return 0 if summary.ok else 1
    finally:
        client.close()


def doctor(args: argparse.Namespace) -> int:
    """Everything a support call asks first, each line ✓ or ✗."""
    checks: list[tuple[bool, str]] = []
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    try:
        get_secret("doctor-probe")
        checks.append((True, f"密钥环：{name}"))
    except KeyringUnavailable as exc:
        checks.append((False, f"密钥环不可用（{name}）：{exc}"))
        return _report(checks)
    profile = credentials.load_profile(args.data_dir)
    if profile is None:
        checks.append((False, f"本机尚未登录（{args.data_dir}）"))
        return _report(checks)
    checks.append((True, f"用户：{profile.username}，服务器：{profile.server}"))
    try:
        client = Client.resume(args.data_dir)
    except (StoreError, KeyringUnavailable) as exc:
        checks.append((False, f"本地缓存：{exc}"))
        return _report(checks)
    try:
        with client.store.session() as session:
            integrity = session.execute(text("PRAGMA quick_check")).scalar()
            pending = session.scalar(select(func.count()).select_from(m.OutboxOp))
            oldest = session.scalar(select(func.min(m.OutboxOp.client_time)))
            last = session.get(m.SyncState, "last_sync")
        checks.append((integrity == "ok", f"缓存完整性：{integrity}"))
        checks.append((True, f"待上传操作：{pending} 项"
                       + (f"，最早的在 {oldest:%Y-%m-%d %H:%M} (UTC)" if oldest else "")))
        checks.append((last is not None, f"上次同步：{last.value if last else '从未同步'}"))
        try:
            client.transport.health()
            offset = client.clock.offset
            checks.append((True, "服务器可以连接"))
            checks.append((abs(offset) <= 120, f"时钟偏差：{offset:+.1f} 秒"))
        except (LinkDown, ServerFault, Refused, NeedsLogin) as exc:
            checks.append((False, f"服务器无法连接：{exc}"))
    finally:
        client.close()
    return _report(checks)


def _report(checks: list[tuple[bool, str]]) -> int:
    for ok, line in checks:
        print(("✓ " if ok else "✗ ") + line)
    return 0 if all(ok for ok, _ in checks) else 1


def _summary_line(summary) -> str:
    line = (f"同步：上传 {summary.pushed} 项（被拒绝 {summary.rejected} 项），"
            f"下载 {summary.pulled} 项变更")
    return line + ("" if summary.ok else f"；未完成：{'；'.join(summary.errors)}")


def run(command: str, args: argparse.Namespace) -> int:
    """Run a client command with its expected failures said in Chinese, not a traceback."""
    args.data_dir = Path(args.data_dir)
    try:
        return {"login": login, "sync": sync_once, "doctor": doctor}[command](args)
    except LoginFailed as exc:
        print(f"登录失败：{exc}", file=sys.stderr)
        return 1
    except (KeyringUnavailable, StoreError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
