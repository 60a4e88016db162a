"""Attachment names: the uploader names the file, and everyone who sees a case or request
naming it learns the name, size and type from the pull (the ``attachment`` entity), before
downloading it. Against a real server, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import uuid

import pytest

from tests.support.server import Api, op, register_op, send_op


def pdf() -> bytes:
    return b"%PDF-1.4\n% " + os.urandom(16).hex().encode() + b"\n%%EOF\n"


def upload(api: Api, body: bytes, name: str | None = None) -> str:
    sha = hashlib.sha256(body).hexdigest()
    params = {"name": name} if name is not None else {}
    r = api.put(f"/api/v1/blobs/{sha}", data=body, params=params)
    assert r.status_code in (200, 201), r.text
    return sha


def case_sent_with(api: Api, sha: str, to: str = "tax") -> tuple[str, str]:
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = api.push(register_op(case_id),
                       send_op(case_id, to=to, request_id=request_id, attachments=[sha]))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    return case_id, request_id


def attachment(api: Api, sha: str) -> dict | None:
    seen, _ = api.pull_all()
    return seen.get(("attachment", sha))


@pytest.fixture(scope="module")
def bdc02(server):
    return Api(server.url).login("bdc02")


def test_the_receiver_learns_a_chinese_name_size_and_type_before_downloading(bdc, tax, gaj):
    body = pdf()
    sha = upload(bdc, body, "完税证明.pdf")
    case_sent_with(bdc, sha)
    assert attachment(tax, sha) == {"sha256": sha, "file_name": "完税证明.pdf",
                                    "size": len(body), "mime": "application/pdf"}
    assert attachment(bdc, sha)["file_name"] == "完税证明.pdf"
    assert attachment(gaj, sha) is None  # 公安局 sees no entity naming it


def test_a_reply_attachment_reaches_the_requester_with_its_name(bdc, tax):
    _, request_id = case_sent_with(bdc, upload(bdc, pdf(), "申请表.pdf"))
    _, cursor = bdc.pull_all()
    sha = upload(tax, pdf(), "契税完税证明（2026）.pdf")
    assert [r["status"] for r in tax.push(
        op("request.accept", request_id),
        op("request.reply", request_id, text="已开具", attachments=[sha]))] == ["applied"] * 2
    page, _ = bdc.pull_all(cursor)
    assert page[("attachment", sha)]["file_name"] == "契税完税证明（2026）.pdf"


def test_a_department_a_request_is_forwarded_to_learns_its_attachments(bdc, tax, server):
    sha = upload(bdc, pdf(), "购房合同.pdf")
    _, request_id = case_sent_with(bdc, sha)
    zjj = Api(server.url).login("zjj01")
    assert attachment(zjj, sha) is None
    assert tax.push(op("request.forward", request_id, to_department="zjj",
                       reason="应由住建局办理"))[0]["status"] == "applied"
    assert attachment(zjj, sha)["file_name"] == "购房合同.pdf"


def test_the_name_is_the_one_the_referencing_user_gave(bdc, bdc02, tax):
    body = pdf()
    upload(bdc02, body, "a-别人的名字.pdf")
    sha = upload(bdc, body, "z-我的名字.pdf")
    case_sent_with(bdc, sha)
    assert attachment(tax, sha)["file_name"] == "z-我的名字.pdf"


def test_without_its_users_name_another_uploaders_is_used_then_one_from_the_hash(
        bdc, bdc02, tax):
    body = pdf()
    upload(bdc02, body, "扫描件.pdf")
    sha = upload(bdc, body)  # an older client: no name
    case_sent_with(bdc, sha)
    assert attachment(tax, sha)["file_name"] == "扫描件.pdf"
    nameless = upload(bdc, pdf())
    case_sent_with(bdc, nameless)
    assert attachment(tax, nameless)["file_name"] == f"附件-{nameless[:8]}"


def test_uploading_again_without_a_name_keeps_the_name(bdc, tax):
    body = pdf()
    upload(bdc, body, "身份证复印件.pdf")
    sha = upload(bdc, body)
    case_sent_with(bdc, sha)
    assert attachment(tax, sha)["file_name"] == "身份证复印件.pdf"


@pytest.mark.parametrize("name", ["../etc/passwd", "C:\\scans\\a.pdf", "a\x00.pdf", "..",
                                  " . ", "x" * 256, ""])
def test_a_name_that_is_not_a_plain_file_name_is_refused(bdc, name):
    body = pdf()
    r = bdc.put(f"/api/v1/blobs/{hashlib.sha256(body).hexdigest()}", data=body,
                params={"name": name})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_request"
    assert "name" in r.json()["error"]["message"]


def test_a_name_of_255_chinese_characters_is_accepted(bdc):
    body = pdf()
    sha = upload(bdc, body, "证" * 251 + ".pdf")
    assert sha == hashlib.sha256(body).hexdigest()
