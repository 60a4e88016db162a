"""Build the counter PC's bundle, dist/windowdesk/, and check it before anyone installs it.

    python packaging/build.py [--dist DIR] [--work DIR]

Runs PyInstaller on packaging/windowdesk.spec, then prints the bundle's size against the
budget, the frozen start-up time (``--version``) and the frozen ``--self-test``'s summary.
Exits non-zero when the build fails, the bundle is over budget or the self-test fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "windowdesk.spec"
# Megabytes on disk, the figure, on every platform. Linux meets it by leaving the
# desktop's own libraries to the OS and Qt's ICU data to two languages (windowdesk.spec).
BUDGET_MB = 150
WINDOWS = sys.platform == "win32"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the bundle goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="PyInstaller's working folder (default: build/)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(args.dist), "--workpath", str(args.work), str(SPEC)],
                   check=True)
    build_s = time.monotonic() - started
    bundle = args.dist / "windowdesk"
    # On Windows the app itself has no console; its console twin prints.
    program = bundle / ("windowdesk-cli.exe" if WINDOWS else "windowdesk")

    size_mb = bundle_size(bundle) / 1e6
    version_s, version = timed(program, "--version")
    self_test_s, self_test = timed(program, "--self-test")
    print(f"bundle:   {bundle} — {size_mb:.1f} MB (budget {BUDGET_MB} MB)")
    print(f"build:    {build_s:.0f} s")
    print(f"start-up: {version_s:.2f} s to '{version.stdout.strip()}' (--version)")
    print(f"self-test: {self_test_s:.1f} s — {self_test.stdout.strip()}")

    failures = []
    if version.returncode != 0:
        failures.append(f"--version exited {version.returncode}: {version.stderr.strip()}")
    if self_test.returncode != 0:
        failures.append(f"--self-test exited {self_test.returncode}: "
                        f"{self_test.stderr.strip()}")
    if size_mb > BUDGET_MB:
        failures.append(f"the bundle is {size_mb - BUDGET_MB:.1f} MB over its budget")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def bundle_size(folder: Path) -> int:
    """Bytes on disk, links counted once (Linux bundles link Qt's libraries to the top)."""
    return sum(path.lstat().st_size for path in folder.rglob("*")
               if path.is_file() and not path.is_symlink())


def timed(program: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    done = subprocess.run([str(program), *args], capture_output=True, text=True, timeout=300)
    return time.monotonic() - started, done


if __name__ == "__main__":
    sys.exit(main())
