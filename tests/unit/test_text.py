"""app.text.Text: a Chinese str that keeps its template and params for the UI's language."""

from __future__ import annotations

import importlib.util
import json
import string
from datetime import datetime
from pathlib import Path

from app.text import Text, day_and_time, either, listing


def test_a_text_is_its_formatted_chinese_and_keeps_how_it_was_made():
    state = Text("已回复")
    text = Text("该请求当前为「{state}」，不能{action}", state=state, action=Text("退回补正"))
    assert text == "该请求当前为「已回复」，不能退回补正"
    assert isinstance(text, str) and str(text) == text
    assert text.template == "该请求当前为「{state}」，不能{action}"
    assert text.params["state"] is state and text.params["action"].template == "退回补正"
    assert json.loads(json.dumps({"m": text})) == {"m": "该请求当前为「已回复」，不能退回补正"}
    assert {text: 1}["该请求当前为「已回复」，不能退回补正"] == 1


def test_format_specs_and_labels_without_params():
    at = datetime(2026, 11, 23, 9, 5)
    assert Text("{hours}小时{minutes:02d}分", hours=2, minutes=5) == "2小时05分"
    assert day_and_time(at) == "11月23日 09:05"
    assert Text("{a} {b}") == "{a} {b}" and Text("{a} {b}").params == {}  # a label: as it is


def test_lists_keep_each_separator_translatable():
    roles = listing([Text("窗口人员"), Text("联络员"), Text("科室负责人")])
    assert roles == "窗口人员、联络员、科室负责人"
    names = either(["不动产登记中心", "税务局"])
    assert names == "不动产登记中心或税务局" and names.template == "{a}或{b}"
    assert either(["税务局"]) == "税务局" and either([]) == ""


def test_every_text_template_has_its_english_with_the_same_fields():
    """A new Text("…") in app/ or sync/ fails here until en.json says it in English."""
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("i18n_build", root / "resources/i18n/build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    english = json.loads((root / "resources/i18n/en.json").read_text(encoding="utf-8"))
    templates = build.text_templates(root)
    assert "该请求当前为「{state}」，不能{action}{tail}" in templates
    assert not [t for t in templates if t not in english]
    assert not [t for t in templates if _fields(t) != _fields(english[t])]


def _fields(template: str) -> list[tuple[str, str]]:
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(template)
                  if name is not None)
