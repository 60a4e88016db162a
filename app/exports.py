"""月度考核 to files: xlsx (a sheet 部门 and a sheet 人员) and CSV. No Qt.

Both formats take their columns from :mod:`app.reports` and hold the figures as numbers:
rates are shares with a percentage format in xlsx and "57.14%" in CSV, which Excel reads
as the number 0.5714. A figure the server did not give is an empty cell.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports import (
    EVALUATION_COLUMNS,
    EVALUATION_DEPARTMENT_COLUMNS,
    EVALUATION_STAFF_COLUMNS,
    Column,
    EvaluationReport,
    EvaluationRow,
    Kind,
)

NUMBER_FORMATS = {Kind.COUNT: "0", Kind.RATE: "0.00%", Kind.HOURS: "0.00", Kind.STARS: "0.00"}
DEPARTMENT_TOTAL = "（部门合计）"  # the 工作人员 of a department's own row in the CSV
HEADER_FILL = PatternFill("solid", fgColor="E3EAF2")


def title(report: EvaluationReport) -> str:
    year, month = report.month.split("-")
    return f"月度考核　{year}年{int(month)}月　（数据截至 {report.as_of:%Y-%m-%d %H:%M}）"


def evaluation_xlsx(report: EvaluationReport, path: Path) -> None:
    book = Workbook()
    _sheet(book.active, "部门", title(report), EVALUATION_DEPARTMENT_COLUMNS,
           report.departments)
    _sheet(book.create_sheet(), "人员", title(report), EVALUATION_STAFF_COLUMNS, report.staff)
    book.save(path)


def evaluation_csv(report: EvaluationReport, path: Path) -> None:
    """One table: each department's own row, then its staff members. UTF-8 with a BOM, or
    Excel on Windows reads the Chinese as GBK."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([c.header for c in EVALUATION_COLUMNS])
        for row in _grouped(report):
            writer.writerow([_csv_cell(row, c) for c in EVALUATION_COLUMNS])


def _grouped(report: EvaluationReport) -> Iterable[EvaluationRow]:
    for department in report.departments:
        yield department
        yield from (r for r in report.staff if r.department == department.department)


def _csv_cell(row: EvaluationRow, column: Column) -> str | int | float:
    value = row.value(column.key)
    if column.key == "staff_name" and row.staff is None:
        return DEPARTMENT_TOTAL
    if value is None:
        return ""
    if column.kind is Kind.RATE:
        return f"{value * 100:.2f}%"
    return value


def _sheet(sheet: Worksheet, name: str, heading: str, columns: Sequence[Column],
           rows: Sequence[EvaluationRow]) -> None:
    sheet.title = name
    sheet.append([heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.append([c.header for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        sheet.append([row.value(c.key) for c in columns])
    for index, column in enumerate(columns, 1):
        if column.kind in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[column.kind]
        texts = [column.header, *(str(r.value(column.key) or "") for r in rows)]
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, max(_width(t) for t in texts) + 3)
    sheet.freeze_panes = "A3"  # the title and the headers stay while scrolling


def _width(text: str) -> int:
    """Columns of a text in a spreadsheet: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
