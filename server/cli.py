"""``windowdesk-server``: the central server's command line."""

from __future__ import annotations

import argparse
import sys

from app import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="windowdesk-server",
        description="一窗协同 WindowDesk 中心服务器 — 协同请求、同步与统计",
    )
    parser.add_argument("--version", action="version", version=f"windowdesk-server {__version__}")
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
