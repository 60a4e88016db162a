"""受理登记: the counter's intake form, with an optional 发起协同 to other departments.

Checks as the clerk types (ID number and phone), keeps a crash-proof draft in the encrypted
cache, registers through ``ctx.desk`` and then sends each collaboration request. One seam
for tests: :func:`choose_files` (the file dialog behind 添加…).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import intake
from app.domain.commands import MAX_TEXT
from app.domain.entities import AttachmentRef
from app.domain.enums import Category, Channel, RequestRole
from app.domain.errors import Rejected
from app.intake import MatterChoice
from app.services import AttachmentError
from app.text import day_and_time
from app.validation import (
    ID_LENGTH,
    id_number_problem,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)
from ui.context import UiContext
from ui.i18n import say, tr

DRAFT_DELAY_MS = 500
MAX_NAME = 50
FILE_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png *.ofd);;所有文件 (*)"
STYLE = """
    QLabel[role="error"] { color: #b71c1c; }
    QLabel[role="ok"] { color: #1b5e20; }
    QLabel[role="hint"] { color: #616161; }
    QLabel#notice { background: #e3f2fd; color: #0d47a1; padding: 6px 8px;
                    border: 1px solid #90caf9; border-radius: 3px; }
    QLabel#topError { background: #ffebee; color: #b71c1c; padding: 6px 8px;
                      border: 1px solid #ef9a9a; border-radius: 3px; }
    QLabel#expected { color: #0d47a1; font-weight: bold; }
"""


def choose_files(parent: QWidget | None) -> list[Path]:
    """The file dialog behind 添加…: the scanned files the clerk picked (maybe none)."""
    names, _ = QFileDialog.getOpenFileNames(parent, "添加附件", "", FILE_FILTER)
    return [Path(n) for n in names]


def _set_message(label: QLabel, text: str, role: str = "error") -> None:
    label.setProperty("role", role)
    label.setText(text)
    label.setVisible(bool(text))
    label.style().unpolish(label)
    label.style().polish(label)


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setProperty("role", "error")
    label.setMinimumWidth(180)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.hide()
    return label


def _local_files(mime) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size / 1024, 0.1):.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class AssistRow(QWidget):
    """One 协办 department: who, what they should provide, 删除."""

    changed = Signal()
    removed = Signal(object)

    def __init__(self, departments: list[tuple[str, str]], department: str = "",
                 needed: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.department = QComboBox()
        self.department.addItem(self.tr("请选择协办部门"), "")
        for code, name in departments:
            self.department.addItem(name, code)
        self.department.setCurrentIndex(max(self.department.findData(department), 0))
        self.needed = QLineEdit(needed)
        self.needed.setPlaceholderText(self.tr("需要对方提供的材料或意见"))
        self.remove = QPushButton(self.tr("删除"))
        self.remove.setToolTip(self.tr("不再向该部门发起协办"))
        self.error = _message_label()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.department, 0, 0)
        grid.addWidget(self.needed, 0, 1)
        grid.addWidget(self.remove, 0, 2)
        grid.addWidget(self.error, 1, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.department.setMinimumWidth(150)
        self.department.currentIndexChanged.connect(self.changed)
        self.needed.textChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.removed.emit(self))

    def value(self) -> dict[str, str]:
        return {"department": self.department.currentData() or "",
                "needed": self.needed.text().strip()}


class IntakeForm(QWidget):
    """受理登记. Emits ``registered(case_id)`` once a case is registered (and its requests
    sent); the form and the draft are then cleared."""

    registered = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.own_department = ctx.actor.department or ""
        self.matters: list[MatterChoice] = intake.catalogue(ctx.store, self.own_department)
        self.by_code = {m.code: m for m in self.matters}
        self.other_departments = [(code, name) for code, name in intake.departments(ctx.store)
                                  if code != self.own_department]
        self.department_names = dict(intake.departments(ctx.store))
        self.attachments: list[AttachmentRef] = []
        self.material_boxes: list[QCheckBox] = []
        self.assist_rows: list[AssistRow] = []
        self.last_case_id: str | None = None
        self._loading = False
        self.setAcceptDrops(True)
        self.setStyleSheet(STYLE)
        self._build()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self._clock = QTimer(self)  # the expected completion moves with the clock
        self._clock.setInterval(60_000)
        self._clock.timeout.connect(self._update_expected)
        self._clock.start()
        for widget in self.findChildren(QWidget):
            widget.installEventFilter(self)
        self._restore_draft()

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.receipt_button = QPushButton(self.tr("打印回执…"))
        self.receipt_button.hide()
        self.receipt_button.clicked.connect(self.show_receipt)
        self.discard_button = QPushButton(self.tr("放弃草稿"))
        self.discard_button.hide()
        self.discard_button.clicked.connect(self.discard_draft)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.receipt_button)
        notice_row.addWidget(self.discard_button)
        self.top_error = QLabel()
        self.top_error.setObjectName("topError")
        self.top_error.setWordWrap(True)
        self.top_error.hide()

        columns = QHBoxLayout()
        columns.addWidget(self._build_citizen(), 11)
        right = QVBoxLayout()
        right.addWidget(self._build_materials())
        right.addWidget(self._build_collaboration(), 1)
        columns.addLayout(right, 9)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(notice_row)
        content_layout.addWidget(self.top_error)
        content_layout.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.scroll = scroll

        self.clear_button = QPushButton(self.tr("清空表单"))
        self.clear_button.setToolTip(self.tr("清空所有已填内容（草稿一并删除）"))
        self.clear_button.clicked.connect(self.discard_draft)
        self.register_button = QPushButton(self.tr("受理登记"))
        self.register_button.setToolTip(self.tr("只登记办件，不发起协同"))
        self.register_button.clicked.connect(self.submit)
        self.collaborate_button = QPushButton(self.tr("受理并发起协同（Ctrl+Enter）"))
        self.collaborate_button.setToolTip(self.tr("登记办件，并向所选部门发送协同请求"))
        self.collaborate_button.clicked.connect(self.submit_and_collaborate)
        self.collaborate_button.setStyleSheet("font-weight: bold;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.collaborate_button)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        for keys in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.submit_and_collaborate)

    def _build_citizen(self) -> QGroupBox:
        box = QGroupBox(self.tr("申请人与事项"))
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        row = 0

        def add(label: str, field: QWidget, message: QLabel | None = None,
                align_top: bool = False) -> None:
            nonlocal row
            title = QLabel(label)
            title.setBuddy(field)
            flags = Qt.AlignmentFlag.AlignRight
            flags |= Qt.AlignmentFlag.AlignTop if align_top else Qt.AlignmentFlag.AlignVCenter
            grid.addWidget(title, row, 0, flags)
            if message is None:
                grid.addWidget(field, row, 1, 1, 2)
            else:
                grid.addWidget(field, row, 1)
                grid.addWidget(message, row, 2)
            row += 1

        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("与身份证件一致"))
        self.name_error = _message_label()
        add(self.tr("申请人姓名(&N)"), self.name, self.name_error)

        self.id_number = QLineEdit()
        self.id_number.setMaxLength(ID_LENGTH + 6)  # room for spaces typed between groups
        self.id_number.setPlaceholderText(self.tr("18位居民身份证号码"))
        self.id_message = _message_label()
        add(self.tr("身份证号(&I)"), self.id_number, self.id_message)

        self.phone = QLineEdit()
        self.phone.setMaxLength(24)
        self.phone.setPlaceholderText(self.tr("手机号，或带区号的座机号"))
        self.phone_message = _message_label()
        add(self.tr("联系电话(&P)"), self.phone, self.phone_message)

        self.matter = QComboBox()
        self.matter.setEditable(True)
        self.matter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.matter.setMaxVisibleItems(15)
        for choice in self.matters:
            self.matter.addItem(choice.label, choice.code)
            self.matter.setItemData(self.matter.count() - 1,
                                    f"{choice.code}　承诺时限：{self._promised(choice)}",
                                    Qt.ItemDataRole.ToolTipRole)
        completer = QCompleter(self.matter.model(), self.matter)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.matter.setCompleter(completer)
        self.matter.setCurrentIndex(-1)
        self.matter.lineEdit().setPlaceholderText(self.tr("输入事项名称搜索，或点右侧箭头选择"))
        self.matter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.matter.setMinimumContentsLength(18)
        self.matter_error = _message_label()
        add(self.tr("办理事项(&M)"), self.matter, self.matter_error)

        self.channel_group = QButtonGroup(self)
        channels = QHBoxLayout()
        for i, channel in enumerate(Channel):
            button = QRadioButton(tr(channel.label))
            self.channel_group.addButton(button, i)
            channels.addWidget(button)
        channels.addStretch(1)
        self.channel_group.button(0).setChecked(True)
        add(self.tr("受理渠道"), self._wrap(channels))

        self.category_group = QButtonGroup(self)
        categories = QHBoxLayout()
        for i, category in enumerate(Category):
            button = QRadioButton(tr(category.label))
            self.category_group.addButton(button, i)
            categories.addWidget(button)
        self.category_group.button(list(Category).index(Category.GENERAL)).setChecked(True)
        self.expected = QLabel()
        self.expected.setObjectName("expected")
        categories.addSpacing(12)
        categories.addWidget(self.expected)
        categories.addStretch(1)
        add(self.tr("办件类别"), self._wrap(categories))

        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("申请人的诉求、特殊情况等（选填）"))
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(76)
        self.description_error = _message_label()
        add(self.tr("情况说明(&D)"), self.description, self.description_error, align_top=True)

        attachments = QGridLayout()
        attachments.setContentsMargins(0, 0, 0, 0)
        self.attachment_list = QListWidget()
        self.attachment_list.setFixedHeight(72)
        self.attachment_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.attachment_list.setToolTip(self.tr("可把扫描件直接拖到表单上"))
        self.add_button = QPushButton(self.tr("添加…"))
        self.add_button.clicked.connect(self.add_from_dialog)
        self.remove_button = QPushButton(self.tr("移除"))
        self.remove_button.clicked.connect(self.remove_selected_attachments)
        attachments.addWidget(self.attachment_list, 0, 0, 3, 1)
        attachments.addWidget(self.add_button, 0, 1)
        attachments.addWidget(self.remove_button, 1, 1)
        attachments.setColumnStretch(0, 1)
        self.attachment_hint = QLabel(self.tr("PDF、JPG、PNG、OFD，可拖入"))
        self.attachment_hint.setProperty("role", "hint")
        self.attachment_error = _message_label()
        messages = QVBoxLayout()
        messages.setContentsMargins(0, 0, 0, 0)
        messages.addWidget(self.attachment_hint)
        messages.addWidget(self.attachment_error)
        messages.addStretch(1)
        grid.addWidget(QLabel(self.tr("附件")), row, 0,
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._wrap(attachments), row, 1)
        grid.addWidget(self._wrap(messages), row, 2)
        row += 1
        grid.setRowStretch(row, 1)

        self.name.textChanged.connect(self._changed)
        self.name.textEdited.connect(lambda: _set_message(self.name_error, ""))
        self.id_number.textEdited.connect(self._id_edited)
        self.id_number.textChanged.connect(self._changed)
        self.phone.textEdited.connect(self._phone_edited)
        self.phone.textChanged.connect(self._changed)
        self.matter.currentIndexChanged.connect(self._matter_changed)
        self.matter.editTextChanged.connect(self._changed)
        self.channel_group.idToggled.connect(self._changed)
        self.category_group.idToggled.connect(self._category_toggled)
        self.description.textChanged.connect(self._changed)
        return box

    def _build_materials(self) -> QGroupBox:
        box = QGroupBox(self.tr("所需材料（勾选 = 已收取）"))
        self.materials_layout = QVBoxLayout(box)
        self.materials_layout.setSpacing(2)
        self.materials_empty = QLabel(self.tr("选择事项后显示该事项的材料清单"))
        self.materials_empty.setProperty("role", "hint")
        self.materials_layout.addWidget(self.materials_empty)
        self.materials_summary = QLabel()
        self.materials_summary.setProperty("role", "hint")
        self.all_received = QPushButton(self.tr("全部已收"))
        self.all_received.clicked.connect(lambda: self._tick_all(True))
        summary = QHBoxLayout()
        summary.addWidget(self.materials_summary, 1)
        summary.addWidget(self.all_received)
        self.materials_layout.addLayout(summary)
        self.materials_summary.hide()
        self.all_received.hide()
        return box

    def _build_collaboration(self) -> QGroupBox:
        box = QGroupBox(self.tr("发起协同（点“受理并发起协同”时发送）"))
        layout = QVBoxLayout(box)
        lead = QGridLayout()
        lead.addWidget(QLabel(self.tr("主办部门")), 0, 0)
        self.lead_department = QComboBox()
        self.lead_department.addItem(self.tr("不指定（本部门主办）"), "")
        for code, name in self.other_departments:
            self.lead_department.addItem(name, code)
        self.lead_department.setMinimumWidth(150)
        self.lead_needed = QLineEdit()
        self.lead_needed.setPlaceholderText(self.tr("需要主办部门提供/办理的内容"))
        self.lead_error = _message_label()
        lead.addWidget(self.lead_department, 0, 1)
        lead.addWidget(self.lead_needed, 0, 2)
        lead.addWidget(self.lead_error, 1, 1, 1, 2)
        lead.setColumnStretch(2, 1)
        layout.addLayout(lead)
        layout.addWidget(QLabel(self.tr("协办部门")))
        self.assist_box = QVBoxLayout()
        self.assist_box.setSpacing(4)
        layout.addLayout(self.assist_box)
        self.add_assist_button = QPushButton(self.tr("＋ 添加协办部门"))
        self.add_assist_button.clicked.connect(lambda: self.add_assist_row(focus=True))
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_assist_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)
        self.collab_error = _message_label()
        layout.addWidget(self.collab_error)
        layout.addStretch(1)
        self.lead_department.currentIndexChanged.connect(self._lead_changed)
        self.lead_needed.textChanged.connect(self._changed)
        return box

    @staticmethod
    def _wrap(layout) -> QWidget:
        widget = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        widget.setLayout(layout)
        return widget

    @staticmethod
    def _promised(choice: MatterChoice) -> str:
        days = choice.promised_working_days
        return f"{intake.format_days(days)}个工作日" if days else "会商确定"

    # -- reading the form ------------------------------------------------------------------

    def current_matter(self) -> MatterChoice | None:
        """The chosen matter, only if the combo's text is exactly one of the catalogue's."""
        text = self.matter.currentText().strip()
        index = self.matter.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0 or not text:
            return None
        return self.by_code.get(self.matter.itemData(index))

    def select_matter(self, code: str) -> None:
        self.matter.setCurrentIndex(self.matter.findData(code))

    def channel(self) -> Channel:
        return list(Channel)[max(self.channel_group.checkedId(), 0)]

    def set_channel(self, channel: Channel | str) -> None:
        self.channel_group.button(list(Channel).index(Channel(channel))).setChecked(True)

    def category(self) -> Category:
        return list(Category)[max(self.category_group.checkedId(), 0)]

    def set_category(self, category: Category | str) -> None:
        self.category_group.button(list(Category).index(Category(category))).setChecked(True)

    def received_materials(self) -> list[str]:
        return [box.text() for box in self.material_boxes if box.isChecked()]

    def lead(self) -> dict[str, str] | None:
        code = self.lead_department.currentData() or ""
        if not code:
            return None
        return {"department": code, "needed": self.lead_needed.text().strip()}

    def set_lead(self, department: str, needed: str | None = None) -> None:
        """Choose the lead department; ``needed`` None keeps (or takes over) its text."""
        self.lead_department.setCurrentIndex(max(self.lead_department.findData(department), 0))
        if needed is not None:
            self.lead_needed.setText(needed)

    def draft(self) -> dict[str, Any]:
        matter = self.current_matter()
        return {
            "version": 1,
            "saved_at": self.ctx.now().isoformat(),
            "citizen_name": self.name.text(),
            "citizen_id_number": self.id_number.text(),
            "citizen_phone": self.phone.text(),
            "matter_code": matter.code if matter else "",
            "matter_text": self.matter.currentText(),
            "received": self.received_materials(),
            "channel": self.channel().value,
            "category": self.category().value,
            "description": self.description.toPlainText(),
            "attachments": [{"sha256": a.sha256, "file_name": a.file_name, "size": a.size,
                             "mime": a.mime} for a in self.attachments],
            "lead": self.lead(),
            "lead_needed": self.lead_needed.text(),
            "assisting": [row.value() for row in self.assist_rows],
        }

    def is_blank(self) -> bool:
        return not (self.name.text().strip() or self.id_number.text().strip()
                    or self.phone.text().strip() or self.matter.currentText().strip()
                    or self.description.toPlainText().strip() or self.attachments)

    # -- the draft -------------------------------------------------------------------------

    def _changed(self, *_args) -> None:
        if not self._loading:
            self._draft_timer.start()

    def save_draft_now(self) -> None:
        self._draft_timer.stop()
        if self.is_blank():
            intake.clear_draft(self.ctx.store)
        else:
            intake.save_draft(self.ctx.store, self.draft())

    def _restore_draft(self) -> None:
        draft = intake.load_draft(self.ctx.store)
        if not draft:
            return
        self._loading = True
        try:
            self.name.setText(draft.get("citizen_name", ""))
            self.id_number.setText(draft.get("citizen_id_number", ""))
            self.phone.setText(draft.get("citizen_phone", ""))
            code = draft.get("matter_code") or ""
            if code in self.by_code:
                self.select_matter(code)
            else:
                self.matter.setEditText(draft.get("matter_text", ""))
            received = set(draft.get("received") or ())
            for box in self.material_boxes:
                box.setChecked(box.text() in received)
            self._update_summary()
            try:
                self.set_channel(draft.get("channel") or Channel.WINDOW)
                self.set_category(draft.get("category") or Category.GENERAL)
            except ValueError:
                pass
            self.description.setPlainText(draft.get("description", ""))
            self.attachments = []
            for ref in draft.get("attachments") or ():
                try:
                    self.attachments.append(AttachmentRef(**ref))
                except TypeError:
                    continue
            self._show_attachments()
            lead = draft.get("lead") or {}
            self.set_lead(lead.get("department", ""),
                          lead.get("needed", draft.get("lead_needed", "")))
            self._clear_assist_rows()
            for row in draft.get("assisting") or ():
                self.add_assist_row(row.get("department", ""), row.get("needed", ""))
        finally:
            self._loading = False
        self._update_expected()
        for field, message, check in ((self.id_number, self.id_message, self._id_problem),
                                      (self.phone, self.phone_message, phone_problem)):
            if field.text().strip():
                self._show_check(message, check(field.text()))
        saved = draft.get("saved_at", "")
        when = ""
        try:
            moment = datetime.fromisoformat(saved).astimezone(intake.hall_timezone(
                self.ctx.store))
            when = self.tr("（%1 自动保存）").replace("%1", say(day_and_time(moment)))
        except (TypeError, ValueError):
            pass
        self._notify(self.tr("已恢复上次未提交的登记") + when + self.tr("，请核对后继续。"),
                     discard=True)

    def discard_draft(self) -> None:
        self.clear_form()
        intake.clear_draft(self.ctx.store)
        self._notify("")
        self.start_new()

    # -- live checks -----------------------------------------------------------------------

    def _id_problem(self, text: str) -> str | None:
        return id_number_problem(text, today=self.ctx.now())

    def _show_check(self, label: QLabel, problem: str | None) -> None:
        if problem:
            _set_message(label, say(problem), "error")
        else:
            _set_message(label, self.tr("✓ 有效"), "ok")

    def _id_edited(self, text: str) -> None:
        if len(normalize_id_number(text)) >= ID_LENGTH:
            self._show_check(self.id_message, self._id_problem(text))
        else:
            _set_message(self.id_message, "")  # still typing: don't nag

    def _phone_edited(self, text: str) -> None:
        if sum(ch.isdigit() for ch in normalize_phone(text)) >= 11:
            self._show_check(self.phone_message, phone_problem(text))
        else:
            _set_message(self.phone_message, "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            if watched is self.id_number and self.id_number.text().strip():
                self._show_check(self.id_message, self._id_problem(self.id_number.text()))
            elif watched is self.phone and self.phone.text().strip():
                self._show_check(self.phone_message, phone_problem(self.phone.text()))
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if _local_files(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            files = _local_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                self.add_files(files)
                return True
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if _local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if _local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        files = _local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.add_files(files)
        else:
            super().dropEvent(event)

    # -- matter, materials, category -------------------------------------------------------

    def _matter_changed(self, _index: int) -> None:
        matter = self.current_matter()
        self._build_material_boxes(matter)
        self._show_matter_hint()
        if matter is not None and not self._loading:
            self.set_category(matter.default_category)
            self._prefill_collaborations(matter)
        self._update_expected()
        self._changed()

    def _show_matter_hint(self) -> None:
        matter = self.current_matter()
        text = "" if matter is None else self.tr("承诺时限：%s；默认%s件") % (
            self._promised(matter), tr(matter.default_category.label))
        _set_message(self.matter_error, text, "hint")

    def _build_material_boxes(self, matter: MatterChoice | None) -> None:
        for box in self.material_boxes:
            self.materials_layout.removeWidget(box)
            box.hide()
            box.deleteLater()
        self.material_boxes = []
        materials = matter.materials if matter else ()
        for i, name in enumerate(materials):
            box = QCheckBox(name)
            box.toggled.connect(self._material_toggled)
            box.installEventFilter(self)
            self.materials_layout.insertWidget(i, box)
            self.material_boxes.append(box)
        self.materials_empty.setVisible(not materials)
        self.materials_empty.setText(self.tr("该事项无需提交材料") if matter
                                     else self.tr("选择事项后显示该事项的材料清单"))
        self.materials_summary.setVisible(bool(materials))
        self.all_received.setVisible(bool(materials))
        self._update_summary()

    def _material_toggled(self, _checked: bool) -> None:
        self._update_summary()
        self._changed()

    def _tick_all(self, checked: bool) -> None:
        for box in self.material_boxes:
            box.setChecked(checked)

    def _update_summary(self) -> None:
        total = len(self.material_boxes)
        got = len(self.received_materials())
        if total == got:
            text = self.tr("已收 %d/%d，材料齐全") % (got, total)
        else:
            text = self.tr("已收 %d/%d，尚缺 %d 件（回执上会列出）") % (got, total, total - got)
        self.materials_summary.setText(text)

    def _category_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update_expected()
            self._changed()

    def _update_expected(self) -> None:
        self.expected.setText(say(intake.completion_text(self.ctx.store, self.category(),
                                                         self.ctx.now())))

    # -- collaboration ---------------------------------------------------------------------

    def add_assist_row(self, department: str = "", needed: str = "",
                       focus: bool = False) -> AssistRow:
        row = AssistRow(self.other_departments, department, needed)
        row.changed.connect(self._changed)
        row.removed.connect(self._remove_assist_row)
        self.assist_box.addWidget(row)
        self.assist_rows.append(row)
        for widget in (row, *row.findChildren(QWidget)):
            widget.installEventFilter(self)
        if focus:
            row.department.setFocus()
        self._changed()
        return row

    def _remove_assist_row(self, row: AssistRow) -> None:
        if row in self.assist_rows:
            self.assist_rows.remove(row)
            self.assist_box.removeWidget(row)
            row.hide()
            row.deleteLater()
            self._changed()

    def _clear_assist_rows(self) -> None:
        for row in list(self.assist_rows):
            self._remove_assist_row(row)

    def _prefill_collaborations(self, matter: MatterChoice) -> None:
        self.set_lead("", "")
        self._clear_assist_rows()
        for c in matter.collaborations:
            if c.department == self.own_department:
                continue
            if c.role is RequestRole.LEAD and self.lead() is None:
                self.set_lead(c.department, c.needed)
            else:
                self.add_assist_row(c.department, c.needed)
        _set_message(self.collab_error, "")
        _set_message(self.lead_error, "")

    def _lead_changed(self, _index: int) -> None:
        code = self.lead_department.currentData() or ""
        if code and not self._loading:
            # The lead was listed as assisting: it moves up, with what it should provide.
            for row in list(self.assist_rows):
                if row.value()["department"] == code:
                    if not self.lead_needed.text().strip():
                        self.lead_needed.setText(row.needed.text())
                    self._remove_assist_row(row)
        _set_message(self.lead_error, "")
        self._changed()

    # -- attachments -----------------------------------------------------------------------

    def add_from_dialog(self) -> None:
        files = choose_files(self)
        if files:
            self.add_files(files)

    def add_files(self, paths: list[Path]) -> list[AttachmentRef]:
        """Attach files through the desk; refused ones are told beside the list."""
        added, problems = [], []
        for path in paths:
            try:
                ref = self.ctx.desk.add_attachment(Path(path))
            except AttachmentError as err:
                problems.append(say(err.message))
                continue
            except OSError as err:
                problems.append(self.tr("无法读取文件 %s（%s）") % (Path(path).name,
                                                                  err.strerror or err))
                continue
            if all(a.sha256 != ref.sha256 for a in self.attachments):
                self.attachments.append(ref)
                added.append(ref)
        self._show_attachments()
        _set_message(self.attachment_error, "\n".join(problems))
        if added:
            self._changed()
        return added

    def remove_selected_attachments(self) -> None:
        rows = sorted((self.attachment_list.row(i) for i in
                       self.attachment_list.selectedItems()), reverse=True)
        for row in rows:
            del self.attachments[row]
        self._show_attachments()
        self._changed()

    def _show_attachments(self) -> None:
        self.attachment_list.clear()
        for ref in self.attachments:
            item = QListWidgetItem(f"{ref.file_name}（{_size_text(ref.size)}）")
            item.setToolTip(ref.sha256)
            self.attachment_list.addItem(item)
        self.remove_button.setEnabled(bool(self.attachments))

    # -- submitting ------------------------------------------------------------------------

    def validate(self, collaborate: bool) -> dict[str, str]:
        """Every problem of the form, by field; each is shown beside its field."""
        problems: dict[str, str] = {}
        name = self.name.text().strip()
        if not name:
            problems["name"] = self.tr("请填写申请人姓名")
        id_problem = self._id_problem(self.id_number.text())
        if id_problem:
            problems["id_number"] = say(id_problem)
        phone = phone_problem(self.phone.text())
        if phone:
            problems["phone"] = say(phone)
        if self.current_matter() is None:
            problems["matter"] = (self.tr("事项清单中没有“%s”，请从列表中选择")
                                  % self.matter.currentText().strip()
                                  if self.matter.currentText().strip()
                                  else self.tr("请选择办理事项"))
        if len(self.description.toPlainText()) > MAX_TEXT:
            problems["description"] = self.tr("情况说明最多 %d 字") % MAX_TEXT
        if collaborate:
            problems.update(self._collaboration_problems())
        return problems

    def _collaboration_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        lead = self.lead()
        if lead is not None and not lead["needed"]:
            problems["lead"] = self.tr("请填写需要主办部门提供的内容")
        seen = {lead["department"]} if lead else set()
        for i, row in enumerate(self.assist_rows):
            value = row.value()
            if not value["department"]:
                problems[f"assist:{i}"] = self.tr("请选择协办部门，或删除这一行")
            elif value["department"] in seen:
                problems[f"assist:{i}"] = self.tr("%s 已在协同部门中，请勿重复") % \
                    self.department_names.get(value["department"], value["department"])
            elif not value["needed"]:
                problems[f"assist:{i}"] = self.tr("请填写需要该部门提供的内容")
            seen.add(value["department"])
        if lead is None and not self.assist_rows:
            problems["collaboration"] = self.tr("请至少选择一个主办或协办部门；"
                                                "不需要协同时请点“受理登记”")
        return problems

    def _show_problems(self, problems: dict[str, str]) -> None:
        fields = {"name": self.name_error, "id_number": self.id_message,
                  "phone": self.phone_message, "matter": self.matter_error,
                  "description": self.description_error, "lead": self.lead_error,
                  "collaboration": self.collab_error}
        for key, label in fields.items():
            if key in problems:
                _set_message(label, problems[key], "error")
            elif key == "matter":
                self._show_matter_hint()
            elif key in ("id_number", "phone"):
                field = self.id_number if key == "id_number" else self.phone
                if field.text().strip():
                    _set_message(label, self.tr("✓ 有效"), "ok")
            else:
                _set_message(label, "")
        for i, row in enumerate(self.assist_rows):
            _set_message(row.error, problems.get(f"assist:{i}", ""))

    def _focus_first(self, problems: dict[str, str]) -> None:
        order = [("name", self.name), ("id_number", self.id_number), ("phone", self.phone),
                 ("matter", self.matter), ("description", self.description),
                 ("lead", self.lead_needed), ("collaboration", self.lead_department)]
        order += [(f"assist:{i}", row.department) for i, row in enumerate(self.assist_rows)]
        for key, widget in order:
            if key in problems:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def submit(self) -> str | None:
        """受理登记: register the case only."""
        return self._submit(collaborate=False)

    def submit_and_collaborate(self) -> str | None:
        """受理并发起协同: register, then send the lead and each assisting request."""
        return self._submit(collaborate=True)

    def _submit(self, collaborate: bool) -> str | None:
        self._show_top_error("")
        problems = self.validate(collaborate)
        self._show_problems(problems)
        if problems:
            self._show_top_error(self.tr("有 %d 处需要修改，请按红色提示更正后再提交"
                                         "（已填内容均已保留）") % len(problems))
            self._focus_first(problems)
            return None
        matter = self.current_matter()
        assert matter is not None
        attachments = tuple(a.sha256 for a in self.attachments)
        try:
            case_id = self.ctx.desk.register_case(
                matter_code=matter.code,
                citizen_name=self.name.text().strip(),
                citizen_id_number=normalize_id_number(self.id_number.text()),
                citizen_phone=normalize_phone(self.phone.text()),
                channel=self.channel().value,
                category=self.category().value,
                description=self.description.toPlainText().strip(),
                attachments=attachments,
            )
        except Rejected as rejected:
            self._show_rejected(rejected)
            return None
        intake.record_received(self.ctx.store, case_id, self.received_materials())
        sent, failed = [], []
        if collaborate:
            requests = ([(RequestRole.LEAD, self.lead())] if self.lead() else [])
            requests += [(RequestRole.ASSISTING, row.value()) for row in self.assist_rows]
            for role, value in requests:
                name = self.department_names.get(value["department"], value["department"])
                try:
                    self.ctx.desk.send_request(
                        case_id, to_department=value["department"], role=role.value,
                        subject=f"{matter.name}（{role.label}）", needed=value["needed"],
                        attachments=attachments)
                except Rejected as rejected:
                    failed.append(f"{name}：{say(rejected.message)}")
                else:
                    sent.append(f"{name}（{role.label}）")
        self.last_case_id = case_id
        number = self._case_number(case_id)
        self.clear_form()
        intake.clear_draft(self.ctx.store)
        text = self.tr("已受理：%s（%s）。") % (number, matter.name)
        if sent:
            text += self.tr("已向 %s 发起协同。") % "、".join(sent)
        self._notify(text, receipt=True)
        if failed:
            self._show_top_error(self.tr("办件已受理，但以下协同请求未发出，请在办件中补发：")
                                 + "；".join(failed))
        self.registered.emit(case_id)
        self.start_new()
        return case_id

    def _case_number(self, case_id: str) -> str:
        try:
            return intake.receipt_data(self.ctx.store, case_id, self.ctx.actor,
                                       self.ctx.now()).number
        except intake.ReceiptNotFound:
            return case_id

    def _show_rejected(self, rejected: Rejected) -> None:
        message = rejected.message
        target = None
        if rejected.reason == "invalid_citizen":
            if message == self._id_problem(self.id_number.text()):
                target = self.id_message
            elif message == phone_problem(self.phone.text()):
                target = self.phone_message
        elif rejected.reason == "unknown_matter":
            target = self.matter_error
        elif "申请人姓名" in message:
            target = self.name_error
        if target is not None:
            _set_message(target, say(message), "error")
            self._show_top_error(self.tr("未能受理，请按红色提示更正（已填内容均已保留）"))
        else:
            self._show_top_error(self.tr("未能受理：%s") % say(message))

    def _show_top_error(self, text: str) -> None:
        self.top_error.setText(text)
        self.top_error.setVisible(bool(text))

    def _notify(self, text: str, *, receipt: bool = False, discard: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.receipt_button.setVisible(bool(text) and receipt)
        self.discard_button.setVisible(bool(text) and discard)

    def clear_form(self) -> None:
        """Back to an empty form (the channel stays: a counter's channel rarely changes)."""
        self._draft_timer.stop()
        self._loading = True
        try:
            for field in (self.name, self.id_number, self.phone):
                field.clear()
            self.matter.setCurrentIndex(-1)
            self.matter.setEditText("")
            self._build_material_boxes(None)
            self.set_category(Category.GENERAL)
            self.description.clear()
            self.attachments = []
            self._show_attachments()
            self.set_lead("", "")
            self._clear_assist_rows()
        finally:
            self._loading = False
        self._draft_timer.stop()
        for label in (self.name_error, self.id_message, self.phone_message, self.matter_error,
                      self.description_error, self.attachment_error, self.lead_error,
                      self.collab_error):
            _set_message(label, "")
        self._show_top_error("")
        self._update_expected()

    def start_new(self) -> None:
        """F2: start (or continue) a registration at the first field."""
        self.scroll.ensureWidgetVisible(self.name)
        self.name.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.name.selectAll()

    def show_receipt(self) -> None:
        from ui.receipt import ReceiptDialog

        if self.last_case_id is None:
            return
        try:
            receipt = intake.receipt_data(self.ctx.store, self.last_case_id, self.ctx.actor,
                                          self.ctx.now())
        except intake.ReceiptNotFound as err:
            self._show_top_error(say(err.args[0]))
            return
        ReceiptDialog(receipt, self).exec()
