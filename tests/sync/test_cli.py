"""``windowdesk login | sync --once | doctor`` as a counter's IT support would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.server import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def windowdesk(tmp_path: Path, *args: str, stdin: str | None = None,
               backend: str = "tests.support.filekeyring.FileKeyring"):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": backend,
           "WD_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    return subprocess.run([sys.executable, "-m", "app.cli", *args, "--data-dir",
                           str(tmp_path / "pc")], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_login_sync_and_doctor(hub, tmp_path):
    login = windowdesk(tmp_path, "login", "--server", hub.url, "--user", "bdc01",
                       "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert login.returncode == 0, login.stderr
    assert "已登录：陈晓燕" in login.stdout and "下载" in login.stdout
    synced = windowdesk(tmp_path, "sync", "--once")
    assert synced.returncode == 0 and "上传 0 项" in synced.stdout, synced.stderr
    doctor = windowdesk(tmp_path, "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    for line in ("✓ 密钥环", "✓ 用户：bdc01", "✓ 缓存完整性：ok", "✓ 待上传操作：0 项",
                 "✓ 服务器可以连接", "✓ 时钟偏差"):
        assert line in doctor.stdout
    # the token went to the keyring, not into any file of the data directory
    token_store = (tmp_path / "keyring.json").read_text()
    assert "token:" in token_store
    for path in (tmp_path / "pc").rglob("*"):
        if path.is_file():
            assert DEMO_PASSWORD.encode() not in path.read_bytes()


def test_a_wrong_password_and_an_unreachable_server_are_explained(hub, tmp_path):
    wrong = windowdesk(tmp_path, "login", "--server", hub.url, "--user", "bdc01",
                       "--password-stdin", stdin="nope\n")
    assert wrong.returncode == 1 and "用户名或密码错误" in wrong.stderr
    down = windowdesk(tmp_path, "login", "--server", "http://127.0.0.1:9", "--user", "bdc01",
                      "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert down.returncode == 1 and "无法连接服务器" in down.stderr
    assert windowdesk(tmp_path, "sync", "--once").returncode == 1  # never logged in here


def test_without_a_keyring_the_message_says_what_to_install(hub, tmp_path):
    done = windowdesk(tmp_path, "login", "--server", hub.url, "--user", "bdc01",
                      "--password-stdin", stdin=DEMO_PASSWORD + "\n",
                      backend="keyring.backends.fail.Keyring")
    assert done.returncode == 2
    assert "密钥环" in done.stderr and "gnome-keyring" in done.stderr
    assert "Traceback" not in done.stderr
