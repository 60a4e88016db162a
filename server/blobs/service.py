"""The blob rows: recording an upload and deciding who may read a blob."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from server.db import Database
from server.deps import Principal
from server.models import Blob, BlobUpload
from server.sync.push import blob_usable


def record(db: Database, sha256: str, size: int, mime: str, user_id: str,
           file_name: str | None, now: datetime) -> tuple[Blob, bool]:
    """The blob's row and whether this call created it; the caller is noted as one of its
    uploaders either way (having the bytes is what entitles one to use them), with the
    name they gave the file (an upload without a name keeps the one they gave before)."""
    for attempt in (1, 2):
        try:
            with db.write() as session:
                blob = session.get(Blob, sha256)
                created = blob is None
                if created:
                    blob = Blob(sha256=sha256, size=size, mime=mime, created_at=now)
                    session.add(blob)
                    session.flush()
                upload = session.get(BlobUpload, (sha256, user_id))
                if upload is None:
                    upload = BlobUpload(sha256=sha256, user_id=user_id, at=now)
                    session.add(upload)
                if file_name is not None:
                    upload.file_name = file_name
            return blob, created
        except IntegrityError:
            # a concurrent upload of the same content won the insert: look again
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def readable(db: Database, sha256: str, principal: Principal) -> Blob | None:
    """The blob if this user uploaded it or sees a case or request referencing it; None
    otherwise, so an answer never tells whether a blob they may not read exists."""
    with db.read() as session:
        blob = session.get(Blob, sha256)
        if blob is None:
            return None
        if blob_usable(session, sha256, principal):
            return blob
        return None
