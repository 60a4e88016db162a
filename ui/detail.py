"""协同请求详情: one request with its case, the reply, the attachments, the whole timeline,
and exactly the actions this user may take now.

What may be done comes from the domain (``app.detail.request_view(...).allowed``); this
screen only turns it into buttons, asks for input through ``ui.actions`` and calls the desk.
A refusal is shown through :func:`show_message`; downloads run in the background.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.detail import AttachmentInfo, RequestView, describe_size, open_copy, request_view
from app.domain import commands as c
from app.domain.entities import CALLBACK_OUTCOMES
from app.domain.enums import RectificationState
from app.domain.errors import Rejected
from app.inbox import remaining_text
from app.services import AttachmentError
from app.unsatisfied import CallRow, RectificationView, rectification_view
from ui.actions import (
    CallbackDialog,
    ConfirmDialog,
    DecideAppealDialog,
    ExtendDialog,
    ForwardDialog,
    ReasonDialog,
    RectificationCallbackDialog,
    ReplyDialog,
    UrgeDialog,
    stars,
)
from ui.context import UiContext
from ui.i18n import say, tr
from ui.style import DONE, PAUSED, Band, band_for
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

# Button labels, said through ui.i18n.tr as the timeline's COLUMNS are (build.py puts them in
# its context).
ACTION_LABELS: dict[type[c.Command], str] = {
    c.Accept: "签收", c.Reply: "回复/办结", c.SendBack: "退回补正", c.Forward: "转办",
    c.Extend: "申请延期", c.ApproveExtension: "批准延期", c.DeclineExtension: "驳回延期",
    c.Urge: "催办", c.Withdraw: "撤回", c.Confirm: "确认并评价", c.Reopen: "重新办理",
    c.Resubmit: "补正后重新提交", c.CompleteCase: "办结", c.ExplainCase: "告知",
    c.RecordCallback: "回访", c.RectificationCallback: "整改回访", c.Appeal: "申诉",
    c.DecideAppeal: "申诉裁决",
}
LEADER_URGE = "督办"

# The one main step of each state gets the prominent button.
PRIMARY = (c.Accept, c.Reply, c.Confirm, c.Resubmit, c.ApproveExtension)
TICK_MS = 30_000
MIME_WORDS = {"application/pdf": "PDF", "image/jpeg": "JPG 图片", "image/png": "PNG 图片",
              "application/ofd": "OFD"}


# -- seams (tests replace these) -------------------------------------------------------------


def show_message(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the clerk why something did not work."""
    QMessageBox.warning(parent, title, text)


def choose_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "另存为", suggested)
    return Path(name) if name else None


def open_file(path: Path) -> bool:
    """Open a file with the desktop's program for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# -- the screen ------------------------------------------------------------------------------


class RequestDetail(QWidget):
    acted = Signal()  # after an action of this user succeeded (locally; the sync follows)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id: str | None = None
        self.view: RequestView | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self.attachment_rows: dict[str, AttachmentRow] = {}
        self.timeline: Timeline | None = None
        self.preview: PreviewWindow | None = None
        self.countdown = QLabel()
        self.state_label = QLabel()
        self.reply_text = QLabel()
        self.rectification: RectificationView | None = None
        self.rectification_countdown = QLabel()
        self.setMinimumWidth(340)

        self._top = QWidget()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self._top)
        layout.addWidget(self.scroll, 1)
        self._show_empty(self.tr("请选择一条协同请求"))

        self._ticker = QTimer(self, interval=TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        ctx.adapter.itemsArrived.connect(self._items_arrived)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.refresh)

    # -- public --------------------------------------------------------------------------

    def show_request(self, request_id: str) -> None:
        self.request_id = request_id
        self.scroll.verticalScrollBar().setValue(0)
        self.refresh()

    def refresh(self) -> None:
        if self.request_id is None:
            return
        keep = self.scroll.verticalScrollBar().value()
        view = request_view(self.ctx.store, self.request_id, self.ctx.actor, self.ctx.now(),
                            self.ctx.desk.device_id)
        self.view = view
        if view is None:
            self._show_empty(self.tr("本机没有这条协同请求（可能尚未同步，或已无权查看）"))
            return
        self._replace(self._top, self._header(view))
        self._set_body(self._body(view))
        QTimer.singleShot(0, lambda: isValid(self.scroll)
                          and self.scroll.verticalScrollBar().setValue(keep))

    def visible_actions(self) -> list[str]:
        """The labels of the action buttons shown, in order."""
        return [label for label, button in self.action_buttons.items() if button.isVisible()]

    # -- building ------------------------------------------------------------------------

    def _show_empty(self, text: str) -> None:
        self.action_buttons = {}
        self.rectification = None
        self.attachment_rows = {}
        self.timeline = None
        placeholder = QLabel(text)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setStyleSheet("color: #757575;")
        self._replace(self._top, QWidget())
        self._set_body(placeholder)

    def _set_body(self, body: QWidget) -> None:
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(body)

    @staticmethod
    def _replace(holder: QWidget, content: QWidget) -> None:
        layout = holder.layout()
        if layout is None:
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(0, 0, 0, 0)
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.hide()
                old.setParent(None)
                old.deleteLater()
        layout.addWidget(content)
        content.show()  # now, not when the layout's queued show runs

    def _header(self, view: RequestView) -> QWidget:
        r = view.request
        box = QFrame()
        box.setObjectName("detailHeader")
        box.setStyleSheet("#detailHeader { background: #fafafa; border: 1px solid #e0e0e0;"
                          " border-radius: 4px; }")
        layout = QVBoxLayout(box)
        layout.setSpacing(6)

        title_row = QHBoxLayout()
        subject = _plain(r.subject)
        subject.setWordWrap(True)
        font = subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        subject.setFont(font)
        subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = QLabel(tr(view.state_label))
        self.state_label.setStyleSheet("QLabel { background: #1565c0; color: white;"
                                       " border-radius: 3px; padding: 2px 8px; }")
        title_row.addWidget(subject, 1)
        title_row.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)

        sent = view.request.sent_at.astimezone(view.tz)
        route = _plain(f"{view.from_department_name} → {view.to_department_name}"
                       f"（{tr(r.role.label)}）　{view.sent_by_name} 发起于 {sent:%m-%d %H:%M}")
        route.setWordWrap(True)
        route.setStyleSheet("color: #424242;")
        layout.addWidget(route)

        self.countdown = QLabel()
        self.countdown.setWordWrap(True)
        self._show_countdown(view, view.remaining)
        layout.addWidget(self.countdown)

        for text, colour in self._notices(view):
            notice = _plain(text)
            notice.setWordWrap(True)
            notice.setStyleSheet(f"color: {colour};")
            layout.addWidget(notice)

        layout.addWidget(self._actions(view))
        return box

    def _notices(self, view: RequestView) -> list[tuple[str, str]]:
        r = view.request
        out = []
        if r.pending_extension is not None:
            ext = r.pending_extension
            out.append((f"延期申请：{ext.working_hours:g} 个工作小时，原因：{ext.reason}"
                        f"（等待 {view.from_department_name} 部门领导批准）", "#8a4b00"))
        if r.send_back_reason and r.state.value == "sent_back":
            out.append((f"退回原因：{r.send_back_reason}", "#8a4b00"))
        if r.urge_count and r.state.clock_running:
            out.append((f"已催办 {r.urge_count} 次", "#b71c1c"))
        return out

    def _show_countdown(self, view: RequestView, remaining) -> None:
        band: Band
        if view.clock == "running":
            band = band_for(remaining, True)
            text = f"{band.symbol} " + self.tr("%1（%2）").replace(
                "%1", say(remaining_text(remaining))).replace("%2", tr(band.label))
        elif view.clock == "paused":
            band = PAUSED
            # nothing kept still reads "剩余 0分钟", never "超期"
            kept = say(remaining_text(remaining or timedelta(seconds=1)))
            text = f"{band.symbol} " + self.tr("已退回，计时暂停（补正后恢复：%1）").replace(
                "%1", kept)
        else:
            band = DONE
            text = f"{band.symbol} " + self.tr("计时已结束（%1）").replace(
                "%1", tr(view.state_label))
        if view.due_at is not None:
            text += self.tr("　交件期限 %1").replace("%1", f"{view.due_at:%m-%d %H:%M}")
        self.countdown.setText(text)
        _paint(self.countdown, band)

    def _actions(self, view: RequestView) -> QWidget:
        """The buttons of exactly the allowed actions, in two groups (the request, the
        case); each group wraps onto more lines when the pane is narrow."""
        self.action_buttons = {}
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 4, 0, 0)
        if not view.allowed:
            none = QLabel(self.tr("您当前没有可执行的操作"))
            none.setStyleSheet("color: #757575;")
            column.addWidget(none)
            return box
        request_actions = [a for a in view.allowed if a not in _CASE_ACTION_TYPES]
        case_actions = [a for a in view.allowed if a in _CASE_ACTION_TYPES]
        for group, caption in ((request_actions, self.tr("请求：")),
                               (case_actions, self.tr("办件："))):
            if not group:
                continue
            line = QHBoxLayout()
            label = QLabel(caption)
            label.setStyleSheet("color: #616161; padding-top: 5px;")  # level with the buttons
            line.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
            holder = QWidget()
            flow = FlowLayout(holder)
            for cls in group:
                flow.addWidget(self._button(cls, view))
            line.addWidget(holder, 1)
            column.addLayout(line)
        return box

    def _button(self, cls: type[c.Command], view: RequestView) -> QPushButton:
        label = ACTION_LABELS[cls]
        if cls is c.Urge and self.ctx.actor.department == view.request.to_department:
            label = LEADER_URGE  # the receiving department's leader presses its own people
        button = QPushButton(tr(label))
        button.setProperty("action", cls.__name__)
        button.setMinimumWidth(88)
        if cls in PRIMARY:
            button.setDefault(True)
            button.setStyleSheet("QPushButton { background: #1565c0; color: white;"
                                 " font-weight: bold; padding: 5px 14px; }")
        button.clicked.connect(lambda _=False, cls=cls: self._act(cls))
        self.action_buttons[label] = button
        return button

    def _body(self, view: RequestView) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 8, 4, 8)
        layout.setSpacing(10)
        self.attachment_rows = {}
        self.rectification = rectification_view(self.ctx.store, view.request, self.ctx.now())
        if self.rectification is not None:  # the latest, most pressing matter: on top
            layout.addWidget(self._rectification_box(self.rectification))
        if view.case is not None:
            layout.addWidget(self._case_box(view))
        layout.addWidget(self._text_box(self.tr("需要提供"), view.request.needed))
        if view.request.reply_text:
            layout.addWidget(self._reply_box(view))
        layout.addWidget(self._attachments_box(self.tr("附件"), view.attachments,
                                               self.tr("没有附件")))
        layout.addWidget(self._timeline_box(view), 1)
        return body

    def _case_box(self, view: RequestView) -> QGroupBox:
        case = view.case
        assert case is not None
        box = QGroupBox(self.tr("办件信息"))
        due = f"{view.case_due_at:%m-%d %H:%M}" if view.case_due_at else self.tr("会商确定")
        lead = view.departments.get(case.lead_department or "", "") or self.tr("未指定")
        wide = [("办件编号", case.number), ("事项", view.matter_name)]
        pairs = [("申请人", case.citizen_name), ("身份证号", case.citizen_id_number),
                 ("联系电话", case.citizen_phone), ("类别", tr(case.category.label)),
                 ("受理渠道", tr(case.channel.label)), ("办件期限", due),
                 ("办件状态", tr(case.state.label)), ("主办部门", lead)]
        extra = [("情况说明", case.description), ("办理结果", case.result),
                 ("告知内容", case.explanation)]
        extra += [("回访", f"{cb.at.astimezone(view.tz):%m-%d %H:%M} "
                          f"{_callback_label(cb.outcome)} {cb.note}".strip())
                  for cb in case.callbacks]
        layout = QVBoxLayout(box)
        layout.addWidget(PairGrid(wide, pairs, [(n, v) for n, v in extra if v]))
        return box

    def _text_box(self, title: str, text: str) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(_value(text))
        return box

    def _rectification_box(self, rect: RectificationView) -> QGroupBox:
        """差评整改: the deadline and its countdown, what was rated and why, the callbacks,
        the appeal and its decision."""
        box = QGroupBox(self.tr("差评整改"))
        box.setObjectName("rectificationBox")
        layout = QVBoxLayout(box)
        self.rectification_countdown = QLabel()
        self.rectification_countdown.setWordWrap(True)
        self._show_rectification_countdown(rect, rect.remaining)
        layout.addWidget(self.rectification_countdown)
        pairs = [(self.tr("整改部门"), rect.holder),
                 (self.tr("评价"), f"{stars(rect.stars)} {say(rect.rating_label)}"),
                 (self.tr("差评时间"), f"{rect.opened_at:%m-%d %H:%M}"),
                 (self.tr("整改期限"), f"{rect.due_at:%m-%d %H:%M}")]
        more = [(self.tr("不满意的方面"), say(rect.indicators) or self.tr("未勾选")),
                (self.tr("差评原因"), rect.reason), (self.tr("整改措施"), rect.measures)]
        more += [(self.tr("回访"), self._call_text(call)) for call in rect.calls]
        if rect.appealed_at is not None:
            more.append((self.tr("申诉"), rect.appeal_reason + self.tr("（%1 %2）")
                         .replace("%1", rect.appealed_by)
                         .replace("%2", f"{rect.appealed_at:%m-%d %H:%M}")))
        if rect.verdict is not None:
            more.append((self.tr("裁决"), f"{say(rect.verdict)}：{rect.decision_note}"
                         + self.tr("（%1）").replace("%1", rect.decided_by)))
        layout.addWidget(PairGrid([], pairs, [(n, v) for n, v in more if v]))
        return box

    def _call_text(self, call: CallRow) -> str:
        text = (self.tr("%1 %2 回访：%3").replace("%1", f"{call.called_at:%m-%d %H:%M}")
                .replace("%2", call.called_by).replace("%3", say(call.outcome)))
        text += self.tr("（整改完成）") if call.closes else self.tr("（整改继续）")
        if call.note:
            text += self.tr("；记录：%1").replace("%1", call.note)
        return text + self.tr("；%1 登记").replace("%1", call.recorded_by)

    def _show_rectification_countdown(self, rect: RectificationView, remaining) -> None:
        state = tr(rect.state.label)
        if rect.closed_at is not None:
            band = DONE
            text = f"{band.symbol} {state}" + self.tr("（%1 结束）").replace(
                "%1", f"{rect.closed_at:%m-%d %H:%M}")
        else:
            band = band_for(remaining, True)
            text = f"{band.symbol} {state}：" + self.tr("%1（%2）").replace(
                "%1", say(remaining_text(remaining))).replace("%2", tr(band.label))
            if rect.state is RectificationState.APPEALED:
                text += self.tr("，申诉期间整改期限照常计算")
        text += self.tr("　整改期限 %1").replace("%1", f"{rect.due_at:%m-%d %H:%M}")
        self.rectification_countdown.setText(text)
        _paint(self.rectification_countdown, band)

    def _reply_box(self, view: RequestView) -> QGroupBox:
        r = view.request
        box = QGroupBox(self.tr("回复"))
        box.setObjectName("replyBox")
        layout = QVBoxLayout(box)
        when = r.replied_at.astimezone(view.tz) if r.replied_at else None
        by = _plain(f"{view.to_department_name} {view.replied_by_name} 回复于 "
                    f"{when:%m-%d %H:%M}" if when else view.to_department_name)
        by.setStyleSheet("color: #616161;")
        layout.addWidget(by)
        self.reply_text = _value(r.reply_text)
        layout.addWidget(self.reply_text)
        for info in view.reply_attachments:
            layout.addWidget(self._attachment_row(info))
        if r.rating is not None:
            rating = _plain(f"评价：{tr(r.rating.label)}（{stars(r.rating.stars)}）"
                            + (f"　{r.rating.comment}" if r.rating.comment else ""))
            rating.setWordWrap(True)
            rating.setStyleSheet("color: #b71c1c;" if r.rating.unsatisfied
                                 else "color: #1b5e20;")
            layout.addWidget(rating)
        return box

    def _attachments_box(self, title: str, infos, empty: str) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        for info in infos:
            layout.addWidget(self._attachment_row(info))
        if not infos:
            layout.addWidget(_caption(empty))
        return box

    def _attachment_row(self, info: AttachmentInfo) -> AttachmentRow:
        row = AttachmentRow(info, open_=lambda: self._open(info),
                            save=lambda: self._save_as(info), preview=lambda: self._preview(info))
        self.attachment_rows[info.sha256] = row
        return row

    def _timeline_box(self, view: RequestView) -> QGroupBox:
        box = QGroupBox(self.tr("办理经过（按服务器时间）"))
        layout = QVBoxLayout(box)
        self.timeline = Timeline(view.timeline)
        layout.addWidget(self.timeline)
        return box

    # -- acting --------------------------------------------------------------------------

    def _act(self, cls: type[c.Command]) -> None:
        view = self.view
        if view is None:
            return
        try:
            done = _PERFORM[cls](self, view)
        except (Rejected, AttachmentError) as refusal:
            label = ACTION_LABELS.get(cls, cls.label)
            show_message(self, self.tr("不能%1").replace("%1", tr(label)),
                         say(refusal.message))
            self.refresh()  # the screen was out of date: show what is true now
            return
        if done:
            self.refresh()
            self.acted.emit()

    def _items_arrived(self, keys: list) -> None:
        view = self.view
        if view is None:
            return
        mine = {("request", view.request.id)}
        if view.case is not None:
            mine.add(("case", view.case.id))
        if mine.intersection(tuple(k) for k in keys):
            self.refresh()

    def _tick(self) -> None:
        if self.view is not None and self.view.clock == "running":
            self._show_countdown(self.view, self.view.remaining_at(self.ctx.now()))
        rect = self.rectification
        if rect is not None and not rect.state.is_closed:
            self._show_rectification_countdown(rect, rect.remaining_at(self.ctx.now()))

    # -- attachments ---------------------------------------------------------------------

    def _fetch(self, info: AttachmentInfo, then: Callable[[Path, str | None], None]) -> None:
        """Download (if needed) in the background, then ``then(path, mime)`` on the UI
        thread; the row says what is going on."""
        row = self.attachment_rows.get(info.sha256)
        if row is not None:
            row.busy(self.tr("正在下载…"))
        engine = self.ctx.client.engine
        folder = self.ctx.desk.blob_dir.parent / "opened"

        def work() -> tuple[Path, str | None]:
            return open_copy(engine.fetch_attachment(info.sha256), info, folder)

        def done(result: tuple[Path, str | None]) -> None:
            if row is not None and isValid(row):
                row.idle("")
            if isValid(self):
                then(*result)

        def failed(error: BaseException) -> None:
            if row is not None and isValid(row):
                row.idle(self.tr("下载失败"))
            if isValid(self):
                show_message(self, self.tr("无法获取附件"),
                             self.tr("附件 %1 下载失败：%2").replace("%1", info.file_name)
                             .replace("%2", str(error) or type(error).__name__))

        run_in_background(work, done, failed)

    def _open(self, info: AttachmentInfo) -> None:
        def opened(path: Path, _mime: str | None) -> None:
            if not open_file(path):
                show_message(self, self.tr("无法打开"),
                             self.tr("本机没有能打开该文件的程序：%1").replace("%1", str(path)))

        self._fetch(info, opened)

    def _save_as(self, info: AttachmentInfo) -> None:
        target = choose_save_path(self, info.file_name)
        if target is None:
            return
        row = self.attachment_rows.get(info.sha256)

        def copy(path: Path, _mime: str | None) -> None:
            def saved(_result) -> None:
                if row is not None and isValid(row):
                    row.idle(self.tr("已保存到 %1").replace("%1", str(target)))

            def failed(error: BaseException) -> None:
                if row is not None and isValid(row):
                    row.idle("")
                show_message(self if isValid(self) else None, "另存失败", str(error))

            run_in_background(lambda: shutil.copyfile(path, target), saved, failed)

        self._fetch(info, copy)

    def _preview(self, info: AttachmentInfo) -> None:
        def show(path: Path, mime: str | None) -> None:
            if self.preview is None or not isValid(self.preview):
                self.preview = PreviewWindow(self)
            self.preview.show_file(path, mime, info.file_name)
            self.preview.show()
            self.preview.raise_()

        self._fetch(info, show)


# -- what each button does -------------------------------------------------------------------


def _reason(detail: RequestDetail, title: str, label: str, **kw) -> str | None:
    return ReasonDialog.ask(detail, title, label, **kw)


def _accept(d: RequestDetail, v: RequestView) -> bool:
    d.ctx.desk.accept(v.request.id)
    return True


def _reply(d: RequestDetail, v: RequestView) -> bool:
    answer = ReplyDialog.ask(d, d.ctx.desk.add_attachment)
    if answer is None:
        return False
    d.ctx.desk.reply(v.request.id, answer.text, answer.hashes)
    return True


def _resubmit(d: RequestDetail, v: RequestView) -> bool:
    answer = ReplyDialog.ask(d, d.ctx.desk.add_attachment, title="补正后重新提交",
                             label="补正说明")
    if answer is None:
        return False
    d.ctx.desk.resubmit(v.request.id, answer.text, answer.hashes)
    return True


def _send_back(d: RequestDetail, v: RequestView) -> bool:
    reason = _reason(d, "退回补正", "退回原因", placeholder="写明需要对方补正的材料或信息")
    return reason is not None and bool(d.ctx.desk.send_back(v.request.id, reason))


def _forward(d: RequestDetail, v: RequestView) -> bool:
    answer = ForwardDialog.ask(d, v.forward_targets)
    return answer is not None and bool(d.ctx.desk.forward(v.request.id, *answer))


def _extend(d: RequestDetail, v: RequestView) -> bool:
    per_day = v.calendar.hours_per_day.total_seconds() / 3600
    answer = ExtendDialog.ask(d, per_day)
    if answer is None:
        return False
    hours, reason = answer
    d.ctx.desk.extend(v.request.id, float(hours), reason)
    return True


def _approve(d: RequestDetail, v: RequestView) -> bool:
    d.ctx.desk.approve_extension(v.request.id)
    return True


def _decline(d: RequestDetail, v: RequestView) -> bool:
    reason = _reason(d, "驳回延期", "驳回理由", required=False)
    return reason is not None and bool(d.ctx.desk.decline_extension(v.request.id, reason))


def _urge(d: RequestDetail, v: RequestView) -> bool:
    title = "督办" if d.ctx.actor.department == v.request.to_department else "催办"
    note = UrgeDialog.ask(d, title)
    return note is not None and bool(d.ctx.desk.urge(v.request.id, note))


def _withdraw(d: RequestDetail, v: RequestView) -> bool:
    reason = _reason(d, "撤回", "撤回原因")
    return reason is not None and bool(d.ctx.desk.withdraw(v.request.id, reason))


def _confirm(d: RequestDetail, v: RequestView) -> bool:
    answer = ConfirmDialog.ask(d)
    if answer is None:
        return False
    d.ctx.desk.confirm(v.request.id, answer.stars, answer.comment, answer.indicators)
    return True


def _reopen(d: RequestDetail, v: RequestView) -> bool:
    reason = _reason(d, "重新办理", "重新办理的原因")
    return reason is not None and bool(d.ctx.desk.reopen(v.request.id, reason))


def _complete(d: RequestDetail, v: RequestView) -> bool:
    result = _reason(d, "办结", "办理结果", placeholder="写明办理结果，将记入办件")
    return result is not None and bool(d.ctx.desk.complete_case(v.request.case_id, result))


def _explain(d: RequestDetail, v: RequestView) -> bool:
    reason = _reason(d, "告知", "不能办理的原因（将告知申请人）")
    return reason is not None and bool(d.ctx.desk.explain_case(v.request.case_id, reason))


def _callback(d: RequestDetail, v: RequestView) -> bool:
    answer = CallbackDialog.ask(d)
    return answer is not None and bool(d.ctx.desk.record_callback(v.request.case_id, *answer))


def _rectification_callback(d: RequestDetail, v: RequestView) -> bool:
    rect = v.request.rectification
    assert rect is not None  # the state machine offers 整改回访 only with one
    answer = RectificationCallbackDialog.ask(
        d, caller=d.ctx.actor.name, now=d.ctx.now(), opened_at=rect.opened_at, tz=v.tz,
        measures=rect.measures)
    return answer is not None and bool(d.ctx.desk.rectification_callback(
        v.request.id, **answer._asdict()))


def _appeal(d: RequestDetail, v: RequestView) -> bool:
    reason = _reason(d, "申诉", "申诉理由",
                     placeholder="说明该评价为何有误，例如：申请人评价的并非本部门办理的事项")
    return reason is not None and bool(d.ctx.desk.appeal(v.request.id, reason))


def _decide_appeal(d: RequestDetail, v: RequestView) -> bool:
    rect = v.request.rectification
    assert rect is not None
    answer = DecideAppealDialog.ask(d, rect.appeal_reason)
    return answer is not None and bool(d.ctx.desk.decide_appeal(v.request.id, *answer))


_PERFORM: dict[type[c.Command], Callable[[RequestDetail, RequestView], bool]] = {
    c.Accept: _accept, c.Reply: _reply, c.Resubmit: _resubmit, c.SendBack: _send_back,
    c.Forward: _forward, c.Extend: _extend, c.ApproveExtension: _approve,
    c.DeclineExtension: _decline, c.Urge: _urge, c.Withdraw: _withdraw, c.Confirm: _confirm,
    c.Reopen: _reopen, c.CompleteCase: _complete, c.ExplainCase: _explain,
    c.RecordCallback: _callback, c.RectificationCallback: _rectification_callback,
    c.Appeal: _appeal, c.DecideAppeal: _decide_appeal,
}
_CASE_ACTION_TYPES = frozenset({c.CompleteCase, c.ExplainCase, c.RecordCallback})


# -- parts -----------------------------------------------------------------------------------


class AttachmentRow(QFrame):
    """One file: name, type, size, where it belongs; 打开 / 另存为… / 预览."""

    def __init__(self, info: AttachmentInfo, *, open_: Callable[[], None],
                 save: Callable[[], None], preview: Callable[[], None]) -> None:
        super().__init__()
        self.info = info
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        kind = MIME_WORDS.get(info.mime or "", "文件")
        name = _plain(say(info.file_name))
        name.setToolTip(f"{say(info.file_name)}\nSHA-256 {info.sha256}")
        meta = QLabel(f"{kind} · {say(describe_size(info.size))} · {say(info.source)}")
        meta.setStyleSheet("color: #757575;")
        self.status = QLabel()
        self.status.setStyleSheet("color: #616161;")
        for label in (name, meta, self.status):  # they wrap; the buttons are never cut
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(72)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(name)
        text.addWidget(meta)
        text.addWidget(self.status)
        self.status.hide()
        layout.addLayout(text, 1)
        holder = QWidget()
        flow = FlowLayout(holder)  # the buttons stack when the pane is narrow
        layout.addWidget(holder, 0, Qt.AlignmentFlag.AlignTop)
        self.buttons = {}
        for label, slot, enabled in (("打开", open_, True), ("另存为…", save, True),
                                     ("预览", preview, info.previewable)):
            button = QPushButton(label)
            button.setEnabled(enabled)
            if not enabled:
                button.setToolTip("该格式不能预览，请点“打开”")
            button.clicked.connect(lambda _=False, slot=slot: slot())
            flow.addWidget(button)
            self.buttons[label] = button

    def busy(self, text: str) -> None:
        for button in self.buttons.values():
            button.setEnabled(False)
        self.status.setText(text)
        self.status.show()

    def idle(self, text: str) -> None:
        for label, button in self.buttons.items():
            button.setEnabled(label != "预览" or self.info.previewable)
        self.status.setText(text)
        self.status.setVisible(bool(text))


class PairGrid(QWidget):
    """Captions and values: the short pairs two to a line where there is room, one to a
    line in a narrow pane (an ID number must never be cut off); long ones always alone."""

    WIDE_ENOUGH = 400

    def __init__(self, first, pairs, last, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first = [(_caption(n), _value(v)) for n, v in first]
        self._pairs = [(_caption(n), _value(v)) for n, v in pairs]
        self._last = [(_caption(n), _value(v)) for n, v in last]
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._columns = 0
        self._arrange(2)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange(2 if event.size().width() >= self.WIDE_ENOUGH else 1)

    def _arrange(self, per_line: int) -> None:
        if per_line == self._columns:
            return
        self._columns = per_line
        grid = self._grid
        while grid.count():
            grid.takeAt(0)
        row = 0
        for caption, value in self._first:
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1, 1, 3)
            row += 1
        for i, (caption, value) in enumerate(self._pairs):
            line, col = divmod(i, per_line)
            grid.addWidget(caption, row + line, col * 2)
            grid.addWidget(value, row + line, col * 2 + 1)
        row += (len(self._pairs) + per_line - 1) // per_line
        for caption, value in self._last:
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1, 1, 3)
            row += 1
        for col in range(4):
            grid.setColumnStretch(col, 1 if col % 2 and col // 2 < per_line else 0)


class FlowLayout(QLayout):
    """Widgets left to right, wrapping onto the next line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)
        self._items: list = []

    def addItem(self, item) -> None:  # noqa: N802 (Qt's names from here on)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = sum(i.sizeHint().width() for i in self._items)
        width += self.spacing() * max(0, len(self._items) - 1)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y()


class Timeline(QWidget):
    """办理经过: one row per event — time, who, what, details (wrapped, never cut off).
    Events made on this PC and not yet on the server are grey and marked 待同步."""

    COLUMNS = ("时间", "办理人", "操作")
    WIDTHS = (80, 104)

    def __init__(self, entries, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = tuple(entries)
        self.rows: list[list[QLabel]] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for column, title in enumerate(self.COLUMNS):
            head = QLabel(tr(title))
            head.setStyleSheet("font-weight: bold; color: #424242;")
            grid.addWidget(head, 0, column)
        for column, width in enumerate(self.WIDTHS):
            grid.setColumnMinimumWidth(column, width)
        grid.setColumnStretch(2, 1)
        line = 1
        for entry in self.entries:
            when = f"{entry.at:%m-%d %H:%M}"
            if entry.pending:
                when += f"<br><span style='color:#8a4b00'>⟳ {say(entry.pending_label)}</span>"
            who = escape(entry.who) + (
                f"<br><span style='color:#757575'>{escape(entry.department)}</span>"
                if entry.department else "")
            cells = [QLabel(when), QLabel(who), QLabel(say(entry.verb)),
                     QLabel(say(entry.details))]
            grey = "color: #757575;" if entry.pending else ""
            for column, cell in enumerate(cells):
                cell.setWordWrap(True)
                cell.setTextFormat(Qt.TextFormat.RichText if column < 2
                                   else Qt.TextFormat.PlainText)
                cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setStyleSheet(grey)
            cells[2].setStyleSheet(grey + "font-weight: bold;")
            # time | who | what on one line, the details under who and what: they get the
            # width of the pane, also when it is narrow
            for column in range(3):
                grid.addWidget(cells[column], line, column)
            if entry.details:
                cells[3].setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                cells[3].setMinimumWidth(120)
                grid.addWidget(cells[3], line + 1, 1, 1, 2)
            grid.setRowMinimumHeight(line + 2, 8)  # air between entries
            line += 3
            if entry.pending:
                cells[0].setToolTip(self.tr("本机操作，尚未上传到服务器；显示的是本机记录的时间"))
            self.rows.append(cells)
        if not self.entries:
            grid.addWidget(_caption(self.tr("暂无记录")), 1, 0, 1, 3)

    def texts(self) -> list[list[str]]:
        """What each row says, column by column (for tests and copying)."""
        return [[cell.text() for cell in row] for row in self.rows]


class PreviewWindow(QDialog):
    """附件预览, beside the main window: PDF pages (QtPdf) or an image; anything else is
    left to the desktop's program (打开)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setModal(False)
        self.resize(QSize(760, 720))
        self.kind = "none"
        self.document: QPdfDocument | None = None  # made with the first PDF shown
        self.image = QLabel()  # the picture, when an image is on show
        self.message = QLabel()  # what is said instead, when nothing can be shown
        self._layout = QVBoxLayout(self)
        self._content: QWidget | None = None

    def show_file(self, path: Path, mime: str | None, name: str) -> None:
        self.setWindowTitle(self.tr("预览 — ") + name)
        if mime == "application/pdf":
            # QtPdf (PDFium) is loaded on the first preview, not at start-up (issue #8, P1)
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView

            if self.document is None:
                self.document = QPdfDocument(self)
            self.document.close()
            self.document.load(str(path))
            view = QPdfView(self)
            view.setDocument(self.document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self._set(view, "pdf")
        elif mime in ("image/jpeg", "image/png"):
            pixmap = QPixmap(str(path))
            area = QScrollArea()
            area.setWidgetResizable(True)
            self.image = QLabel()
            self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if pixmap.width() > 720:
                pixmap = pixmap.scaledToWidth(720, Qt.TransformationMode.SmoothTransformation)
            self.image.setPixmap(pixmap)
            area.setWidget(self.image)
            self._set(area, "image")
        else:
            self.message = QLabel(
                self.tr("该格式不能在这里预览。请关闭本窗口，点“打开”用本机程序查看。"))
            self.message.setWordWrap(True)
            self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._set(self.message, "none")

    def _set(self, content: QWidget, kind: str) -> None:
        if self._content is not None:
            self._layout.removeWidget(self._content)
            self._content.deleteLater()
        self._content = content
        self.kind = kind
        self._layout.addWidget(content)

    @property
    def ready(self) -> bool:
        """Something is on show: the PDF loaded, the image decoded, or the message."""
        if self.kind == "pdf" and self.document is not None:
            return self.document.status() == self.document.Status.Ready
        if self.kind == "image":
            pixmap = self.image.pixmap()
            return pixmap is not None and not pixmap.isNull()
        return self._content is not None


def _paint(label: QLabel, band: Band) -> None:
    """A countdown in its band's colours (the text carries its symbol and word)."""
    label.setStyleSheet(
        f"QLabel {{ background: {band.background.name()}; color: {band.foreground.name()};"
        " border-radius: 3px; padding: 4px 8px; font-weight: bold; }")


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color: #616161;")
    return label


def _plain(text: str) -> QLabel:
    """A label for text people typed: shown as typed, never read as HTML."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _value(text: str) -> QLabel:
    label = _plain(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def _callback_label(outcome: str) -> str:
    return tr(CALLBACK_OUTCOMES.get(outcome, outcome))


__all__ = ["PreviewWindow", "RequestDetail", "choose_save_path", "open_file",
           "show_message"]
