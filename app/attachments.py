"""What an attachment may be: the types a hall accepts, told from the content itself.

Shared by the server (which never trusts a Content-Type header) and the client (which
refuses a wrong file at the counter, before it is queued for upload).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
ZIP_MAGIC = b"PK\x03\x04"
OFD_MIME = "application/ofd"
ACCEPTED_NAMES = "PDF、JPG、PNG、OFD"
MAX_BYTES = 20 * 1024 * 1024


def sniff(path: Path) -> str | None:
    """The MIME type the content's magic bytes show, or None if it is not one we accept."""
    with open(path, "rb") as file:
        head = file.read(8)
    for magic, mime in MAGIC:
        if head.startswith(magic):
            return mime
    if head.startswith(ZIP_MAGIC):
        # An OFD document is a ZIP with OFD.xml at its root (GB/T 33190).
        try:
            with zipfile.ZipFile(path) as archive:
                return OFD_MIME if "OFD.xml" in archive.namelist() else None
        except Exception:  # any damaged archive is just "not an OFD"
            return None
    return None
