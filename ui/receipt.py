"""受理回执: the receipt handed to the citizen, previewed, printed (A4 or an 80 mm receipt
printer) or saved as PDF. An official document for a Chinese citizen: what it says stays
Chinese in every UI language (only this dialog's own controls are translated).

Two seams for tests: :func:`ask_printer` (the print dialog) and :func:`choose_pdf_path`
(the save dialog)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.intake import Receipt
from ui.style import FONT_FAMILY

WIDTHS = {"a4": "A4 纸", "narrow": "80mm 小票"}
NARROW_PAPER_MM = 80.0
NARROW_MARGIN_MM = 4.0
A4_MARGIN_MM = 18.0
NARROW_PREVIEW_PX = 300  # about 80 mm on a 96-dpi screen
TIP = "温馨提示：请妥善保管本回执，凭受理编号查询办理进度、领取办理结果。"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _when(moment) -> str:
    return f"{moment:%Y年}{moment.month}月{moment.day}日 {moment:%H:%M}"


def _materials(receipt: Receipt) -> list[tuple[str, tuple[str, ...], str]]:
    """(heading, items, text when empty) blocks of the material lists."""
    if not receipt.materials_recorded:
        return [("所需材料", receipt.received, "本事项无需提交材料")]
    return [
        (f"已收取材料（{len(receipt.received)}件）", receipt.received, "未收取材料"),
        (f"尚需补交材料（{len(receipt.missing)}件）", receipt.missing, "材料齐全，无需补交"),
    ]


def render_receipt_html(receipt: Receipt, width: str = "a4") -> str:
    """The receipt as HTML for QTextDocument (its HTML subset): ``a4`` a bordered table,
    ``narrow`` one column for an 80 mm receipt printer."""
    if width not in WIDTHS:
        raise ValueError(f"width must be one of {sorted(WIDTHS)}, got {width!r}")
    number = ("受理编号", f"<b>{_e(receipt.number)}</b>")
    registered = ("受理时间", _e(_when(receipt.registered_at)))
    citizen = ("申请人", _e(receipt.citizen_name))
    id_number = ("身份证号", _e(receipt.citizen_id_masked))
    phone = ("联系电话", _e(receipt.citizen_phone_masked))
    channel = ("受理渠道", _e(receipt.channel_label))
    matter = ("办理事项", _e(receipt.matter_name))
    category = ("办件类别", _e(receipt.category_label))
    due = ("预计办结", f"<b>{_e(receipt.due_text)}</b>")
    clerk = ("受理人", _e(receipt.clerk_name))
    window = ("受理窗口", _e(receipt.window_name))
    title = f"{_e(receipt.department_name)}<br/>受理回执" if width == "narrow" \
        else f"{_e(receipt.department_name)} 受理回执"
    parts = []
    if width == "a4":
        # two label/value pairs a row; a row of one pair spans the table
        grid = [(number, registered), (citizen, id_number), (phone, channel),
                (matter, category), (due,), (clerk, window)]
        parts.append(f'<h2 align="center" style="font-size:18pt">{title}</h2>')
        parts.append('<table width="100%" border="1" cellspacing="0" cellpadding="6" '
                     'style="border-collapse:collapse; border-color:#444; font-size:11pt">')
        for pairs in grid:
            cells = "".join(f'<td width="14%" bgcolor="#f0f0f0"><b>{label}</b></td>'
                            f'<td width="36%">{value}</td>' for label, value in pairs)
            if len(pairs) == 1:
                cells = (f'<td width="14%" bgcolor="#f0f0f0"><b>{pairs[0][0]}</b></td>'
                         f'<td colspan="3">{pairs[0][1]}</td>')
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
        for heading, items, empty in _materials(receipt):
            parts.append(f'<h3 style="font-size:12pt">{_e(heading)}</h3>')
            if items:
                parts.append('<ol style="font-size:11pt">'
                             + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ol>")
            else:
                parts.append(f'<p style="font-size:11pt">{_e(empty)}</p>')
        parts.append(f'<p style="font-size:11pt"><b>{_e(receipt.inquiry)}</b></p>')
        parts.append(f'<p style="font-size:10pt; color:#444">{_e(TIP)}</p>')
        parts.append('<table width="100%" cellpadding="4" style="font-size:11pt; '
                     'margin-top:18px"><tr><td width="50%">申请人签收：</td>'
                     '<td width="50%">受理窗口（盖章）：</td></tr></table>')
        parts.append(f'<p align="right" style="font-size:9pt; color:#666; margin-top:24px">'
                     f'打印时间：{_e(_when(receipt.printed_at))}</p>')
    else:
        rule = '<hr style="margin:0"/>'
        parts.append(f'<p align="center" style="font-size:12pt"><b>{title}</b></p>')
        parts.append(rule)
        parts.append('<table width="100%" cellspacing="0" cellpadding="1" '
                     'style="font-size:8pt">')
        for label, value in (number, matter, citizen, id_number, phone, channel, category,
                             registered, due, clerk, window):
            parts.append(f'<tr><td width="24%" valign="top">{label}</td>'
                         f'<td valign="top">{value}</td></tr>')
        parts.append("</table>")
        for heading, items, empty in _materials(receipt):
            parts.append(rule)
            parts.append(f'<p style="font-size:8pt; margin-top:2px"><b>{_e(heading)}</b><br/>')
            if items:
                parts.append("<br/>".join(f"{n}. {_e(x)}" for n, x in enumerate(items, 1)))
            else:
                parts.append(_e(empty))
            parts.append("</p>")
        parts.append(rule)
        parts.append(f'<p style="font-size:8pt"><b>{_e(receipt.inquiry)}</b></p>')
        parts.append(f'<p style="font-size:7pt">{_e(TIP)}<br/>'
                     f'打印时间：{_e(_when(receipt.printed_at))}</p>')
    return ("<html><head><meta charset='utf-8'/></head><body>" + "\n".join(parts)
            + "</body></html>")


def _font() -> QFont:
    font = QFont()
    for family in (FONT_FAMILY, "Microsoft YaHei", "PingFang SC"):
        if family in QFontDatabase.families():
            font = QFont(family)
            break
    font.setPointSize(10)
    return font


def make_document(receipt: Receipt, width: str = "a4") -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(_font())
    document.setDocumentMargin(0)
    document.setHtml(render_receipt_html(receipt, width))
    return document


def _printer_document(receipt: Receipt, width: str, printer: QPrinter) -> QTextDocument:
    """The receipt laid out at the printer's resolution, one page the printable area."""
    document = make_document(receipt, width)
    document.documentLayout().setPaintDevice(printer)  # points and paddings at printer dpi
    area = printer.pageRect(QPrinter.Unit.DevicePixel)
    document.setPageSize(QSizeF(area.width(), area.height()))
    return document


def _layout(paper: QPageSize, margin_mm: float) -> QPageLayout:
    margins = QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm)
    return QPageLayout(paper, QPageLayout.Orientation.Portrait, margins,
                       QPageLayout.Unit.Millimeter)


def setup_printer(printer: QPrinter, receipt: Receipt, width: str) -> None:
    """Paper and margins for the layout; an 80 mm roll is cut as long as the receipt."""
    if width != "narrow":
        printer.setPageLayout(_layout(QPageSize(QPageSize.PageSizeId.A4), A4_MARGIN_MM))
        return
    printer.setPageLayout(_layout(QPageSize(QSizeF(NARROW_PAPER_MM, 1000),
                                            QPageSize.Unit.Millimeter, "80mm"),
                                  NARROW_MARGIN_MM))
    document = _printer_document(receipt, width, printer)
    document.setPageSize(QSizeF(document.pageSize().width(), 1e9))  # one endless page
    height_mm = document.size().height() / printer.resolution() * 25.4
    length = max(height_mm + 2 * NARROW_MARGIN_MM + 2, 60.0)
    printer.setPageLayout(_layout(QPageSize(QSizeF(NARROW_PAPER_MM, length),
                                            QPageSize.Unit.Millimeter, "80mm"),
                                  NARROW_MARGIN_MM))


def print_receipt(receipt: Receipt, printer: QPrinter, width: str = "a4") -> int:
    """Print on a printer already chosen (and set up by :func:`setup_printer`); returns
    the number of pages. Painted page by page, without Qt's default margins and page
    numbers."""
    document = _printer_document(receipt, width, printer)
    page = document.pageSize()
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"无法打开打印机 {printer.printerName() or printer.outputFileName()}")
    try:
        for index in range(pages):
            if index:
                printer.newPage()
            painter.save()
            painter.translate(0, -index * page.height())
            document.drawContents(painter, QRectF(0, index * page.height(),
                                                  page.width(), page.height()))
            painter.restore()
    finally:
        painter.end()
    return pages


def print_to_pdf(receipt: Receipt, path: Path | str, width: str = "a4") -> Path:
    """The receipt as a PDF file at ``path``."""
    path = Path(path)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(f"受理回执 {receipt.number}")
    printer.setCreator("一窗协同 WindowDesk")
    setup_printer(printer, receipt, width)
    print_receipt(receipt, printer, width)
    return path


# -- seams -----------------------------------------------------------------------------------


def ask_printer(parent: QWidget | None, printer: QPrinter) -> bool:
    """The print dialog; True when the clerk chose a printer and pressed 打印."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印受理回执")
    return dialog.exec() == QDialog.DialogCode.Accepted


def choose_pdf_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """The save dialog for 另存为PDF; None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, "另存为PDF", str(suggested),
                                          "PDF 文件 (*.pdf)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


# -- the dialog ------------------------------------------------------------------------------


class ReceiptDialog(QDialog):
    """Preview of a receipt with 打印… and 另存为PDF…, in A4 or 80 mm layout."""

    def __init__(self, receipt: Receipt, parent: QWidget | None = None,
                 width: str = "a4") -> None:
        super().__init__(parent)
        self.receipt = receipt
        self.setWindowTitle(self.tr("受理回执 — %s") % receipt.number)
        self.layout_choice = QComboBox()
        for key, label in WIDTHS.items():
            self.layout_choice.addItem(self.tr(label), key)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.document().setDefaultFont(_font())
        self.status = QLabel()
        self.status.setProperty("role", "hint")
        self.status.setWordWrap(True)
        self.print_button = QPushButton(self.tr("打印…"))
        self.pdf_button = QPushButton(self.tr("另存为PDF…"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.print_button.clicked.connect(self.print_)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.accept)
        self.print_button.setDefault(True)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("版式：")))
        top.addWidget(self.layout_choice)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.layout_choice.currentIndexChanged.connect(self._show)
        self.layout_choice.setCurrentIndex(list(WIDTHS).index(width))
        self._show()
        self.resize(760, 720)

    @property
    def width_key(self) -> str:
        return self.layout_choice.currentData() or "a4"

    def _show(self) -> None:
        narrow = self.width_key == "narrow"
        self.preview.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth if narrow
                                     else QTextEdit.LineWrapMode.WidgetWidth)
        if narrow:
            self.preview.setLineWrapColumnOrWidth(NARROW_PREVIEW_PX)
        self.preview.document().setDocumentMargin(24 if not narrow else 12)
        self.preview.setHtml(render_receipt_html(self.receipt, self.width_key))

    def print_(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"受理回执 {self.receipt.number}")
        setup_printer(printer, self.receipt, self.width_key)
        if not ask_printer(self, printer):
            return False
        if self.width_key == "narrow":  # the roll's width and length, whatever was picked
            setup_printer(printer, self.receipt, self.width_key)
        print_receipt(self.receipt, printer, self.width_key)
        self.status.setText(self.tr("已发送到打印机 %s") % printer.printerName())
        return True

    def save_pdf(self) -> Path | None:
        path = choose_pdf_path(self, Path.home() / f"受理回执-{self.receipt.number}.pdf")
        if path is None:
            return None
        try:
            print_to_pdf(self.receipt, path, self.width_key)
        except OSError as err:
            self.status.setProperty("role", "error")
            self.status.setText(self.tr("保存失败：%s") % err)
            return None
        if not path.exists() or path.stat().st_size == 0:
            self.status.setProperty("role", "error")
            self.status.setText(self.tr("保存失败：无法写入 %s") % path)
            return None
        self.status.setProperty("role", "hint")
        self.status.setText(self.tr("已保存到 %s") % path)
        return path

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_P and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.print_()
            return
        super().keyPressEvent(event)
