"""受理登记 and 受理回执 against a real server process (offscreen widgets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

import ui.intake
import ui.receipt
from app import intake
from app.domain.enums import Category
from app.store import models as m
from tests.support.server import VALID_ID
from ui.intake import IntakeForm
from ui.receipt import ReceiptDialog, print_to_pdf, render_receipt_html

MATTER = "bdc-transfer-secondhand"  # 二手房转移登记, with tax and zjj as 协办
BAD_ID = VALID_ID[:-1] + "3"  # right length and birth date, wrong check character
PHONE = "13800138000"


@pytest.fixture
def clerk(session):
    return session("bdc01")


@pytest.fixture
def form(clerk, qtbot):
    widget = IntakeForm(clerk)
    qtbot.addWidget(widget)
    return widget


def fill(form: IntakeForm, qtbot, *, id_number: str = VALID_ID) -> None:
    form.name.insert("张三")  # QTest types ASCII only; an input method inserts Chinese
    qtbot.keyClicks(form.id_number, id_number)
    qtbot.keyClicks(form.phone, PHONE)
    form.select_matter(MATTER)
    form.material_boxes[0].setChecked(True)
    form.material_boxes[1].setChecked(True)
    form.description.setPlainText("买方首套房")


def outbox(ctx) -> list[m.OutboxOp]:
    with ctx.store.read() as s:
        return list(s.scalars(select(m.OutboxOp).order_by(m.OutboxOp.seq)))


def cases(ctx) -> list[m.Case]:
    with ctx.store.read() as s:
        return list(s.scalars(select(m.Case)))


def small_pdf(tmp_path: Path, name: str = "身份证扫描件.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return path


def test_catalogue_puts_own_department_first_and_carries_collaborations(clerk):
    choices = intake.catalogue(clerk.store, "bdc")
    assert choices[0].department == "bdc"
    first_other = next(i for i, c in enumerate(choices) if c.department != "bdc")
    assert all(c.department != "bdc" for c in choices[first_other:])
    transfer = next(c for c in choices if c.code == MATTER)
    assert transfer.name == "二手房转移登记"
    assert transfer.department_name == "不动产登记中心"
    assert transfer.default_category is Category.GENERAL
    assert "完税证明" in transfer.materials
    assert {c.department for c in transfer.collaborations} == {"tax", "zjj"}
    assert ("tax", "税务局") in intake.departments(clerk.store)


def test_expected_completion_follows_the_category(clerk):
    now = clerk.now()
    general = intake.expected_completion(clerk.store, Category.GENERAL, now)
    simple = intake.expected_completion(clerk.store, Category.SIMPLE, now)
    assert general is not None and simple is not None and now < simple < general
    assert intake.expected_completion(clerk.store, Category.COMPLEX, now) is None
    assert "5个工作日" in intake.completion_text(clerk.store, Category.GENERAL, now)
    assert intake.completion_text(clerk.store, Category.COMPLEX, now) == "复杂件：会商后确定"


def test_invalid_id_is_shown_beside_the_field_and_nothing_is_registered(form, clerk, qtbot):
    fill(form, qtbot, id_number=BAD_ID)
    assert "校验位不正确" in form.id_message.text()  # shown as soon as 18 characters are in
    assert form.id_message.property("role") == "error"

    assert form.submit() is None

    assert "校验位不正确" in form.id_message.text()
    assert not form.id_message.isHidden()
    assert not form.top_error.isHidden()
    assert outbox(clerk) == [] and cases(clerk) == []
    # nothing typed is lost
    assert form.name.text() == "张三"
    assert form.id_number.text() == BAD_ID
    assert form.phone.text() == PHONE
    assert form.current_matter().code == MATTER
    assert form.received_materials() == list(form.current_matter().materials[:2])
    assert form.description.toPlainText() == "买方首套房"


def test_id_is_not_checked_while_still_typing(form, qtbot):
    qtbot.keyClicks(form.id_number, VALID_ID[:10])
    assert form.id_message.isHidden()
    qtbot.keyClicks(form.id_number, VALID_ID[10:])
    assert form.id_message.text() == "✓ 有效"
    assert form.id_message.property("role") == "ok"


def test_every_problem_is_shown_at_once(form, clerk, qtbot):
    qtbot.keyClicks(form.phone, "12345")
    assert form.submit() is None
    assert form.name_error.text() == "请填写申请人姓名"
    assert form.id_message.text() == "请填写身份证号码"
    assert "手机号" in form.phone_message.text()
    assert form.matter_error.text() == "请选择办理事项"
    assert outbox(clerk) == []


def test_valid_form_registers_and_syncs(form, clerk, qtbot):
    fill(form, qtbot)
    with qtbot.waitSignal(form.registered, timeout=5000) as signal:
        form.submit()
    case_id = signal.args[0]

    [op] = outbox(clerk)
    assert op.type == "case.register" and op.entity_id == case_id
    assert op.args["citizen_id_number"] == VALID_ID
    assert op.args["matter_code"] == MATTER and op.args["category"] == "general"
    assert op.args["channel"] == "window"
    # the form and the draft are cleared; the notice names the case number
    assert form.name.text() == "" and form.id_number.text() == ""
    assert form.current_matter() is None and form.material_boxes == []
    assert intake.load_draft(clerk.store) is None
    [case] = cases(clerk)
    assert case.number in form.notice.text()
    assert not form.receipt_button.isHidden()

    assert clerk.client.engine.sync_once().ok
    with clerk.store.read() as s:
        row = s.get(m.Case, case_id)
        assert row.server_data is not None
        assert row.server_data["number"] == case.number
        assert s.scalar(select(m.OutboxOp)) is None


def test_register_and_collaborate_with_a_lead_tax_request(form, clerk, qtbot):
    fill(form, qtbot)
    # prefilled from the catalogue: tax and zjj assisting
    assert [r.value()["department"] for r in form.assist_rows] == ["tax", "zjj"]
    form.set_lead("tax")  # tax moves up to lead, with what it should provide
    assert form.lead() == {"department": "tax", "needed": "完税证明（契税、增值税及附加）"}
    assert [r.value()["department"] for r in form.assist_rows] == ["zjj"]

    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    form.description.setFocus()
    qtbot.waitUntil(form.description.hasFocus)
    with qtbot.waitSignal(form.registered, timeout=5000) as signal:  # Ctrl+Enter
        qtbot.keyClick(form.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    case_id = signal.args[0]

    ops = outbox(clerk)
    assert [op.type for op in ops] == ["case.register", "request.send", "request.send"]
    assert ops[1].args["to_department"] == "tax" and ops[1].args["role"] == "lead"
    assert ops[1].args["case_id"] == case_id
    assert ops[2].args["to_department"] == "zjj" and ops[2].args["role"] == "assisting"
    assert "税务局（主办）" in form.notice.text()

    assert clerk.client.engine.sync_once().ok
    with clerk.store.read() as s:
        case = s.get(m.Case, case_id)
        assert case.server_data is not None
        assert case.server_data["lead_department"] == "tax"
        requests = s.scalars(select(m.CollabRequest)
                             .where(m.CollabRequest.case_id == case_id)).all()
        assert {(r.to_department, r.role) for r in requests} == {("tax", "lead"),
                                                                 ("zjj", "assisting")}
        assert all(r.server_data is not None for r in requests)


def test_collaboration_needs_a_department(form, clerk, qtbot):
    fill(form, qtbot)
    for row in list(form.assist_rows):
        row.remove.click()
    assert form.submit_and_collaborate() is None
    assert "至少选择一个" in form.collab_error.text()
    assert outbox(clerk) == []
    assert form.name.text() == "张三"


def test_draft_survives_a_crash(form, clerk, qtbot):
    fill(form, qtbot)
    form.set_category(Category.URGENT)
    form.set_lead("tax")
    qtbot.waitUntil(lambda: (intake.load_draft(clerk.store) or {}).get("category") == "urgent",
                    timeout=3000)
    qtbot.waitUntil(lambda: (intake.load_draft(clerk.store) or {}).get("lead") is not None,
                    timeout=3000)
    draft = intake.load_draft(clerk.store)
    assert draft["citizen_id_number"] == VALID_ID

    again = IntakeForm(clerk)  # the old one is gone with the crashed process
    qtbot.addWidget(again)
    assert again.name.text() == "张三"
    assert again.id_number.text() == VALID_ID
    assert again.phone.text() == PHONE
    assert again.current_matter().code == MATTER
    assert again.received_materials() == list(again.current_matter().materials[:2])
    assert again.category() is Category.URGENT  # the clerk's choice, not the matter's default
    assert again.description.toPlainText() == "买方首套房"
    assert again.lead()["department"] == "tax"
    assert [r.value()["department"] for r in again.assist_rows] == ["zjj"]
    assert "已恢复上次未提交的登记" in again.notice.text()
    assert not again.notice.isHidden()


def test_draft_is_in_the_encrypted_cache_not_a_file(form, clerk, qtbot):
    fill(form, qtbot)
    form.save_draft_now()
    with clerk.store.read() as s:
        assert VALID_ID in s.get(m.SyncState, intake.DRAFT_KEY).value
    leaked = [p for p in clerk.client.user_dir.rglob("*")
              if p.is_file() and VALID_ID.encode() in p.read_bytes()]
    assert leaked == []


def test_attachments_from_the_chooser_and_a_refused_text_file(form, clerk, qtbot, tmp_path,
                                                              monkeypatch):
    pdf = small_pdf(tmp_path)
    text = tmp_path / "说明.txt"
    text.write_text("不是扫描件", encoding="utf-8")
    monkeypatch.setattr(ui.intake, "choose_files", lambda parent: [pdf, text])

    qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)

    assert [a.file_name for a in form.attachments] == [pdf.name]
    assert form.attachment_list.count() == 1
    assert pdf.name in form.attachment_list.item(0).text()
    assert "说明.txt" in form.attachment_error.text()
    assert "格式不受支持" in form.attachment_error.text()
    assert not form.attachment_error.isHidden()

    fill(form, qtbot)
    with qtbot.waitSignal(form.registered, timeout=5000):
        form.submit()
    [op] = outbox(clerk)
    assert op.args["attachments"] == [form_sha(clerk, pdf.name)]
    assert clerk.client.engine.sync_once().ok
    with clerk.store.read() as s:
        assert s.get(m.Case, op.entity_id).server_data["attachments"] == op.args["attachments"]


def form_sha(ctx, file_name: str) -> str:
    with ctx.store.read() as s:
        return s.scalar(select(m.Attachment.sha256).where(m.Attachment.file_name == file_name))


def drop_files(target, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = QPointF(5, 5)
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)


def test_files_dropped_on_the_form_are_attached(form, qtbot, tmp_path):
    form.show()
    qtbot.waitExposed(form)
    contract = small_pdf(tmp_path, "合同.pdf")
    drop_files(form.attachment_list.viewport(), [contract])
    assert [a.file_name for a in form.attachments] == ["合同.pdf"]
    # dropped on a text box, a file is attached too, not pasted as its path
    scan = tmp_path / "户口本.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    drop_files(form.description.viewport(), [scan])
    assert [a.file_name for a in form.attachments] == ["合同.pdf", "户口本.png"]
    assert form.description.toPlainText() == ""


def test_receipt_lists_case_materials_clerk_and_date_and_prints_to_pdf(form, clerk, qtbot,
                                                                      tmp_path, monkeypatch):
    fill(form, qtbot)
    with qtbot.waitSignal(form.registered, timeout=5000) as signal:
        form.submit()
    case_id = signal.args[0]

    receipt = intake.receipt_data(clerk.store, case_id, clerk.actor, clerk.now())
    materials = intake.catalogue(clerk.store, "bdc")
    transfer = next(c for c in materials if c.code == MATTER)
    assert receipt.received == transfer.materials[:2]
    assert receipt.missing == transfer.materials[2:]
    assert receipt.clerk_name == "陈晓燕"
    assert "不动产登记窗口" in receipt.window_name
    assert receipt.due_at is not None and receipt.working_days == 5
    assert receipt.citizen_id_masked == "110***********002X"

    for width in ("a4", "narrow"):
        html = render_receipt_html(receipt, width)
        assert receipt.number in html
        assert "二手房转移登记" in html
        assert "完税证明" in html and "尚需补交材料（5件）" in html
        assert "陈晓燕" in html
        assert f"{receipt.due_at.month}月{receipt.due_at.day}日" in html
        assert "5个工作日" in html
        assert "12345" in html
        assert VALID_ID not in html  # the ID is masked on paper too

        pdf = print_to_pdf(receipt, tmp_path / f"回执-{width}.pdf", width)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + \
            data.count(b"/Type /Page>") >= 1

    dialog = ReceiptDialog(receipt)
    qtbot.addWidget(dialog)
    assert receipt.number in dialog.preview.toPlainText()
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(ui.receipt, "choose_pdf_path", lambda parent, suggested: target)
    assert dialog.save_pdf() == target
    assert target.read_bytes().startswith(b"%PDF")
    asked = []
    monkeypatch.setattr(ui.receipt, "ask_printer",
                        lambda parent, printer: asked.append(printer) or False)
    assert dialog.print_() is False and len(asked) == 1


def test_a_refusal_from_the_desk_is_shown_beside_its_field(form, clerk, qtbot, monkeypatch):
    from app.domain.errors import invalid_argument

    def refuse(**fields):
        raise invalid_argument("事项清单中没有编码为 bdc-transfer-secondhand 的事项",
                               reason="unknown_matter")

    monkeypatch.setattr(clerk.desk, "register_case", refuse)
    fill(form, qtbot)
    assert form.submit() is None
    assert "事项清单中没有编码" in form.matter_error.text()
    assert form.matter_error.property("role") == "error"
    assert not form.top_error.isHidden()
    assert form.name.text() == "张三" and form.current_matter().code == MATTER
