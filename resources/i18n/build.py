"""Refresh the Qt translation of the UI: collect the Chinese source texts from ui/*.py
(pyside6-lupdate) and the texts app/ and sync/ build (every ``Text("…")`` template, the
labels they fill in), fill in the English of en.json, compile windowdesk_en.qm (lrelease).

    .venv/bin/python resources/i18n/build.py
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "windowdesk_en.ts"


def tool(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def text_templates(root: Path = ROOT) -> set[str]:
    """The template of every ``Text("…", …)`` call in app/ and sync/ (its first argument
    is a string literal)."""
    found = set()
    for path in [*(root / "app").rglob("*.py"), *(root / "sync").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Text" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def constant_texts() -> list[str]:
    """Texts shown through ui.i18n.tr() and say(): enumeration labels, constant headers,
    the templates of app's Texts and the labels put into them."""
    sys.path.insert(0, str(ROOT))
    from app import detail, local
    from app.attachments import ACCEPTED_NAMES
    from app.domain import enums
    from app.domain.commands import BY_OP_TYPE
    from app.domain.entities import CALLBACK_OUTCOMES, RATING_INDICATORS, Rating
    from app.inbox import InboxFilter
    from app.reports import DEPARTMENT_COLUMNS, EVALUATION_COLUMNS, LEADERBOARD_COLUMNS, Preset
    from ui import cases, conflicts, style
    from ui.detail import ACTION_LABELS, LEADER_URGE, Timeline
    from ui.inbox import HEADERS, SENT_PARTY_HEADER
    from ui.main_window import LINK_WORDS

    labels = [m.label for e in (enums.RequestState, enums.CaseState, enums.Category,
                                enums.Channel, enums.StaffRole, enums.RequestRole,
                                enums.RectificationState, InboxFilter, Preset) for m in e]
    headers = [c.header for c in (*DEPARTMENT_COLUMNS, *EVALUATION_COLUMNS,
                                  *LEADERBOARD_COLUMNS)]
    bands = [b.label for b in (style.NORMAL, style.SOON, style.OVERDUE, style.PAUSED,
                               style.DONE)]
    said = [c.label for c in BY_OP_TYPE.values()] + [
        *CALLBACK_OUTCOMES.values(), *Rating.LABELS.values(), *RATING_INDICATORS.values(),
        *local.EVENT_VERBS.values(),
        *detail.DEADLINE_REASONS.values(), *LINK_WORDS.values(), ACCEPTED_NAMES,
        *ACTION_LABELS.values(), LEADER_URGE, *Timeline.COLUMNS, *cases.HEADERS,
        *conflicts.HEADERS]
    return sorted(set(labels + bands + headers + list(HEADERS.values())
                      + [SENT_PARTY_HEADER, "（待上传）"] + said) | text_templates())


def add_constant_context(tree: ET.ElementTree) -> None:
    from ui.i18n import CONTEXT

    root = tree.getroot()
    for context in root.findall("context"):
        if context.findtext("name") == CONTEXT:
            root.remove(context)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for text in constant_texts():
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = text
        ET.SubElement(message, "translation", type="unfinished")


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "ui").glob("*.py"))
    # -no-obsolete: a text gone from ui/ leaves the .ts, rather than lingering as "vanished"
    subprocess.run([tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(TS)],
                   check=True)
    english = json.loads((HERE / "en.json").read_text(encoding="utf-8"))
    tree = ET.parse(TS)
    add_constant_context(tree)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text
        translation = message.find("translation")
        if source in english:
            if message.find("numerus") is not None or message.get("numerus") == "yes":
                for form in translation.findall("numerusform") or [translation]:
                    form.text = english[source]
            else:
                translation.text = english[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(HERE / "windowdesk_en.qm")],
                   check=True)
    for source in missing:
        print("untranslated:", source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
