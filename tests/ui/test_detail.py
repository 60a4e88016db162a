"""The request detail screen against a real server: each user sees exactly the actions the
rules allow them, acting works end to end through sync, attachments download in the
background and preview, and the timeline shows server times and pending local events.
The action dialogs are tested on their own: their validation keeps them open."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton

import ui.actions
import ui.detail
from app.domain.entities import AttachmentRef
from tests.support.server import VALID_ID, Api
from ui.actions import (
    CallbackDialog,
    Confirmation,
    ConfirmDialog,
    ExtendDialog,
    ForwardDialog,
    ReasonDialog,
    ReplyDialog,
    TextWithFiles,
    UrgeDialog,
)
from ui.detail import PreviewWindow, RequestDetail
from ui.tasks import run_in_background

LEFT = Qt.MouseButton.LeftButton
INTAKE = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
              citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
              category="general", description="二手房过户")
RECEIVER_FIRST_STEPS = ["签收", "退回补正", "转办"]


# -- helpers -------------------------------------------------------------------------------


def sync(*sessions) -> None:
    for ctx in sessions:
        summary = ctx.client.engine.sync_once()
        assert summary.ok and not summary.rejected, summary


def send_to_tax(bdc) -> str:
    """bdc01 registers a case and asks the tax department for a certificate, then syncs."""
    case_id = bdc.desk.register_case(**INTAKE)
    request_id = bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                                       subject="完税证明", needed="契税完税证明")
    sync(bdc)
    return request_id


def open_detail(qtbot, ctx, request_id: str) -> RequestDetail:
    detail = RequestDetail(ctx)
    qtbot.addWidget(detail)
    detail.resize(560, 800)
    detail.show()
    detail.show_request(request_id)
    return detail


def visible_actions(detail: RequestDetail) -> list[str]:
    """The action buttons a person sees (found among the widget's children, not trusted
    from the screen's own bookkeeping)."""
    return [b.text() for b in detail.findChildren(QPushButton)
            if b.property("action") and b.isVisible()]


def press(qtbot, detail: RequestDetail, label: str) -> None:
    with qtbot.waitSignal(detail.acted, timeout=5000):
        qtbot.mouseClick(detail.action_buttons[label], LEFT)


def entries(detail: RequestDetail, verb: str):
    return [e for e in detail.view.timeline if e.verb == verb]


def row_text(detail: RequestDetail, verb: str) -> list[str]:
    rows = [r for r in detail.timeline.texts() if r[2] == verb]
    assert rows, f"no {verb} in {detail.timeline.texts()}"
    return rows[-1]


def server_event_time(hub, username: str, entity_id: str, kind: str) -> datetime:
    seen, _ = Api(hub.url).login(username).pull_all()
    [event] = [d for (entity, _id), d in seen.items()
               if entity == "event" and d["entity_id"] == entity_id and d["kind"] == kind]
    return datetime.fromisoformat(event["at"])


def make_pdf(path: Path) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(300, 600, "中华人民共和国税收完税证明")
    painter.end()
    return path


# -- the screen against the server ---------------------------------------------------------


def test_accept_reply_with_pdf_then_requester_previews_and_confirms(
        qtbot, hub, session, monkeypatch, tmp_path):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    tax = session("tax01")  # logging in syncs: the request is in tax01's cache

    detail = open_detail(qtbot, tax, request_id)
    assert detail.state_label.text() == "待签收"
    # before 签收 there is no 回复: exactly the receiver's first steps
    assert visible_actions(detail) == RECEIVER_FIRST_STEPS

    press(qtbot, detail, "签收")
    assert detail.state_label.text() == "办理中"  # the local effect, at once
    [accepted] = entries(detail, "签收")
    assert accepted.pending and accepted.pending_label == "待同步"
    assert "待同步" in row_text(detail, "签收")[0]

    sync(tax)  # the sync adapter tells the screen, which refreshes itself
    assert detail.state_label.text() == "办理中"
    actions = visible_actions(detail)
    assert "回复/办结" in actions and "申请延期" in actions and "签收" not in actions
    [accepted] = entries(detail, "签收")
    assert not accepted.pending
    server_at = server_event_time(hub, "tax01", request_id, "accepted")
    assert accepted.at == server_at
    shown = server_at.astimezone(detail.view.tz).strftime("%m-%d %H:%M")
    assert row_text(detail, "签收")[0] == shown

    pdf = make_pdf(tmp_path / "完税证明.pdf")
    ref = tax.desk.add_attachment(pdf)
    monkeypatch.setattr(ReplyDialog, "ask",
                        lambda *a, **k: TextWithFiles("已开具完税证明，见附件", (ref,)))
    press(qtbot, detail, "回复/办结")
    sync(tax)
    assert detail.state_label.text() == "已回复"
    assert visible_actions(detail) == []

    sync(bdc)
    mine = open_detail(qtbot, bdc, request_id)
    assert mine.state_label.text() == "已回复"
    assert mine.reply_text.text() == "已开具完税证明，见附件"
    [info] = mine.view.reply_attachments
    assert info.sha256 == ref.sha256 and info.local_path is None  # not downloaded yet
    row = mine.attachment_rows[ref.sha256]

    opened: list[Path] = []
    monkeypatch.setattr(ui.detail, "open_file", lambda path: opened.append(path) or True)
    qtbot.mouseClick(row.buttons["打开"], LEFT)
    assert not row.buttons["打开"].isEnabled()  # busy while the download runs
    qtbot.waitUntil(lambda: bool(opened), timeout=15_000)
    assert opened[0].suffix == ".pdf" and opened[0].read_bytes() == pdf.read_bytes()
    assert row.buttons["打开"].isEnabled()

    target = tmp_path / "另存" / "完税证明-副本.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(ui.detail, "choose_save_path", lambda parent, suggested: target)
    qtbot.mouseClick(row.buttons["另存为…"], LEFT)
    qtbot.waitUntil(lambda: "已保存" in row.status.text(), timeout=15_000)
    assert target.read_bytes() == pdf.read_bytes()

    qtbot.mouseClick(row.buttons["预览"], LEFT)
    qtbot.waitUntil(lambda: mine.preview is not None and mine.preview.ready, timeout=15_000)
    qtbot.addWidget(mine.preview)
    assert mine.preview.kind == "pdf"
    assert mine.preview.document.status() == QPdfDocument.Status.Ready
    assert mine.preview.document.pageCount() == 1

    assert {"确认并评价", "重新办理"} <= set(visible_actions(mine))
    monkeypatch.setattr(ConfirmDialog, "ask", lambda *a, **k: Confirmation(4, "材料齐全"))
    press(qtbot, mine, "确认并评价")
    sync(bdc)
    assert mine.state_label.text() == "已办结"
    assert mine.view.request.rating.stars == 4
    [confirmed] = entries(mine, "确认并评价")
    assert not confirmed.pending and "满意（4 星）" in confirmed.details
    assert "确认并评价" not in visible_actions(mine)


def test_send_back_and_resubmit(qtbot, session, monkeypatch):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    tax = session("tax01")
    theirs = open_detail(qtbot, tax, request_id)

    asked = []
    monkeypatch.setattr(ReasonDialog, "ask",
                        lambda parent, title, label, **k: asked.append(title) or "缺少房屋买卖合同")
    press(qtbot, theirs, "退回补正")
    assert asked == ["退回补正"]
    sync(tax)
    assert theirs.state_label.text() == "已退回"
    assert visible_actions(theirs) == []  # the requester's turn now
    assert "计时暂停" in theirs.countdown.text()

    sync(bdc)
    mine = open_detail(qtbot, bdc, request_id)
    assert mine.view.request.send_back_reason == "缺少房屋买卖合同"
    assert {"补正后重新提交", "撤回"} <= set(visible_actions(mine))
    monkeypatch.setattr(ReplyDialog, "ask", lambda *a, **k: TextWithFiles("已补充买卖合同"))
    press(qtbot, mine, "补正后重新提交")
    sync(bdc)
    assert mine.state_label.text() == "待签收"
    assert "补正后重新提交" not in visible_actions(mine)

    sync(tax)
    assert theirs.state_label.text() == "待签收"
    assert visible_actions(theirs) == RECEIVER_FIRST_STEPS
    assert "已补充买卖合同" in row_text(theirs, "补正后重新提交")[3]


def test_forward_to_the_police_household_office(qtbot, session, monkeypatch):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    tax = session("tax01")
    theirs = open_detail(qtbot, tax, request_id)

    offered = []

    def forward(parent, targets):
        offered.extend(targets)
        return "gaj", "户籍信息由公安局户政出具"

    monkeypatch.setattr(ForwardDialog, "ask", forward)
    press(qtbot, theirs, "转办")
    codes = [code for code, _name in offered]
    assert "gaj" in codes and "tax" not in codes and "bdc" not in codes  # not holder/requester
    sync(tax)
    assert theirs.state_label.text() == "已转办"
    assert visible_actions(theirs) == []  # an earlier holder keeps reading, no longer acts
    assert "税务局 → 公安局户政" in row_text(theirs, "转办")[3]

    liaison = open_detail(qtbot, session("gaj02"), request_id)
    assert liaison.view.to_department_name == "公安局户政"
    assert visible_actions(liaison) == RECEIVER_FIRST_STEPS
    # 签收 needs a liaison or a leader (protocol §6.2): gaj01 is a counter clerk
    clerk = open_detail(qtbot, session("gaj01"), request_id)
    assert clerk.state_label.text() == "已转办"
    assert visible_actions(clerk) == []


def test_urge_from_the_requester_shows_pending_then_server_time(qtbot, hub, session,
                                                                 monkeypatch):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    tax = session("tax01")
    theirs = open_detail(qtbot, tax, request_id)
    assert "催办" not in visible_actions(theirs)  # a liaison does not urge their own desk

    mine = open_detail(qtbot, bdc, request_id)
    assert "催办" in visible_actions(mine)
    monkeypatch.setattr(UrgeDialog, "ask", lambda *a, **k: "申请人在窗口等候，请尽快")
    press(qtbot, mine, "催办")
    [urged] = entries(mine, "催办")
    assert urged.pending
    assert "待同步" in row_text(mine, "催办")[0]
    assert "申请人在窗口等候" in row_text(mine, "催办")[3]

    sync(bdc)
    [urged] = entries(mine, "催办")
    assert not urged.pending
    assert urged.at == server_event_time(hub, "bdc01", request_id, "urged")
    assert "待同步" not in row_text(mine, "催办")[0]
    # the whole history, in server-time order
    times = [e.at for e in mine.view.timeline]
    assert times == sorted(times)
    assert [e.verb for e in mine.view.timeline][:2] == ["受理登记", "发起协同"]

    sync(tax)
    assert "申请人在窗口等候" in row_text(theirs, "催办")[3]
    assert theirs.view.request.urge_count == 1
    # the tax department's leader presses its own people: 督办
    leader = open_detail(qtbot, session("tax-lead"), request_id)
    assert "督办" in visible_actions(leader)


def test_extension_asked_by_the_receiver_and_approved_by_the_requesting_leader(
        qtbot, session, monkeypatch):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    tax = session("tax01")
    tax.desk.accept(request_id)
    sync(tax)
    theirs = open_detail(qtbot, tax, request_id)
    before = theirs.view.request.due_at

    monkeypatch.setattr(ExtendDialog, "ask", lambda *a, **k: (8, "需调取历史档案"))
    press(qtbot, theirs, "申请延期")
    sync(tax)
    assert "申请延期" not in visible_actions(theirs)  # one pending request at a time
    assert "回复/办结" in visible_actions(theirs)

    lead = open_detail(qtbot, session("bdc-lead"), request_id)
    assert {"批准延期", "驳回延期", "催办", "撤回"} <= set(visible_actions(lead))
    press(qtbot, lead, "批准延期")
    sync(lead.ctx)
    assert lead.view.request.pending_extension is None
    assert lead.view.request.due_at > before
    assert "批准延期" not in visible_actions(lead)


def test_case_actions_complete_then_callback(qtbot, session, monkeypatch):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    mine = open_detail(qtbot, bdc, request_id)
    actions = visible_actions(mine)
    assert {"办结", "告知"} <= set(actions) and "回访" not in actions

    monkeypatch.setattr(ReasonDialog, "ask", lambda *a, **k: "已办理转移登记")
    press(qtbot, mine, "办结")
    assert mine.view.case.state.label == "已办结"
    assert "回访" in visible_actions(mine) and "办结" not in visible_actions(mine)

    monkeypatch.setattr(CallbackDialog, "ask", lambda *a, **k: ("satisfied", "申请人表示满意"))
    press(qtbot, mine, "回访")
    sync(bdc)
    [callback] = mine.view.case.callbacks
    assert callback.outcome == "satisfied"
    assert "申请人表示满意" in row_text(mine, "回访")[3]


def test_a_refusal_is_shown_in_words_and_the_screen_catches_up(qtbot, session, monkeypatch):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    tax = session("tax01")
    detail = open_detail(qtbot, tax, request_id)
    tax.desk.accept(request_id)  # done elsewhere: the screen still offers 签收

    said = []
    monkeypatch.setattr(ui.detail, "show_message",
                        lambda parent, title, text: said.append((title, text)))
    with qtbot.assertNotEmitted(detail.acted):
        qtbot.mouseClick(detail.action_buttons["签收"], LEFT)
    assert said == [("不能签收", "该请求当前为「办理中」，不能签收")]
    assert "签收" not in visible_actions(detail)
    assert detail.state_label.text() == "办理中"


def test_the_citizen_is_shown_in_full_on_the_detail_screen(qtbot, session):
    bdc = session("bdc01")
    request_id = send_to_tax(bdc)
    detail = open_detail(qtbot, session("tax01"), request_id)
    labels = {label.text() for label in detail.scroll.widget().findChildren(QLabel)}
    assert {"张三", VALID_ID, "13800138000", "二手房转移登记"} <= labels


# -- preview and background work ------------------------------------------------------------


def test_pdf_preview_loads(qtbot, tmp_path):

    window = PreviewWindow()
    qtbot.addWidget(window)
    window.show_file(make_pdf(tmp_path / "a.pdf"), "application/pdf", "a.pdf")
    qtbot.waitUntil(lambda: window.ready)
    assert window.document.status() == QPdfDocument.Status.Ready


def test_image_preview_shows_the_picture(qtbot, tmp_path):
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#1565c0"))
    path = tmp_path / "scan.png"
    assert image.save(str(path))
    window = PreviewWindow()
    qtbot.addWidget(window)
    window.show_file(path, "image/png", "scan.png")
    assert window.kind == "image" and window.ready
    assert window.image.pixmap().width() == 400


def test_run_in_background_answers_on_the_ui_thread(qtbot):
    ui_thread = QApplication.instance().thread()
    seen = {}

    def work():
        seen["worker"] = threading.current_thread()
        return 42

    run_in_background(work, lambda value: seen.update(value=value,
                                                      thread=QThread.currentThread()))
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42 and seen["thread"] is ui_thread
    assert seen["worker"] is not threading.main_thread()

    def fail():
        raise OSError("网络中断")

    errors = []
    run_in_background(fail, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], OSError) and str(errors[0]) == "网络中断"


# -- the dialogs -----------------------------------------------------------------------------


def shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def is_red(dialog) -> bool:
    return dialog.error.isVisible() and "#b71c1c" in dialog.error.styleSheet()


def test_an_empty_reason_keeps_the_dialog_open_with_a_red_message(qtbot):
    dialog = shown(qtbot, ReasonDialog(None, "退回补正", "退回原因"))
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and dialog.result() == 0
    assert is_red(dialog) and "退回原因" in dialog.error.text()

    dialog.text.setPlainText("  ")  # blanks are not a reason
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    dialog.text.setPlainText("缺少买卖合同")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == "缺少买卖合同"


def test_ctrl_enter_is_ok(qtbot):
    dialog = shown(qtbot, ReasonDialog(None, "撤回", "撤回原因"))
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and is_red(dialog)  # validated like 确定
    dialog.text.setPlainText("重复发起")  # (QTest types ASCII only)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == "重复发起"  # the plain Enter went nowhere: no stray newline


def test_an_optional_reason_may_stay_empty(qtbot):
    dialog = shown(qtbot, ReasonDialog(None, "驳回延期", "驳回理由", required=False))
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.value() == ""


def test_unsatisfied_rating_needs_a_comment(qtbot):
    dialog = shown(qtbot, ConfirmDialog(None))
    assert [b.text() for b in dialog.levels.buttons()] == [
        "★★★★★  非常满意(&5)", "★★★★☆  满意(&4)", "★★★☆☆  基本满意(&3)",
        "★★☆☆☆  不满意(&2)", "★☆☆☆☆  非常不满意(&1)"]
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "满意程度" in dialog.error.text()  # no level chosen yet

    dialog.levels.button(2).setChecked(True)
    assert dialog.aspects.title().startswith("不满意的方面")
    dialog.indicators["efficiency"].setChecked(True)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and is_red(dialog) and "不满意" in dialog.error.text()
    assert dialog.indicators["efficiency"].isChecked()  # nothing chosen is lost

    dialog.comment.setPlainText("等候时间过长")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == Confirmation(2, "等候时间过长", ("efficiency",))


def test_a_satisfied_rating_needs_no_comment(qtbot):
    dialog = shown(qtbot, ConfirmDialog(None))
    dialog.levels.button(4).setChecked(True)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == Confirmation(4, "")


def test_forward_needs_a_department_and_a_reason(qtbot):
    dialog = shown(qtbot, ForwardDialog(None, [("gaj", "公安局户政"), ("rsj", "人社局")]))
    dialog.reason.setPlainText("户籍信息")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "部门" in dialog.error.text()
    dialog.department.setCurrentIndex(1)
    dialog.reason.setPlainText("")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "转办原因" in dialog.error.text()
    assert dialog.department.currentData() == "gaj"
    dialog.reason.setPlainText("户籍信息由公安局户政出具")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.value() == ("gaj", "户籍信息由公安局户政出具")


def test_extension_hours_are_1_to_140_and_need_a_reason(qtbot):
    dialog = shown(qtbot, ExtendDialog(None, 7.0))
    assert (dialog.hours.minimum(), dialog.hours.maximum()) == (1, 140)
    dialog.hours.setValue(500)
    assert dialog.hours.value() == 140
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and is_red(dialog)
    dialog.reason.setPlainText("需调取档案")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.value() == (140, "需调取档案")


def test_callback_needs_an_outcome(qtbot):
    dialog = shown(qtbot, CallbackDialog(None))
    dialog.note.setPlainText("电话回访")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and is_red(dialog)
    dialog.outcomes.button(3).setChecked(True)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.value() == ("unreachable", "电话回访")


def test_urge_note_is_optional(qtbot):
    dialog = shown(qtbot, UrgeDialog(None))
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.value() == ""


def test_reply_needs_text_and_adds_files_in_the_background(qtbot, monkeypatch, tmp_path):
    pdf = make_pdf(tmp_path / "证明.pdf")
    monkeypatch.setattr(ui.actions, "choose_files", lambda parent: [pdf])
    threads = []

    def add(path: Path) -> AttachmentRef:
        threads.append(threading.current_thread())
        return AttachmentRef("a" * 64, path.name, path.stat().st_size, "application/pdf")

    dialog = shown(qtbot, ReplyDialog(None, add))
    qtbot.mouseClick(dialog.add_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.adding)
    assert threads and threads[0] is not threading.main_thread()
    assert dialog.file_list.count() == 1 and "证明.pdf" in dialog.file_list.item(0).text()

    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and is_red(dialog) and "回复内容" in dialog.error.text()
    assert dialog.file_list.count() == 1  # the chosen file is kept
    dialog.text.setPlainText("完税证明见附件")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    answer = dialog.value()
    assert answer.text == "完税证明见附件" and answer.hashes == ("a" * 64,)


def test_a_refused_file_is_said_in_red_and_the_dialog_stays(qtbot, monkeypatch, tmp_path):
    from app.services import AttachmentError

    monkeypatch.setattr(ui.actions, "choose_files", lambda parent: [tmp_path / "x.doc"])

    def refuse(path: Path) -> AttachmentRef:
        raise AttachmentError(f"文件 {path.name} 的格式不受支持")

    dialog = shown(qtbot, ReplyDialog(None, refuse))
    dialog.text.setPlainText("见附件")
    qtbot.mouseClick(dialog.add_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.adding)
    assert is_red(dialog) and "x.doc" in dialog.error.text()
    assert dialog.ok_button.isEnabled() and dialog.file_list.count() == 0
    assert dialog.text.toPlainText() == "见附件"


def test_ask_returns_the_input_or_none(qtbot):
    def fill_and_ok():
        dialog = QApplication.activeModalWidget()
        dialog.text.setPlainText("材料不全")
        dialog.ok_button.click()

    QTimer.singleShot(0, fill_and_ok)
    assert ReasonDialog.ask(None, "退回补正", "退回原因") == "材料不全"

    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert ReasonDialog.ask(None, "退回补正", "退回原因") is None
