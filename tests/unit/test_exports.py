"""月度考核 exports: the xlsx opens with openpyxl and the CSV parses with csv, both holding
exactly the figures of the evaluation."""

from __future__ import annotations

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.exports import DEPARTMENT_TOTAL, evaluation_csv, evaluation_xlsx
from app.reports import EvaluationReport, EvaluationRow

AS_OF = datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


def row(department, name, staff=None, staff_name="", received=None, replied=0, on_time=0,
        overdue=0, rate=None):
    return EvaluationRow(department=department, department_name=name, staff=staff,
                         staff_name=staff_name, received=received, replied=replied,
                         on_time=on_time, overdue=overdue, on_time_rate=rate)


# The evaluation of tests/server/test_stats.py: tax 9 received, 4 replied, 3 on time, 3
# overdue (0.75); 李婷 2 of 2 on time; 张伟 1 late and 1 overdue (0.0); gaj 1 of 2 (0.5);
# rsj nothing at all (no rate).
REPORT = EvaluationReport(
    month="2026-11", as_of=AS_OF, offline=False,
    departments=[row("tax", "税务局", received=9, replied=4, on_time=3, overdue=3, rate=0.75),
                 row("gaj", "公安局户政", received=2, replied=2, on_time=1, overdue=1, rate=0.5),
                 row("rsj", "人社局", received=0)],
    staff=[row("tax", "税务局", "u-zw", "张伟", replied=1, on_time=0, overdue=2, rate=0.0),
           row("tax", "税务局", "u-lt", "李婷", replied=2, on_time=2, overdue=0, rate=1.0),
           row("gaj", "公安局户政", "u-wq", "王强", replied=3, on_time=2, overdue=1,
               rate=0.6667)])


def test_the_xlsx_holds_the_same_numbers(tmp_path):
    path = tmp_path / "月度考核-2026-11.xlsx"
    evaluation_xlsx(REPORT, path)
    book = load_workbook(path)
    assert book.sheetnames == ["部门", "人员"]

    departments = book["部门"]
    assert "2026年11月" in departments["A1"].value and "2026-11-23 14:05" in departments["A1"].value
    assert [c.value for c in departments[2]] == ["部门", "收件数", "已回复", "按时回复", "超期数",
                                                 "按时率"]
    assert [[c.value for c in r] for r in departments.iter_rows(min_row=3)] == [
        ["税务局", 9, 4, 3, 3, 0.75], ["公安局户政", 2, 2, 1, 1, 0.5],
        ["人社局", 0, 0, 0, 0, None]]
    assert departments["F3"].number_format == "0.00%"  # a number shown as a percentage
    assert departments.freeze_panes == "A3"
    assert departments.column_dimensions["A"].width >= 13  # 公安局户政: five wide characters

    staff = book["人员"]
    assert [c.value for c in staff[2]] == ["部门", "工作人员", "已回复", "按时回复", "超期数",
                                           "按时率"]
    assert [[c.value for c in r] for r in staff.iter_rows(min_row=3)] == [
        ["税务局", "张伟", 1, 0, 2, 0.0], ["税务局", "李婷", 2, 2, 0, 1.0],
        ["公安局户政", "王强", 3, 2, 1, 0.6667]]


def test_the_csv_holds_the_same_numbers_with_a_bom(tmp_path):
    path = tmp_path / "月度考核-2026-11.csv"
    evaluation_csv(REPORT, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel on Windows reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == ["部门", "工作人员", "收件数", "已回复", "按时回复", "超期数", "按时率"]
    # each department, then its staff; a staff member has no 收件数, a missing rate is empty
    assert rows == [
        ["税务局", DEPARTMENT_TOTAL, "9", "4", "3", "3", "75.00%"],
        ["税务局", "张伟", "", "1", "0", "2", "0.00%"],
        ["税务局", "李婷", "", "2", "2", "0", "100.00%"],
        ["公安局户政", DEPARTMENT_TOTAL, "2", "2", "1", "1", "50.00%"],
        ["公安局户政", "王强", "", "3", "2", "1", "66.67%"],
        ["人社局", DEPARTMENT_TOTAL, "0", "0", "0", "0", ""]]
    rates = [float(r[6].rstrip("%")) / 100 for r in rows if r[6]]
    assert rates == pytest.approx([0.75, 0.0, 1.0, 0.5, 0.6667])
