"""Attachments: upload by content hash, download for those who may see them.

The upload endpoint is async and reads the body as a stream, so a 20 MB scan never sits
in memory; disk and database work go to the thread pool so the event loop (which also
serves long polls) never waits on them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from app.attachments import ACCEPTED_NAMES, sniff
from server.blobs import service
from server.blobs.storage import BlobStore, TooLarge, Upload
from server.config import Settings
from server.deps import CurrentUser, DbDep, SettingsDep
from server.errors import ApiError
from server.schemas import Timestamped

router = APIRouter(prefix="/api/v1/blobs", tags=["blobs"])

Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$",
                             description="文件内容的 SHA-256（小写十六进制）")]



def _base_name(name: str) -> str:
    """Only the file's own name: it is shown and offered for 保存, so no folders in it."""
    if "/" in name or "\\" in name or not name.isprintable() or not name.strip(". "):
        raise ValueError("附件名只能是文件名，不能含路径或控制字符")
    return name


FileName = Annotated[
    Annotated[str, AfterValidator(_base_name)] | None,
    Query(min_length=1, max_length=255,
          description="文件名（不含路径，最多 255 个字符），收件方据此显示和保存")]

CACHE_FOREVER = "private, max-age=31536000, immutable"  # a hash's content never changes
UNAUTHORIZED = {401: {"description": "unauthorized：未登录或登录已过期"}}
NOT_VISIBLE = {404: {"description": "not_found：不存在或无权查看"}}


class BlobOut(Timestamped):
    sha256: str
    size: int
    mime: str


def store_of(settings: Settings) -> BlobStore:
    return BlobStore(settings.blob_dir)


def too_large(settings: Settings) -> ApiError:
    mb = settings.max_blob_bytes / (1024 * 1024)
    return ApiError(413, "too_large", f"附件过大：单个文件不能超过 {mb:g} MB")


def not_found() -> ApiError:
    return ApiError(404, "not_found", "没有找到该附件，或无权查看")


def _declared_length(request: Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None


@router.put(
    "/{sha256}", response_model=BlobOut, status_code=201,
    summary="上传附件（请求体为文件原始字节，幂等）",
    openapi_extra={"requestBody": {"content": {"application/octet-stream": {
        "schema": {"type": "string", "format": "binary"}}}, "required": True}},
    responses={200: {"model": BlobOut, "description": "已存在，未重复保存"},
               400: {"description": "hash_mismatch / empty：内容与哈希不符或为空"},
               413: {"description": "too_large：超过大小上限"},
               415: {"description": "unsupported_type：仅支持 PDF、JPG、PNG、OFD"},
               **UNAUTHORIZED})
async def put_blob(sha256: Sha256, request: Request, response: Response,
                   principal: CurrentUser, db: DbDep, settings: SettingsDep,
                   name: FileName = None) -> BlobOut:
    declared = _declared_length(request)
    if declared is not None and declared > settings.max_blob_bytes:
        raise too_large(settings)  # refuse before reading a byte of it
    store = store_of(settings)
    try:
        upload = await store.receive(request.stream(), settings.max_blob_bytes)
    except TooLarge:
        raise too_large(settings) from None
    except ClientDisconnect:
        raise ApiError(400, "incomplete", "上传中断，请重试") from None
    try:
        mime = await run_in_threadpool(_check, upload, sha256)
        # The file goes first, then the row: a row always has its file, and a crash in
        # between leaves only an orphan file that the next upload of it reuses.
        await run_in_threadpool(store.keep, upload)
    except BaseException:
        await run_in_threadpool(upload.discard)
        raise
    blob, created = await run_in_threadpool(service.record, db, sha256, upload.size, mime,
                                            principal.staff.id, name, settings.clock())
    response.status_code = 201 if created else 200
    return BlobOut(sha256=blob.sha256, size=blob.size, mime=blob.mime,
                   server_time=settings.clock())


def _check(upload: Upload, sha256: str) -> str:
    if upload.size == 0:
        raise ApiError(400, "empty", "附件为空文件")
    if upload.sha256 != sha256:
        raise ApiError(400, "hash_mismatch", "附件内容与其 SHA-256 不符，可能传输中损坏，请重试")
    mime = sniff(upload.path)
    if mime is None:
        raise ApiError(415, "unsupported_type", f"不支持的附件类型：仅支持 {ACCEPTED_NAMES}")
    return mime


@router.head("/{sha256}", response_class=FileResponse, summary="附件是否存在且可查看",
             responses={**NOT_VISIBLE, **UNAUTHORIZED})
@router.get(
    "/{sha256}", response_class=FileResponse, summary="下载附件",
    responses={200: {"description": "文件内容", "content": {
        t: {"schema": {"type": "string", "format": "binary"}}
        for t in ("application/pdf", "image/jpeg", "image/png", "application/ofd")}},
        **NOT_VISIBLE, **UNAUTHORIZED})
async def get_blob(sha256: Sha256, principal: CurrentUser, db: DbDep,
                   settings: SettingsDep) -> FileResponse:
    blob = await run_in_threadpool(service.readable, db, sha256, principal)
    path = store_of(settings).path_for(sha256)
    if blob is None or not await run_in_threadpool(path.is_file):
        raise not_found()
    return FileResponse(path, media_type=blob.mime, headers={
        "ETag": f'"{sha256}"', "Cache-Control": CACHE_FOREVER,
        "X-Content-Type-Options": "nosniff"})
