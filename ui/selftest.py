"""``windowdesk --self-test``: the whole product once, without a display, in a throwaway
directory — what an installed (or frozen) counter PC runs to prove its bundle works.

Steps: keyring, embedded server, encrypted cache (via login), one sync, translations,
main window. Success prints one line on stdout and returns 0; failure names the step on
stderr and returns 1. Everything made is removed on every path, keyring entries included.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack, redirect_stdout
from pathlib import Path

import keyring
from PySide6.QtCore import QLibraryInfo, QTranslator

from app.paths import resources_dir
from app.secrets import use_memory_keyring
from app.store import reset_store
from server.embedded import EmbeddedServer
from server.reference import DEMO_PASSWORD
from sync import credentials
from sync.client import Client
from sync.qt import SyncAdapter
from ui.app import make_application
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.notify import make_notifier
from ui.tasks import finish_background_work

USER = "bdc01"
LANGUAGE = "en"  # English proves our .qm is found; Chinese needs no translation
PLAIN_SQLITE = b"SQLite format 3\x00"  # how an unencrypted database file begins


class SelfTestFailed(Exception):
    pass


def run() -> int:
    # Before any QApplication exists: the self-test must not need a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    done: list[str] = []
    step = "keyring"
    root = Path(tempfile.mkdtemp(prefix="windowdesk-selftest-"))
    try:
        with ExitStack() as cleanup:
            done.append(f"keyring ({_keyring()})")

            step = "embedded server"
            with redirect_stdout(io.StringIO()):  # the demo accounts are for people, not here
                server = EmbeddedServer(root / "server").start()
            cleanup.callback(server.stop)
            done.append(step)

            step = "cache"
            client = Client.login(root / "client", server.url, USER, DEMO_PASSWORD)
            # Undone in reverse: close, forget the token, delete the cache and its key.
            cleanup.callback(reset_store, client.user_dir)
            cleanup.callback(credentials.forget_token, client.profile)
            cleanup.callback(client.close)
            if client.store.path.read_bytes()[:16] == PLAIN_SQLITE:
                raise SelfTestFailed("the cache is not encrypted")
            done.append(step)

            step = "sync"
            summary = client.engine.sync_once()
            if not summary.ok:
                raise SelfTestFailed("; ".join(summary.errors))
            done.append(f"sync ({summary.pulled} changes)")

            step = "translations"
            app = make_application(LANGUAGE)
            _check_translations()
            done.append(f"translations ({LANGUAGE})")

            step = "main window"
            window = MainWindow(UiContext(client=client, adapter=SyncAdapter()),
                                make_notifier(None))
            cleanup.callback(finish_background_work)  # before the cache closes, after the window
            cleanup.callback(window.close)
            window.show()
            finish_background_work()  # the inbox loads off-thread
            app.processEvents()
            if window.nav.item(0).text() != "Inbox":
                raise SelfTestFailed(f"navigation reads {window.nav.item(0).text()!r}")
            done.append(step)
            step = "clean-up"
    except Exception as exc:  # noqa: BLE001 — any failure is the answer, told in one line
        print(f"self-test failed at {step}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"self-test ok: {', '.join(done)} in {time.monotonic() - started:.1f} s")
    return 0


def _keyring() -> str:
    """The OS keyring if there is one (its entries are removed again); otherwise one in
    memory, so a PC or CI runner without a keyring can still test everything else."""
    backend = keyring.get_keyring()
    if backend.priority <= 0:  # keyring's "none found" placeholder, or a stand-in for it
        use_memory_keyring()
        return "memory"
    return type(backend).__name__


def _check_translations() -> None:
    """Our English and Qt's Chinese (standard buttons in the default language) ship."""
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase_zh_CN", qt_dir),
                         (f"windowdesk_{LANGUAGE}", str(resources_dir() / "i18n"))):
        if not QTranslator().load(name, folder):
            raise SelfTestFailed(f"{name}.qm not found in {folder}")
