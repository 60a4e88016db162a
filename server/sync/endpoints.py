from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Literal

import pydantic_core
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from server.deps import CurrentUser, DbDep, SettingsDep
from server.errors import ApiError
from server.schemas import Timestamped
from server.sync.changes import ChangeLog
from server.sync.pull import CursorReset, clamp_limit
from server.sync.push import push

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])

MAX_OPS_PER_PUSH = 1000


class OpIn(BaseModel):
    op_id: str = Field(min_length=1, max_length=64, description="客户端生成的 UUID，幂等键")
    type: str = Field(min_length=1, max_length=64, examples=["request.accept"])
    entity_id: str = Field(min_length=1, max_length=64)
    args: dict[str, Any] = Field(default_factory=dict)
    client_time: datetime | None = None


class PushIn(BaseModel):
    device_id: str = Field(min_length=1, max_length=128)
    ops: list[OpIn] = Field(max_length=MAX_OPS_PER_PUSH)


class OpResultOut(BaseModel):
    op_id: str
    status: Literal["applied", "duplicate", "rejected"]
    code: str | None = None
    message: str | None = None
    original: dict[str, str] | None = None  # for a duplicate: the first attempt's result


class PushOut(Timestamped):
    results: list[OpResultOut]


class ChangeOut(BaseModel):
    entity: str
    id: str
    version: int
    data: dict[str, Any]


class PullOut(Timestamped):
    cursor: str
    has_more: bool
    changes: list[ChangeOut]


@router.post("/push", response_model=PushOut, response_model_exclude_none=True)
def push_ops(body: PushIn, request: Request, principal: CurrentUser, db: DbDep,
             settings: SettingsDep) -> Response:
    state = request.app.state
    now = settings.clock()
    log = ChangeLog()
    with db.write() as session:
        results = push(session, log, state.rules.get(session), principal, body.device_id,
                       [op.model_dump() for op in body.ops], now)
        log.commit_positions(session)
    if log.entries:
        state.notifier.publish(log.departments())
    # encoded straight from the results (PushOut documents the shape): a model per result,
    # validated again on the way out, cost more than the encoding itself
    return Response(content=pydantic_core.to_json(
        {"server_time": now, "results": [r.as_dict() for r in results]}),
        media_type="application/json")


@router.get("/pull", response_model=PullOut,
            responses={409: {"description": "cursor_reset：游标已失效，需要重新全量同步"}})
async def pull(request: Request, principal: CurrentUser, settings: SettingsDep,
               cursor: str = "", limit: int = 100, wait: float = 0) -> Response:
    state = request.app.state
    notifier = state.notifier
    limit = clamp_limit(limit)
    wait = min(max(wait, 0.0), settings.long_poll_max_seconds)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        generation = notifier.generation
        try:
            page = await state.pages.get(principal.departments, cursor, limit)
        except CursorReset:
            raise ApiError(409, "cursor_reset", "同步位置已失效，请重新同步全部数据") from None
        remaining = deadline - loop.time()
        if page.has_changes or remaining <= 0:
            break
        await notifier.wait(principal.departments, generation, remaining)
        cursor = page.cursor
    # encoded once for every pull that shared the page; PullOut documents the shape
    return Response(content=page.body(settings.clock()), media_type="application/json")
