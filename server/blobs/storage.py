"""Attachment files on disk, addressed by their SHA-256.

Several server processes may share the blob directory (DESIGN §9), so a file only ever
appears under its final name by ``os.replace`` of a complete, fsynced temporary file in
the same directory tree: a reader sees the whole file or nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool

# Disk writes go through the thread pool; batching chunks keeps those hops few.
WRITE_BATCH = 1 << 20

class TooLarge(Exception):
    """The body went past the size limit; nothing of it is kept."""


@dataclass(frozen=True)
class Upload:
    """A received body in a temporary file, not yet under its final name."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        # Temporary files live inside the store so os.replace never crosses filesystems.
        self.tmp = root / "tmp"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def receive(self, chunks: AsyncIterator[bytes], limit: int) -> Upload:
        """Write ``chunks`` to a temporary file while hashing and counting them; raise
        TooLarge as soon as they pass ``limit`` bytes. Memory use stays at one batch."""
        await run_in_threadpool(self.tmp.mkdir, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="upload-")
        path = Path(name)
        digest, size, pending = hashlib.sha256(), 0, bytearray()
        try:
            with os.fdopen(fd, "wb") as file:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge
                    digest.update(chunk)
                    pending += chunk
                    if len(pending) >= WRITE_BATCH:
                        batch, pending = pending, bytearray()
                        await run_in_threadpool(file.write, batch)
                await run_in_threadpool(_finish, file, pending)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            raise
        return Upload(path, digest.hexdigest(), size)

    def keep(self, upload: Upload) -> None:
        """Move a verified upload to its final name, unless that file is already there.
        Two processes racing here both hold the same bytes, so either replace is fine."""
        final = self.path_for(upload.sha256)
        if final.is_file():
            upload.discard()
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(upload.path, final)


def _finish(file, pending: bytes) -> None:
    file.write(pending)
    file.flush()
    os.fsync(file.fileno())  # the bytes are on disk before the name (and the row) exist
