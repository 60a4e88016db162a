"""The small dialogs that collect what an action needs: a reason, a reply, a department.

Each is a QDialog with 确定 / 取消 that checks its input in place: a missing reason shows a
red message under the form, 确定 keeps the dialog open and nothing typed is lost. Ctrl+Enter
is 确定 everywhere. Every dialog has one seam, the classmethod ``ask(parent, ...)``, which
returns the input or None (cancelled); tests replace ``ask`` instead of clicking through
modal windows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.attachments import ACCEPTED_NAMES
from app.detail import describe_size
from app.domain.entities import (
    CALLBACK_CLOSES,
    CALLBACK_OUTCOMES,
    RATING_INDICATORS,
    AttachmentRef,
    Rating,
)
from app.domain.requests import MAX_EXTENSION_HOURS
from app.services import AttachmentError
from app.text import Text, listing
from ui.i18n import say, tr
from ui.tasks import run_in_background

ERROR_STYLE = "color: #b71c1c;"


class TextWithFiles(NamedTuple):
    """A reply or a resubmission: the text and the files added to the blob store."""

    text: str
    attachments: tuple[AttachmentRef, ...] = ()

    @property
    def hashes(self) -> tuple[str, ...]:
        return tuple(a.sha256 for a in self.attachments)


class Confirmation(NamedTuple):
    stars: int
    comment: str = ""
    indicators: tuple[str, ...] = ()  # codes of RATING_INDICATORS


class CallbackRecord(NamedTuple):
    """整改回访, as Desk.rectification_callback takes it."""

    measures: str
    called_by: str
    called_at: datetime
    outcome: str
    note: str = ""


def stars(count: int) -> str:
    """"★★☆☆☆": a rating out of five, the same width whatever the level."""
    return "★" * count + "☆" * (5 - count)


def choose_files(parent: QWidget | None) -> list[Path]:
    """The file picker (a seam: tests replace it)."""
    names, _ = QFileDialog.getOpenFileNames(
        parent, "选择附件", "", f"附件（{ACCEPTED_NAMES}） (*.pdf *.jpg *.jpeg *.png *.ofd)")
    return [Path(n) for n in names]


class ActionDialog(QDialog):
    """Form, red message line, 确定/取消; subclasses fill the form and say what is wrong."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setText(self.tr("确定"))
        self.ok_button.setToolTip(self.tr("Ctrl+Enter"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # Ctrl+Enter reaches the dialog from any field (text boxes ignore it); the key
        # handler works even where the window is not active, unlike a QShortcut.

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.submit()
            return
        super().keyPressEvent(event)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @classmethod
    def ask(cls, parent: QWidget | None, *args: Any, **kwargs: Any) -> Any | None:
        """Show the dialog modally; the input, or None if the clerk cancelled."""
        dialog = cls(parent, *args, **kwargs)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.error.hide()
        self.accept()

    def problem(self) -> str:
        """What keeps 确定 from going through, in words; "" when all is well."""
        return ""

    def value(self) -> Any:
        raise NotImplementedError

    def _text_box(self, placeholder: str = "", height: int = 96) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setPlaceholderText(placeholder)
        box.setTabChangesFocus(True)
        box.setMinimumHeight(height)
        return box


class ReasonDialog(ActionDialog):
    """One text: a reason (退回补正, 撤回, 重新办理, 驳回延期, 告知) or a result (办结)."""

    def __init__(self, parent: QWidget | None, title: str, label: str, *,
                 required: bool = True, placeholder: str = "") -> None:
        super().__init__(parent, title)
        self.label = label
        self.required = required
        self.text = self._text_box(placeholder)
        self.form.addRow(label + ("" if required else self.tr("（选填）")), self.text)
        self.text.setFocus()

    def problem(self) -> str:
        if self.required and not self.text.toPlainText().strip():
            return self.tr("请填写") + self.label
        return ""

    def value(self) -> str:
        return self.text.toPlainText().strip()


class ReplyDialog(ActionDialog):
    """回复/办结 (or 补正后重新提交): a text and files. Files are added to the local blob store
    in the background as they are chosen, so a large scan never freezes the window."""

    def __init__(self, parent: QWidget | None,
                 add_attachment: Callable[[Path], AttachmentRef], *,
                 title: str = "回复/办结", label: str = "回复内容") -> None:
        super().__init__(parent, title)
        self.label = label
        self.add_attachment = add_attachment
        self.files: list[AttachmentRef] = []
        self._adding = 0
        self.text = self._text_box(self.tr("写明办理结果或提供的材料"), height=120)
        self.file_list = QListWidget()
        self.file_list.setMaximumHeight(96)
        self.add_button = QPushButton(self.tr("添加附件…"))
        self.add_button.clicked.connect(self.choose)
        self.remove_button = QPushButton(self.tr("移除所选"))
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        hint = QLabel(self.tr("支持 %1，单个不超过 20 MB").replace("%1", tr(ACCEPTED_NAMES)))
        hint.setStyleSheet("color: #616161;")
        files = QVBoxLayout()
        files.addWidget(self.file_list)
        files.addLayout(row)
        files.addWidget(hint)
        self.form.addRow(label, self.text)
        self.form.addRow(self.tr("附件"), files)
        self.text.setFocus()

    def choose(self) -> None:
        for path in choose_files(self):
            self._adding += 1
            self.ok_button.setEnabled(False)
            self.error.setText(self.tr("正在添加 %1…").replace("%1", path.name))
            self.error.setStyleSheet("color: #616161;")
            self.error.show()
            run_in_background(lambda p=path: self.add_attachment(p), self._added, self._refused)

    def _added(self, ref: AttachmentRef) -> None:
        if not isValid(self):  # cancelled meanwhile: the copy in the blob store is harmless
            return
        if all(f.sha256 != ref.sha256 for f in self.files):
            self.files.append(ref)
            self.file_list.addItem(f"{ref.file_name}（{say(describe_size(ref.size))}）")
        self._one_done()
        if not self._adding:
            self.error.hide()

    def _refused(self, error: BaseException) -> None:
        if not isValid(self):
            return
        self._one_done()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(say(error.message) if isinstance(error, AttachmentError)
                           else str(error))
        self.error.show()

    def _one_done(self) -> None:
        self._adding -= 1
        self.ok_button.setEnabled(self._adding == 0)
        if not self._adding:
            self.error.setStyleSheet(ERROR_STYLE)

    def remove_selected(self) -> None:
        row = self.file_list.currentRow()
        if row >= 0:
            self.file_list.takeItem(row)
            del self.files[row]

    @property
    def adding(self) -> bool:
        return self._adding > 0

    def problem(self) -> str:
        if not self.text.toPlainText().strip():
            return self.tr("请填写") + self.label
        return ""

    def value(self) -> TextWithFiles:
        return TextWithFiles(self.text.toPlainText().strip(), tuple(self.files))


class ForwardDialog(ActionDialog):
    """转办: to which department, and why."""

    def __init__(self, parent: QWidget | None, departments: Sequence[tuple[str, str]]) -> None:
        super().__init__(parent, "转办")
        self.department = QComboBox()
        self.department.addItem(self.tr("请选择部门"), None)
        for code, name in departments:
            self.department.addItem(name, code)
        self.reason = self._text_box(self.tr("为什么应由该部门办理"))
        self.form.addRow(self.tr("转给"), self.department)
        self.form.addRow(self.tr("转办原因"), self.reason)
        self.department.setFocus()

    def problem(self) -> str:
        if self.department.currentData() is None:
            return self.tr("请选择转办给哪个部门")
        if not self.reason.toPlainText().strip():
            return self.tr("请填写转办原因")
        return ""

    def value(self) -> tuple[str, str]:
        return self.department.currentData(), self.reason.toPlainText().strip()


class ExtendDialog(ActionDialog):
    """申请延期: how many working hours more, and why."""

    def __init__(self, parent: QWidget | None, hours_per_day: float = 7.0) -> None:
        super().__init__(parent, "申请延期")
        self.hours = QSpinBox()
        self.hours.setRange(1, MAX_EXTENSION_HOURS)
        self.hours.setValue(int(hours_per_day))
        self.hours.setSuffix(self.tr(" 个工作小时"))
        per_day = QLabel(self.tr("（1 个工作日 = %1 小时）").replace("%1", f"{hours_per_day:g}"))
        per_day.setStyleSheet("color: #616161;")
        row = QHBoxLayout()
        row.addWidget(self.hours)
        row.addWidget(per_day)
        row.addStretch(1)
        self.reason = self._text_box(self.tr("为什么需要更多时间"))
        self.form.addRow(self.tr("延长"), row)
        self.form.addRow(self.tr("延期原因"), self.reason)
        self.reason.setFocus()

    def problem(self) -> str:
        return "" if self.reason.toPlainText().strip() else self.tr("请填写延期原因")

    def value(self) -> tuple[int, str]:
        return self.hours.value(), self.reason.toPlainText().strip()


class ConfirmDialog(ActionDialog):
    """确认并评价 (好差评), as the national 好差评 system rates: five levels (Alt+1 … Alt+5,
    or the arrow keys), the four standard indicators, a comment.

    The indicators say what the rating is about: for 不满意 or 非常不满意 what was
    unsatisfactory — the answering department's rectification is about exactly that — and
    for a good rating what was good. Their caption follows the level chosen. A bad rating
    needs its reason (the domain refuses it without); the hint beside the comment says so
    before 确定 does."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, "确认并评价")
        self.levels = QButtonGroup(self)
        column = QVBoxLayout()
        column.setSpacing(2)
        for count in sorted(Rating.LABELS, reverse=True):
            button = QRadioButton(f"{stars(count)}  {tr(Rating.LABELS[count])}(&{count})")
            self.levels.addButton(button, count)
            column.addWidget(button)
        self.levels.idToggled.connect(self._level_changed)
        self.indicators = {code: QCheckBox(tr(label))
                           for code, label in RATING_INDICATORS.items()}
        grid = QGridLayout()
        for i, box in enumerate(self.indicators.values()):
            grid.addWidget(box, i // 2, i % 2)
        self.aspects = QGroupBox(self.tr("评价涉及的方面（可多选）"))
        self.aspects.setLayout(grid)
        self.comment = self._text_box(self.tr("写明对办理结果的意见"), height=72)
        self.comment_label = QLabel(self.tr("评价意见（选填）"))
        hint = QLabel(self.tr("评为“不满意”或“非常不满意”时须写明原因：承办部门将据此整改，"
                              "并回访申请人。"))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        comment = QVBoxLayout()
        comment.addWidget(self.comment)
        comment.addWidget(hint)
        self.form.addRow(self.tr("满意程度"), column)
        self.form.addRow(self.aspects)
        self.form.addRow(self.comment_label, comment)
        self.levels.buttons()[0].setFocus()

    def _level_changed(self, _stars: int, checked: bool) -> None:
        if not checked:
            return
        if self.unsatisfied:
            self.aspects.setTitle(self.tr("不满意的方面（可多选）"))
            self.comment_label.setText(self.tr("不满意的原因（必填）"))
        else:
            self.aspects.setTitle(self.tr("满意的方面（可多选）"))
            self.comment_label.setText(self.tr("评价意见（选填）"))

    @property
    def stars(self) -> int:
        return self.levels.checkedId()

    @property
    def unsatisfied(self) -> bool:
        return self.stars in Rating.LABELS and Rating(self.stars).unsatisfied

    def problem(self) -> str:
        if self.stars not in Rating.LABELS:
            return self.tr("请选择满意程度")
        if self.unsatisfied and not self.comment.toPlainText().strip():
            return self.tr("评价为“%1”时，请写明不满意的原因").replace(
                "%1", tr(Rating.LABELS[self.stars]))
        return ""

    def value(self) -> Confirmation:
        ticked = tuple(code for code, box in self.indicators.items() if box.isChecked())
        return Confirmation(self.stars, self.comment.toPlainText().strip(), ticked)


class CallbackDialog(ActionDialog):
    """回访: what the citizen said when called back."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, "回访")
        self.outcomes = QButtonGroup(self)
        row = QHBoxLayout()
        self._codes = list(CALLBACK_OUTCOMES)
        for i, code in enumerate(self._codes):
            button = QRadioButton(tr(CALLBACK_OUTCOMES[code]))
            self.outcomes.addButton(button, i)
            row.addWidget(button)
        row.addStretch(1)
        self.note = self._text_box(self.tr("申请人的意见、联系情况"), height=72)
        self.form.addRow(self.tr("回访结果"), row)
        self.form.addRow(self.tr("回访记录（选填）"), self.note)

    def problem(self) -> str:
        return "" if self.outcomes.checkedId() >= 0 else self.tr("请选择回访结果")

    def value(self) -> tuple[str, str]:
        return self._codes[self.outcomes.checkedId()], self.note.toPlainText().strip()


class RectificationCallbackDialog(ActionDialog):
    """整改回访: what the department did about a bad rating, and the call to the citizen —
    who called (the user, unless someone else did), when (not before the rating, not in
    the future), and what the citizen said, which decides whether it is put right."""

    def __init__(self, parent: QWidget | None, *, caller: str, now: datetime,
                 opened_at: datetime, tz: ZoneInfo, measures: str = "") -> None:
        super().__init__(parent, "整改回访")
        self.tz = tz  # the hall's: the times are read and written as the hall's clocks say
        self.measures = self._text_box(self.tr("例如：约谈经办人，完善一次性告知清单"))
        self.measures.setPlainText(measures)  # a second call usually keeps the measures
        self.called_by = QLineEdit(caller)
        self.called_at = QDateTimeEdit()
        self.called_at.setTimeZone(QTimeZone(self.tz.key.encode()))
        self.called_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.called_at.setCalendarPopup(True)
        # whole seconds inside the allowed span: never a moment before the rating
        self.called_at.setMinimumDateTime(self._qt(math.ceil(opened_at.timestamp())))
        self.called_at.setMaximumDateTime(self._qt(math.floor(now.timestamp())))
        self.called_at.setDateTime(self.called_at.maximumDateTime())
        when_hint = QLabel(self.tr("差评时间 %1 之后，不晚于现在").replace(
            "%1", f"{opened_at.astimezone(self.tz):%m-%d %H:%M}"))
        when_hint.setProperty("role", "hint")
        when = QHBoxLayout()
        when.addWidget(self.called_at)
        when.addWidget(when_hint, 1)
        self.outcomes = QButtonGroup(self)
        row = QHBoxLayout()
        self._codes = list(CALLBACK_OUTCOMES)
        for i, code in enumerate(self._codes):
            button = QRadioButton(tr(CALLBACK_OUTCOMES[code]))
            self.outcomes.addButton(button, i)
            row.addWidget(button)
        row.addStretch(1)
        closes = [Text(CALLBACK_OUTCOMES[code]) for code in self._codes if code in CALLBACK_CLOSES]
        stays = [Text(CALLBACK_OUTCOMES[code]) for code in self._codes
                 if code not in CALLBACK_CLOSES]
        effect = QLabel(self.tr("%1：整改完成。%2：整改继续，须再次回访。")
                        .replace("%1", say(listing(closes))).replace("%2", say(listing(stays))))
        effect.setProperty("role", "hint")
        effect.setWordWrap(True)
        outcome = QVBoxLayout()
        outcome.addLayout(row)
        outcome.addWidget(effect)
        self.note = self._text_box(self.tr("申请人的意见、联系情况"), height=60)
        self.form.addRow(self.tr("整改措施"), self.measures)
        self.form.addRow(self.tr("回访人"), self.called_by)
        self.form.addRow(self.tr("回访时间"), when)
        self.form.addRow(self.tr("回访结果"), outcome)
        self.form.addRow(self.tr("回访记录（选填）"), self.note)
        self.measures.setFocus()

    def _qt(self, seconds: int) -> QDateTime:
        return QDateTime.fromSecsSinceEpoch(seconds, QTimeZone(self.tz.key.encode()))

    def problem(self) -> str:
        if not self.measures.toPlainText().strip():
            return self.tr("请填写整改措施")
        if not self.called_by.text().strip():
            return self.tr("请填写回访人")
        if self.outcomes.checkedId() < 0:
            return self.tr("请选择回访结果")
        return ""

    def value(self) -> CallbackRecord:
        called_at = datetime.fromtimestamp(self.called_at.dateTime().toSecsSinceEpoch(), self.tz)
        return CallbackRecord(self.measures.toPlainText().strip(), self.called_by.text().strip(),
                              called_at, self._codes[self.outcomes.checkedId()],
                              self.note.toPlainText().strip())


class DecideAppealDialog(ActionDialog):
    """申诉裁决 by the answering department's leader: the appeal holds (the rating is annulled)
    or not (the rectification goes on), with the reasons. Neither is chosen in advance."""

    UPHOLD = 1
    DISMISS = 0

    def __init__(self, parent: QWidget | None, appeal_reason: str) -> None:
        super().__init__(parent, "申诉裁决")
        reason = QLabel(appeal_reason)
        reason.setTextFormat(Qt.TextFormat.PlainText)
        reason.setWordWrap(True)
        self.verdicts = QButtonGroup(self)
        column = QVBoxLayout()
        for verdict, text, effect in (
                (self.UPHOLD, self.tr("申诉成立，撤销差评"),
                 self.tr("该差评作废：不计入统计，评价部门不能再据此重新办理。")),
                (self.DISMISS, self.tr("驳回申诉，继续整改"),
                 self.tr("差评有效：整改继续，期限不变。"))):
            button = QRadioButton(text)
            self.verdicts.addButton(button, verdict)
            hint = QLabel(effect)
            hint.setProperty("role", "hint")
            hint.setContentsMargins(22, 0, 0, 4)  # under the radio button's text
            column.addWidget(button)
            column.addWidget(hint)
        self.note = self._text_box(self.tr("写明核实的情况和裁决理由"), height=72)
        self.form.addRow(self.tr("申诉理由"), reason)
        self.form.addRow(self.tr("裁决"), column)
        self.form.addRow(self.tr("裁决意见"), self.note)
        self.verdicts.buttons()[0].setFocus()

    def problem(self) -> str:
        if self.verdicts.checkedId() < 0:
            return self.tr("请选择申诉是否成立")
        if not self.note.toPlainText().strip():
            return self.tr("请填写裁决意见")
        return ""

    def value(self) -> tuple[bool, str]:
        return self.verdicts.checkedId() == self.UPHOLD, self.note.toPlainText().strip()


class UrgeDialog(ActionDialog):
    """催办 (or 督办 by the receiving department's leader): an optional note."""

    def __init__(self, parent: QWidget | None, title: str = "催办") -> None:
        super().__init__(parent, title)
        self.note = self._text_box(self.tr("例如：申请人在窗口等候，请尽快办理"), height=72)
        self.form.addRow(self.tr("留言（选填）"), self.note)
        self.note.setFocus()

    def value(self) -> str:
        return self.note.toPlainText().strip()


__all__ = [
    "ActionDialog", "CallbackDialog", "CallbackRecord", "Confirmation", "ConfirmDialog",
    "DecideAppealDialog", "ExtendDialog", "ForwardDialog", "ReasonDialog",
    "RectificationCallbackDialog", "ReplyDialog", "TextWithFiles", "UrgeDialog", "choose_files",
    "stars",
]
