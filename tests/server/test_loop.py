"""The whole loop over HTTP against a running server process (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from datetime import datetime

from tests.support.server import Api, op, register_op, send_op


def test_register_send_accept_reply_with_a_pdf_confirm_and_rate(server):
    bdc, tax, gaj = (Api(server.url).login(n) for n in ("bdc01", "tax01", "gaj01"))
    _, tax_cursor = tax.pull_all()
    _, gaj_cursor = gaj.pull_all()

    # tax01 is waiting on a long-poll when bdc01 sends the request
    answer: dict = {}
    poller = threading.Thread(target=lambda: answer.update(tax.pull(tax_cursor, wait=10)))
    poller.start()
    time.sleep(0.3)  # let the long-poll reach the server: it has to be woken, not spin
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    assert [r["status"] for r in bdc.push(
        register_op(case_id), send_op(case_id, request_id=request_id))] == ["applied"] * 2
    pushed_at = time.monotonic()
    poller.join(timeout=15)
    assert time.monotonic() - pushed_at < 1.0
    request = next(c["data"] for c in answer["changes"] if c["id"] == request_id)
    due_at, sent_at = (datetime.fromisoformat(request[k]) for k in ("due_at", "sent_at"))
    assert request["state"] == "sent" and due_at > sent_at  # computed by the server

    # tax01 accepts and replies with the certificate as a PDF
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + uuid.uuid4().hex.encode() \
        + b"\n%%EOF\n"
    sha = hashlib.sha256(pdf).hexdigest()
    assert tax.put(f"/api/v1/blobs/{sha}", data=pdf).status_code == 201
    results = tax.push(op("request.accept", request_id),
                       op("request.reply", request_id, text="完税证明已开具，见附件",
                          attachments=[sha]))
    assert [r["status"] for r in results] == ["applied", "applied"], results

    # bdc01 pulls the reply, fetches the PDF and confirms with a rating
    seen, _ = bdc.pull_all()
    reply = seen[("request", request_id)]
    assert reply["state"] == "replied" and reply["reply_attachments"] == [sha]
    assert reply["reply_text"] == "完税证明已开具，见附件"
    fetched = bdc.get(f"/api/v1/blobs/{sha}")
    assert fetched.status_code == 200 and fetched.content == pdf
    assert fetched.headers["content-type"].startswith("application/pdf")
    confirmed = bdc.push(op("request.confirm", request_id, rating=5, comment="很及时"))
    assert confirmed[0]["status"] == "applied"
    seen, _ = bdc.pull_all()
    assert seen[("request", request_id)]["rating"] == {"stars": 5, "comment": "很及时",
                                                      "indicators": [], "annulled": False}
    timeline = [d["kind"] for (entity, _), d in sorted(seen.items())
                if entity == "event" and d["entity_id"] == request_id]
    assert {"sent", "accepted", "replied", "confirmed"} <= set(timeline)

    # gaj01 never sees the case, the request or the blob
    gaj_seen, _ = gaj.pull_all(gaj_cursor)
    assert not {case_id, request_id} & {key[1] for key in gaj_seen}
    assert not any(d.get("entity_id") in (case_id, request_id)
                   for (entity, _), d in gaj_seen.items() if entity == "event")
    assert gaj.get(f"/api/v1/blobs/{sha}").status_code == 404
    assert gaj.head(f"/api/v1/blobs/{sha}").status_code == 404
