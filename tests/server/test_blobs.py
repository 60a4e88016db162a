"""Attachment upload and download over HTTP against a real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import uuid
import zipfile

import pytest

from tests.support.server import Api, register_op, send_op

LIMIT = 20 * 1024 * 1024  # the server's default max_blob_bytes


# -- small valid files, unique per call so hashes never collide between tests or runs ------


def pdf() -> bytes:
    return b"%PDF-1.4\n% " + os.urandom(16).hex().encode() + b"\n%%EOF\n"


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(32)


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(32) + b"\xff\xd9"


def ofd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        archive.writestr("Doc_0/Document.xml", os.urandom(16).hex())
    return buffer.getvalue()


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def url(digest: str) -> str:
    return f"/api/v1/blobs/{digest}"


def upload(api: Api, body: bytes, **kwargs) -> str:
    r = api.put(url(sha(body)), data=body, **kwargs)
    assert r.status_code in (200, 201), r.text
    return sha(body)


def error_code(response) -> str:
    return response.json()["error"]["code"]


# -- upload -------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "mime"), [
    (pdf, "application/pdf"), (png, "image/png"), (jpeg, "image/jpeg"),
    (ofd, "application/ofd"),
])
def test_upload_is_201_then_200_and_idempotent(bdc, make, mime):
    body = make()
    first = bdc.put(url(sha(body)), data=body)
    assert first.status_code == 201, first.text
    answer = first.json()
    assert (answer["sha256"], answer["size"], answer["mime"]) == (sha(body), len(body), mime)
    assert answer["server_time"]
    again = bdc.put(url(sha(body)), data=body)
    assert again.status_code == 200
    assert {k: again.json()[k] for k in ("sha256", "size", "mime")} == \
        {k: answer[k] for k in ("sha256", "size", "mime")}


def test_the_content_type_header_is_not_trusted(bdc):
    body = png()
    r = bdc.put(url(sha(body)), data=body, headers={"Content-Type": "application/pdf"})
    assert r.status_code == 201 and r.json()["mime"] == "image/png"
    got = bdc.get(url(sha(body)))
    assert got.headers["content-type"] == "image/png"


def test_a_body_that_does_not_match_its_hash_is_refused_and_not_stored(bdc):
    body, claimed = pdf(), sha(pdf())
    r = bdc.put(url(claimed), data=body)
    assert r.status_code == 400 and error_code(r) == "hash_mismatch"
    assert r.json()["error"]["message"]
    assert bdc.head(url(claimed)).status_code == 404
    assert bdc.head(url(sha(body))).status_code == 404


@pytest.mark.parametrize("body", [
    b"MZ\x90\x00" + os.urandom(64),  # a Windows executable
    "纯文本，不是附件".encode(),
    b"PK\x03\x04" + os.urandom(64),  # looks like a ZIP, is not one
    b"<html><body>%PDF-</body></html>",
], ids=["exe", "text", "broken-zip", "pdf-magic-not-at-start"])
def test_unsupported_content_is_415(bdc, body):
    r = bdc.put(url(sha(body)), data=body, headers={"Content-Type": "application/pdf"})
    assert r.status_code == 415 and error_code(r) == "unsupported_type"
    assert "PDF、JPG、PNG、OFD" in r.json()["error"]["message"]


def test_a_zip_without_ofd_xml_at_its_root_is_415(bdc):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Doc_0/OFD.xml", os.urandom(8).hex())
    body = buffer.getvalue()
    r = bdc.put(url(sha(body)), data=body)
    assert r.status_code == 415 and error_code(r) == "unsupported_type"


def test_an_empty_body_is_refused(bdc):
    r = bdc.put(url(sha(b"")), data=b"")
    assert r.status_code == 400 and error_code(r) == "empty"


def test_a_body_over_the_limit_is_413(bdc):
    body = b"%PDF-" + b"\0" * (LIMIT + 1 - 5)
    r = bdc.put(url(sha(body)), data=body)
    assert r.status_code == 413 and error_code(r) == "too_large"
    assert "20 MB" in r.json()["error"]["message"]
    assert bdc.head(url(sha(body))).status_code == 404


def test_a_chunked_body_is_cut_off_at_the_limit(bdc):
    """Without a Content-Length the server counts as it reads and stops at the limit."""

    def chunks():
        yield b"%PDF-"
        for _ in range(LIMIT // (1 << 20) + 1):
            yield bytes(1 << 20)

    r = bdc.put(url("0" * 64), data=chunks())
    assert r.status_code == 413 and error_code(r) == "too_large"


def test_refused_uploads_leave_no_files_behind(server, bdc):
    for body, claimed in ((pdf(), sha(b"other")), (b"plain text", None)):
        bdc.put(url(claimed or sha(body)), data=body)
    temporary = server.data_dir / "blobs" / "tmp"
    assert not temporary.exists() or list(temporary.iterdir()) == []


@pytest.mark.parametrize("digest", [
    "abc", "A" * 64, "g" * 64, "0" * 63, "0" * 65, sha(b"x").upper(),
])
def test_a_malformed_hash_in_the_path_is_a_4xx(bdc, digest):
    body = pdf()
    for response in (bdc.put(url(digest), data=body), bdc.get(url(digest))):
        assert 400 <= response.status_code < 500
        assert response.json()["error"]["code"] in ("invalid_request", "invalid_hash")


def test_blob_calls_without_a_token_are_401(server, bdc):
    digest = upload(bdc, pdf())
    anonymous = Api(server.url)
    body = pdf()
    put = anonymous.put(url(sha(body)), data=body)
    assert put.status_code == 401 and error_code(put) == "unauthorized"
    get = anonymous.get(url(digest))
    assert get.status_code == 401 and error_code(get) == "unauthorized"
    assert anonymous.head(url(digest)).status_code == 401
    assert bdc.head(url(sha(body))).status_code == 404  # the anonymous upload stored nothing


# -- download and who may see it ----------------------------------------------------------


def test_a_receiving_department_can_download_what_a_case_references(bdc, tax, gaj):
    body = pdf()
    digest = upload(bdc, body)
    case_id = str(uuid.uuid4())
    results = bdc.push(register_op(case_id, attachments=[digest]), send_op(case_id))
    assert [r["status"] for r in results] == ["applied", "applied"], results

    got = tax.get(url(digest))
    assert got.status_code == 200
    assert got.content == body
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-length"] == str(len(body))
    assert got.headers["etag"].strip('"') == digest
    assert "immutable" in got.headers["cache-control"]
    assert "private" in got.headers["cache-control"]
    head = tax.head(url(digest))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(body))
    assert head.headers["etag"] == got.headers["etag"]

    # another department: as if it did not exist
    assert gaj.head(url(digest)).status_code == 404
    refused = gaj.get(url(digest))
    assert refused.status_code == 404 and error_code(refused) == "not_found"


def test_an_unreferenced_blob_is_only_for_its_uploader(bdc, gaj):
    body = png()
    digest = upload(gaj, body)
    assert bdc.head(url(digest)).status_code == 404
    assert bdc.get(url(digest)).status_code == 404
    mine = gaj.get(url(digest))
    assert mine.status_code == 200 and mine.content == body


def test_an_unknown_blob_is_404(bdc):
    unknown = sha(os.urandom(32))
    assert bdc.head(url(unknown)).status_code == 404
    r = bdc.get(url(unknown))
    assert r.status_code == 404 and error_code(r) == "not_found"


def test_an_op_referencing_a_blob_never_uploaded_is_rejected(bdc):
    result = bdc.push(register_op(attachments=[sha(os.urandom(32))]))[0]
    assert (result["status"], result["code"]) == ("rejected", "missing_blob")
    assert result["message"]


# -- concurrency --------------------------------------------------------------------------


def test_concurrent_uploads_of_one_blob_store_it_once_and_intact(server, bdc):
    body = b"%PDF-1.7\n" + os.urandom(2 * 1024 * 1024) + b"\n%%EOF\n"
    digest = sha(body)
    clients = [Api(server.url).login("bdc01") for _ in range(4)]
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def put(api: Api) -> None:
        start.wait()
        statuses.append(api.put(url(digest), data=body).status_code)

    threads = [threading.Thread(target=put, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 200, 200, 201]
    assert bdc.get(url(digest)).content == body
    stored = list((server.data_dir / "blobs").rglob(digest))
    assert len(stored) == 1 and stored[0].read_bytes() == body


# -- contract -----------------------------------------------------------------------------


def test_the_endpoints_are_documented_in_openapi(server):
    spec = Api(server.url).get("/openapi.json").json()
    operations = spec["paths"]["/api/v1/blobs/{sha256}"]
    assert {"put", "get", "head"} <= operations.keys()
    body = operations["put"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/octet-stream"]["schema"]["format"] == "binary"
    assert {"200", "201", "413", "415"} <= operations["put"]["responses"].keys()
    assert "404" in operations["get"]["responses"]


def test_a_second_uploader_of_the_same_bytes_may_use_them_too(bdc, gaj):
    body = pdf()
    digest = upload(gaj, body)
    assert bdc.head(url(digest)).status_code == 404  # not yet: bdc has not shown the bytes
    assert bdc.put(url(digest), data=body).status_code == 200
    assert bdc.get(url(digest)).content == body
    case_id = str(uuid.uuid4())
    assert bdc.push(register_op(case_id, attachments=[digest]))[0]["status"] == "applied"
