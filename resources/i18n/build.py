"""Refresh the Qt translation of the UI: collect the Chinese source texts from ui/*.py
(pyside6-lupdate), fill in the English of en.json, compile windowdesk_en.qm (lrelease).

    .venv/bin/python resources/i18n/build.py
"""

from __future__ import annotations

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


def constant_texts() -> list[str]:
    """Texts shown through ui.i18n.tr(): enumeration labels and constant headers."""
    sys.path.insert(0, str(ROOT))
    from app.domain import enums
    from app.inbox import InboxFilter
    from ui import style
    from ui.inbox import HEADERS, SENT_PARTY_HEADER

    labels = [m.label for e in (enums.RequestState, enums.CaseState, enums.Category,
                                enums.Channel, enums.StaffRole, enums.RequestRole,
                                InboxFilter) for m in e]
    bands = [b.label for b in (style.NORMAL, style.SOON, style.OVERDUE, style.PAUSED,
                               style.DONE)]
    return sorted(set(labels + bands + list(HEADERS.values())
                       + [SENT_PARTY_HEADER, "（待上传）"]))


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
    subprocess.run([tool("pyside6-lupdate"), *sources, "-ts", str(TS)], check=True)
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
