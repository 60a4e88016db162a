"""One user's WindowDesk on one PC: the encrypted cache, the credentials, the sync engine
and the desk of application services, wired together once for the UI, the command line
and the tests alike."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from app import reports
from app.domain.entities import Staff
from app.domain.enums import StaffRole
from app.services import Desk
from app.store import Store, open_store
from sync import credentials
from sync.clock import ServerClock
from sync.engine import Listener, SyncEngine
from sync.transport import LinkDown, NeedsLogin, Refused, ServerFault, Transport

UNREACHABLE = (LinkDown, ServerFault)  # show the cached figures, as the status bar says 离线


class LoginFailed(Exception):
    """Login did not succeed; the message is Chinese. ``offline`` means the server could
    not be reached (offline unlock may still work)."""

    def __init__(self, message: str, *, offline: bool = False) -> None:
        super().__init__(message)
        self.offline = offline


class Client:
    def __init__(self, data_dir: Path, profile: credentials.Profile, token: str | None,
                 clock: ServerClock, listener: Listener | None = None) -> None:
        self.data_dir = data_dir
        self.profile = profile
        self.clock = clock
        # Each user has their own cache and outbox: when clerks share a PC, one user's
        # unsent ops are never pushed under another user's session.
        self.user_dir = user_dir(data_dir, profile.username)
        self.store: Store = open_store(self.user_dir)
        self.actor = staff_of(profile.user)
        self.transport = Transport(profile.server, clock, ca_bundle=profile.ca_bundle,
                                   token=token)
        self.engine = SyncEngine(self.store, self.transport, clock, actor=self.actor,
                                 device_id=profile.device_id,
                                 blob_dir=self.user_dir / "blobs", listener=listener)
        self.desk = Desk(self.store, self.actor, now=clock.now, device_id=profile.device_id,
                         blob_dir=self.user_dir / "blobs", on_write=self.engine.nudge)

    @classmethod
    def login(cls, data_dir: Path, server: str, username: str, password: str, *,
              ca_bundle: str | None = None, clock: ServerClock | None = None,
              listener: Listener | None = None) -> Client:
        """Log in online; remembers the token (keyring) and the offline-unlock hash."""
        clock = clock or ServerClock()
        device = credentials.device_id(data_dir)
        transport = Transport(server, clock, ca_bundle=ca_bundle)
        try:
            answer = transport.login(username, password, device)
        except NeedsLogin:
            raise LoginFailed("用户名或密码错误") from None
        except LinkDown as exc:
            raise LoginFailed(f"无法连接服务器 {server}（{exc}）", offline=True) from None
        except (Refused, ServerFault) as exc:
            raise LoginFailed(f"登录失败：{exc}") from None
        profile = credentials.remember_login(
            data_dir, server=server, username=username, password=password,
            user=answer["user"], token=answer["token"], device=device, ca_bundle=ca_bundle)
        return cls(data_dir, profile, answer["token"], clock, listener)

    @classmethod
    def resume(cls, data_dir: Path, *, clock: ServerClock | None = None,
               listener: Listener | None = None) -> Client:
        """Reopen the last session on this PC (token from the keyring)."""
        profile = credentials.load_profile(data_dir)
        if profile is None:
            raise LoginFailed("本机还没有登录过，请先登录")
        return cls(data_dir, profile, credentials.token(profile), clock or ServerClock(),
                   listener)

    @classmethod
    def unlock_offline(cls, data_dir: Path, username: str, password: str, *,
                       clock: ServerClock | None = None,
                       listener: Listener | None = None) -> Client:
        """Open the cache while the server is unreachable: the last user only, checked
        against the stored Argon2 hash. Ops queue until the link is back."""
        profile = credentials.unlock_offline(data_dir, username, password)
        if profile is None:
            raise LoginFailed("离线登录只允许本机最近登录的用户，且密码须正确")
        return cls(data_dir, profile, credentials.token(profile), clock or ServerClock(),
                   listener)

    def relogin(self, password: str) -> None:
        """After the server ended the session (NEEDS_LOGIN): a new token for the same user;
        the kept outbox goes out at once."""
        try:
            answer = self.transport.login(self.profile.username, password,
                                          self.profile.device_id)
        except NeedsLogin:
            raise LoginFailed("用户名或密码错误") from None
        except LinkDown as exc:
            raise LoginFailed(f"无法连接服务器（{exc}）", offline=True) from None
        except (Refused, ServerFault) as exc:
            raise LoginFailed(f"登录失败：{exc}") from None
        self.profile = credentials.remember_login(
            self.data_dir, server=self.profile.server, username=self.profile.username,
            password=password, user=answer["user"], token=answer["token"],
            device=self.profile.device_id, ca_bundle=self.profile.ca_bundle)
        self.engine.logged_in(answer["token"])

    def stats(self, start: date, end: date) -> reports.StatsReport:
        """统计 from the server (slow: call it off the UI thread); the cached figures, marked
        offline, when the server cannot be reached. 403 arrives as ``Refused``."""
        return reports.stats(self.store, lambda: self.transport.stats(start, end), start, end,
                             unreachable=UNREACHABLE)

    def evaluation(self, month: str) -> reports.EvaluationReport:
        """月度考核 of ``month`` ("2026-11"), like :meth:`stats`."""
        return reports.evaluation(self.store, lambda: self.transport.evaluation(month), month,
                                  unreachable=UNREACHABLE)

    def logout(self) -> None:
        """End the session: tell the server, forget the token. The cache and any unsent
        ops stay for the next login."""
        with contextlib.suppress(LinkDown, NeedsLogin, Refused, ServerFault):
            self.transport.logout()  # the token is forgotten here either way
        credentials.forget_token(self.profile)
        self.transport.token = None

    def close(self) -> None:
        self.engine.stop()
        self.store.close()


def user_dir(data_dir: Path, username: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in username)
    return data_dir / "users" / safe


def staff_of(user: dict) -> Staff:
    return Staff(id=user["id"], username=user["username"], name=user["name"],
                 department=user.get("department"),
                 roles=frozenset(StaffRole(r) for r in user.get("roles", ())),
                 window=user.get("window"))
