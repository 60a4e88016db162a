"""The frozen bundle, built from this checkout by packaging/build.py into a temporary
folder: within its size budget, without what the app does not use, and its --self-test
passes offscreen with nothing from the system's Python or time-zone database."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loaded by path: a folder named "packaging" would shadow the PyPI package of that name.
_spec = importlib.util.spec_from_file_location("windowdesk_build", ROOT / "packaging" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

pytestmark = pytest.mark.packaging
LINUX = sys.platform.startswith("linux")

# What the Linux bundle links from the PC, by Debian package (packaging/README.md): glibc, the
# graphics driver's GL, and the desktop libraries windowdesk.spec leaves to the OS. x86-64.
LINUX_SYSTEM_PACKAGES = {
    "libc6": {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
              "libresolv.so.2", "ld-linux-x86-64.so.2"},
    "libstdc++6": {"libstdc++.so.6"},
    "libgcc-s1": {"libgcc_s.so.1"},
    "zlib1g": {"libz.so.1"},
    "libgl1": {"libGL.so.1"},
    "libegl1": {"libEGL.so.1"},
    "libx11-6": {"libX11.so.6"},
    "libx11-xcb1": {"libX11-xcb.so.1"},
    "libxcb1": {"libxcb.so.1"},
    **{f"libxcb-{name}{version}": {f"libxcb-{name}.so.{version}"} for name, version in [
        ("glx", 0), ("randr", 0), ("render", 0), ("shape", 0), ("shm", 0), ("sync", 1),
        ("xfixes", 0), ("xkb", 1)]},
    "libfontconfig1": {"libfontconfig.so.1"},
    "libfreetype6": {"libfreetype.so.6"},
    "libdbus-1-3": {"libdbus-1.so.3"},
    "libglib2.0-0": {"libglib-2.0.so.0", "libgthread-2.0.so.0", "libgobject-2.0.so.0",
                     "libgio-2.0.so.0"},
    "libcups2": {"libcups.so.2"},
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"),
                           "--dist", str(out / "dist"), "--work", str(out / "work")],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    print(done.stdout)  # size, build and start-up times, shown with -s
    return out / "dist" / "windowdesk"


def test_the_bundle_is_within_the_issues_size_budget(bundle):
    assert build.BUDGET_MB == 150  # the issue's figure, on every platform
    assert build.bundle_size(bundle) / 1e6 <= 150


def test_the_bundle_ships_data_and_leaves_out_what_the_app_does_not_use(bundle):
    internal = bundle / "_internal"
    shipped = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    assert "resources/i18n/windowdesk_en.qm" in shipped
    assert "resources/i18n/windowdesk_en.ts" not in shipped
    assert "resources/demo/hall.json" in shipped and "resources/sla_policies.json" in shipped
    assert "app/store/migrations/env.py" in shipped and "server/migrations/env.py" in shipped
    qt_translations = {Path(p).name for p in shipped if "/translations/" in p}
    assert qt_translations == {"qtbase_zh_CN.qm", "qtbase_en.qm"}
    assert any(p.endswith("platforms/libqxcb.so") for p in shipped)
    for unused in ("Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt6Multimedia", "Qt63D",
                   "Qt6VirtualKeyboard", "Qt6Wayland", "tkinter", "hypothesis"):
        assert not [p for p in shipped if unused in p], unused


def test_the_frozen_self_test_passes_offscreen(bundle, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONTZPATH": "",  # no system zone files: the bundled tzdata must answer
           "TMPDIR": str(tmp_path)}  # its throwaway directory, to check the clean-up
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(bundle / "windowdesk"), "--self-test"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("self-test ok: keyring (memory), embedded server, cache, ")
    assert "sync (" in done.stdout and "translations (en), main window in " in done.stdout
    assert list(tmp_path.iterdir()) == []


def elf_files(bundle: Path) -> list[Path]:
    def is_elf(path: Path) -> bool:
        with path.open("rb") as file:
            return file.read(4) == b"\x7fELF"
    return [path for path in bundle.rglob("*")
            if path.is_file() and not path.is_symlink() and is_elf(path)]


@pytest.mark.skipif(not LINUX, reason="Linux libraries")
def test_from_linux_the_bundle_takes_only_the_documented_libraries(bundle):
    bundled = {path.name for path in bundle.rglob("*")}
    from_os = set()
    for path in elf_files(bundle):
        dynamic = subprocess.run(["objdump", "-p", str(path)], capture_output=True,
                                 text=True, check=True).stdout
        from_os |= {line.split()[1] for line in dynamic.splitlines()
                    if line.strip().startswith("NEEDED")} - bundled
    documented = set().union(*LINUX_SYSTEM_PACKAGES.values())
    assert from_os <= documented, sorted(from_os - documented)
    assert not bundled & documented, sorted(bundled & documented)


@pytest.mark.skipif(not LINUX, reason="Linux libraries")
def test_everything_the_bundle_links_is_found_on_this_pc(bundle):
    # As the frozen program runs: its folder first on the library path, then the system's.
    env = {**os.environ, "LD_LIBRARY_PATH": str(bundle / "_internal")}
    binaries = elf_files(bundle)
    assert "libqxcb.so" in {path.name for path in binaries}  # the X11 platform plugin
    missing = {}
    for path in binaries:
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        if "not found" in done.stdout:
            missing[str(path.relative_to(bundle))] = [
                line.split()[0] for line in done.stdout.splitlines() if "not found" in line]
    assert missing == {}


@pytest.mark.skipif(not LINUX, reason="Qt's own ICU data library is Linux's")
def test_the_trimmed_icu_data_still_sorts_chinese_by_pinyin_and_converts_gb18030(bundle):
    # The bundle's ICU data under this checkout's PySide6: Chinese collation data and the
    # converters stay (without them, code-point order and invalid decoders).
    icu_data, = (bundle / "_internal" / "PySide6" / "Qt" / "lib").glob("libicudata.so.*")
    assert icu_data.stat().st_size < 15e6
    probe = ("from PySide6.QtCore import QCollator, QLocale, QStringDecoder\n"
             "chinese = QCollator(QLocale(QLocale.Chinese, QLocale.China))\n"
             "print(*sorted(['张', '阿', '李'], key=chinese.sortKey),"
             " QStringDecoder('GB18030').isValid())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**os.environ, "LD_PRELOAD": str(icu_data)}, timeout=60)
    assert done.stdout.split() == ["阿", "李", "张", "True"], done.stderr
