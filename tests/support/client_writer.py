"""A counter PC that only writes: reopen an existing client and register cases in a tight loop.

    WD_SECRETS='{"<keyring name>": "<value>", ...}' \
        python tests/support/client_writer.py DATA_DIR SERVER_URL

Used by the fault tests, which SIGKILL it at random moments. It never syncs (the engine is
never started): every case it registers stays in the local cache and the outbox. A subprocess
has no OS keyring, so the secrets the client needs (the session token and the cache key) come
from the environment, as JSON {name: value}, into an in-memory keyring.

Output (stdout, one line each, flushed): ``ready`` once the cache is open, then the id of
every case whose local transaction has committed, printed after the desk call returned.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.secrets import set_secret, use_memory_keyring  # noqa: E402
from sync.client import Client  # noqa: E402
from tests.support.server import VALID_ID  # noqa: E402

INTAKE = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
              citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
              category="general", description="二手房过户")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: client_writer.py DATA_DIR SERVER_URL", file=sys.stderr)
        return 2
    data_dir, server = Path(argv[1]), argv[2]
    use_memory_keyring()
    for name, value in json.loads(os.environ.get("WD_SECRETS", "{}")).items():
        set_secret(name, value)
    client = Client.resume(data_dir)
    if client.profile.server.rstrip("/") != server.rstrip("/"):
        print(f"profile is for {client.profile.server}, not {server}", file=sys.stderr)
        return 3
    print("ready", flush=True)
    limit = int(os.environ.get("WD_WRITER_LIMIT", "0"))  # 0: until killed
    written = 0
    while not limit or written < limit:
        case_id = client.desk.register_case(**INTAKE)
        print(case_id, flush=True)
        written += 1
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
