"""The client side of sync: local writes with their outbox op, push, pull, conflicts."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import func, select

from app import local
from app.detail import request_view
from app.domain.errors import Rejected
from app.local import explain_conflict
from app.services import AttachmentError, blob_path
from app.store import models as m
from tests.support.server import VALID_ID

INTAKE = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
              citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
              category="general", description="二手房过户")


def count(client, model) -> int:
    with client.store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def row(client, model, key):
    with client.store.session() as s:
        return s.get(model, key)


def test_a_local_action_writes_its_effect_and_its_op_in_one_go(counter):
    bdc = counter("bdc01")
    bdc.engine.sync_once()  # reference data: departments, catalogue, calendar
    case_id = bdc.desk.register_case(**INTAKE)
    request_id = bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                                       subject="完税证明", needed="契税完税证明")
    case, request = row(bdc, m.Case, case_id), row(bdc, m.CollabRequest, request_id)
    assert case.state == "in_progress" and case.server_data is None
    assert request.state == "sent" and request.due_at is not None
    assert count(bdc, m.OutboxOp) == 2
    with bdc.store.session() as s:
        pending = s.scalars(select(m.Event).where(m.Event.pending.is_(True))).all()
    assert {e.kind for e in pending} == {"registered", "sent", "collaboration_started"}


def test_an_impossible_action_is_refused_at_once_and_writes_nothing(counter):
    bdc = counter("bdc01")
    bdc.engine.sync_once()
    case_id = bdc.desk.register_case(**INTAKE)
    request_id = bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                                       subject="完税证明", needed="契税")
    with pytest.raises(Rejected) as err:
        bdc.desk.accept(request_id)  # only the tax department may accept
    assert "只有税务局" in err.value.message
    with pytest.raises(Rejected):
        bdc.desk.register_case(**{**INTAKE, "citizen_id_number": "110105194912310021"})
    assert count(bdc, m.OutboxOp) == 2


def test_a_request_travels_between_two_counters(counter):
    bdc, tax = counter("bdc01"), counter("tax01")
    bdc.engine.sync_once()
    case_id = bdc.desk.register_case(**INTAKE)
    request_id = bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                                       subject="完税证明", needed="契税完税证明")
    summary = bdc.engine.sync_once()
    assert summary.ok and summary.pushed == 2 and summary.rejected == 0
    assert count(bdc, m.OutboxOp) == 0
    confirmed = row(bdc, m.CollabRequest, request_id)
    assert confirmed.server_data is not None and confirmed.server_data == confirmed.data

    assert tax.engine.sync_once().ok
    received = row(tax, m.CollabRequest, request_id)
    assert received.state == "sent" and row(tax, m.Case, case_id).citizen_name == "张三"
    assert received.search_key.endswith("002x 二手房转移登记")

    tax.desk.accept(request_id)
    tax.desk.reply(request_id, "完税证明已开具")
    assert tax.engine.sync_once().ok
    assert bdc.engine.sync_once().ok
    assert row(bdc, m.CollabRequest, request_id).state == "replied"
    with bdc.store.session() as s:
        kinds = {e.kind for e in s.scalars(select(m.Event).where(
            m.Event.entity_id == request_id))}
        assert not s.scalar(select(func.count()).select_from(m.Event).where(
            m.Event.pending.is_(True)))
    assert {"sent", "accepted", "replied"} <= kinds


@pytest.mark.faults
def test_two_offline_counters_acting_on_one_request_end_with_one_conflict(counter):
    bdc, tax, tax_lead = counter("bdc01"), counter("tax01"), counter("tax-lead")
    bdc.engine.sync_once()
    case_id = bdc.desk.register_case(**INTAKE)
    request_id = bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                                       subject="完税证明", needed="契税")
    bdc.engine.sync_once()
    tax.engine.sync_once()
    tax.desk.accept(request_id)
    tax.engine.sync_once()
    tax_lead.engine.sync_once()  # both counters now see it accepted; then both go offline
    tax.desk.reply(request_id, "完税证明已开具")
    tax_lead.desk.send_back(request_id, "缺少买卖合同")
    assert row(tax_lead, m.CollabRequest, request_id).state == "sent_back"  # optimistic

    assert tax.engine.sync_once().rejected == 0  # the reply reaches the server first
    outcome = tax_lead.engine.sync_once()
    assert outcome.ok and outcome.rejected == 1

    # the loser sees the server's truth and a plain explanation, nothing is lost silently
    assert row(tax_lead, m.CollabRequest, request_id).state == "replied"
    assert count(tax_lead, m.OutboxOp) == 0
    with tax_lead.store.session() as s:
        conflict = s.scalars(select(m.Conflict)).one()
        assert conflict.type == "request.send_back" and conflict.code == "invalid_state"
        assert conflict.server_state["state"] == "replied"
        words = explain_conflict(s, conflict)
    assert "现在：已回复，最近由 税务局 李婷 回复" in words  # tax01 is 李婷
    assert words.endswith("您的「退回补正」未生效。")
    # and both attempts are on the timeline, for everyone involved
    assert bdc.engine.sync_once().ok
    with bdc.store.session() as s:
        kinds = [e.kind for e in s.scalars(select(m.Event).where(
            m.Event.entity_id == request_id).order_by(m.Event.at))]
    assert "replied" in kinds and "rejected_attempt" in kinds


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def test_attachments_go_up_before_their_op_and_come_down_checked(counter, tmp_path):
    bdc, tax = counter("bdc01"), counter("tax01")
    bdc.engine.sync_once()
    scan = tmp_path / "合同.pdf"
    scan.write_bytes(PDF + uuid.uuid4().hex.encode())
    ref = bdc.desk.add_attachment(scan)
    assert ref.mime == "application/pdf" and ref.file_name == "合同.pdf"
    case_id = bdc.desk.register_case(**INTAKE, attachments=(ref.sha256,))
    bdc.desk.send_request(case_id, to_department="tax", role="assisting", subject="完税证明",
                          needed="契税")
    assert bdc.engine.sync_once().rejected == 0  # the server had the blob before the op
    tax.engine.sync_once()
    path = tax.engine.fetch_attachment(ref.sha256)
    assert path.read_bytes() == scan.read_bytes()
    assert row(tax, m.Attachment, ref.sha256).local_path == str(path)


def test_the_receiver_sees_the_senders_file_name_size_and_type_before_downloading(
        counter, tmp_path):
    bdc, tax = counter("bdc01"), counter("tax01")
    bdc.engine.sync_once()
    scan = tmp_path / "完税证明.pdf"
    scan.write_bytes(PDF + uuid.uuid4().hex.encode())
    ref = bdc.desk.add_attachment(scan)
    case_id = bdc.desk.register_case(**INTAKE)
    request_id = bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                                       subject="完税证明", needed="契税",
                                       attachments=(ref.sha256,))
    assert bdc.engine.sync_once().rejected == 0
    tax.engine.sync_once()
    cached = row(tax, m.Attachment, ref.sha256)
    assert (cached.file_name, cached.size, cached.mime, cached.local_path) == (
        "完税证明.pdf", scan.stat().st_size, "application/pdf", None)
    view = request_view(tax.store, request_id, tax.actor, tax.clock.now(), "pc-tax")
    [info] = view.request_attachments
    assert (info.file_name, info.size, info.mime, info.local_path) == (
        "完税证明.pdf", scan.stat().st_size, "application/pdf", None)
    path = tax.engine.fetch_attachment(ref.sha256)
    assert row(tax, m.Attachment, ref.sha256).file_name == "完税证明.pdf"
    assert row(tax, m.Attachment, ref.sha256).local_path == str(path)
    sender = row(bdc, m.Attachment, ref.sha256)  # its own change came back: nothing moved
    assert (sender.file_name, sender.local_path) == (
        "完税证明.pdf", str(blob_path(bdc.user_dir / "blobs", ref.sha256)))


def test_a_name_this_pcs_user_gave_is_kept_and_a_hash_name_gives_way(counter, tmp_path):
    bdc, tax = counter("bdc01"), counter("tax01")
    bdc.engine.sync_once()
    tax.engine.sync_once()
    content = PDF + uuid.uuid4().hex.encode()
    (tmp_path / "房产证.pdf").write_bytes(content)
    (tmp_path / "我的扫描.pdf").write_bytes(content)
    ref = bdc.desk.add_attachment(tmp_path / "房产证.pdf")
    mine = tax.desk.add_attachment(tmp_path / "我的扫描.pdf")  # the same file, named here
    case_id = bdc.desk.register_case(**INTAKE, attachments=(ref.sha256,))
    bdc.desk.send_request(case_id, to_department="tax", role="assisting", subject="完税证明",
                          needed="契税")
    bdc.engine.sync_once()
    tax.engine.sync_once()
    assert row(tax, m.Attachment, mine.sha256).file_name == "我的扫描.pdf"

    other = PDF + uuid.uuid4().hex.encode()
    (tmp_path / "评估报告.pdf").write_bytes(other)
    ref = bdc.desk.add_attachment(tmp_path / "评估报告.pdf")
    case_id = bdc.desk.register_case(**INTAKE, attachments=(ref.sha256,))
    bdc.desk.send_request(case_id, to_department="tax", role="assisting", subject="评估",
                          needed="评估报告")
    bdc.engine.sync_once()
    with tax.store.session() as s:  # downloaded before the name came: the engine's name
        s.merge(m.Attachment(sha256=ref.sha256, file_name=local.unnamed(ref.sha256),
                             size=len(other), mime="application/pdf", local_path="elsewhere"))
    tax.engine.sync_once()
    named = row(tax, m.Attachment, ref.sha256)
    assert (named.file_name, named.local_path) == ("评估报告.pdf", "elsewhere")


def test_a_file_the_server_would_refuse_is_refused_at_the_counter(counter, tmp_path):
    bdc = counter("bdc01")
    note = tmp_path / "note.txt"
    note.write_text("not a scan")
    with pytest.raises(AttachmentError) as err:
        bdc.desk.add_attachment(note)
    assert "PDF、JPG、PNG、OFD" in str(err.value)


def test_a_cursor_reset_replaces_the_mirror_and_keeps_the_unsent_outbox(counter):
    bdc = counter("bdc01")
    bdc.engine.sync_once()
    synced_case = bdc.desk.register_case(**INTAKE)
    bdc.engine.sync_once()
    with bdc.store.session() as s:
        s.merge(m.SyncState(key="cursor", value="another-database:123"))
    unsent = bdc.desk.register_case(**INTAKE)  # made offline, not pushed yet
    bdc.engine._pull_until_current()  # the server answers 409 cursor_reset
    assert row(bdc, m.Case, synced_case).server_data is not None
    assert row(bdc, m.Case, unsent).server_data is None  # still here, still pending
    assert count(bdc, m.OutboxOp) == 1
    assert not row(bdc, m.SyncState, "cursor").value.startswith("another-database")
    assert bdc.engine.sync_once().ok and count(bdc, m.OutboxOp) == 0


def test_a_local_write_is_pushed_at_once_while_a_long_poll_waits(counter):
    bdc = counter("bdc01")
    bdc.engine.start()
    deadline = time.monotonic() + 15
    while bdc.engine.status().link != "online" and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for the first sync to finish
    started = time.monotonic()
    bdc.desk.register_case(**INTAKE)
    while count(bdc, m.OutboxOp) and time.monotonic() - started < 10:
        time.sleep(0.02)
    assert count(bdc, m.OutboxOp) == 0
    assert time.monotonic() - started < 2.0  # nudged, not left to the 30 s retry timer


def test_clerks_sharing_a_pc_keep_their_own_outbox(hub, tmp_path):
    from sync.client import Client
    from tests.support.server import DEMO_PASSWORD

    pc = tmp_path / "shared-pc"
    first = Client.login(pc, hub.url, "bdc01", DEMO_PASSWORD)
    first.engine.sync_once()
    first.desk.register_case(**INTAKE)  # not pushed before the shift ends
    first.close()
    second = Client.login(pc, hub.url, "bdc-lead", DEMO_PASSWORD)
    try:
        assert second.engine.sync_once().pushed == 0  # bdc01's op is not pushed as bdc-lead
        assert count(second, m.OutboxOp) == 0
    finally:
        second.close()
    again = Client.login(pc, hub.url, "bdc01", DEMO_PASSWORD)
    try:
        assert count(again, m.OutboxOp) == 1
        assert again.engine.sync_once().pushed == 1
    finally:
        again.close()
