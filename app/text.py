"""Chinese text that remembers how it was made, so the UI can say it in another language.

``Text("该请求当前为「{state}」，不能{action}", state=Text("已回复"), action=Text("退回补正"))``
is the str "该请求当前为「已回复」，不能退回补正" everywhere (storage, JSON, logs, tests), and
keeps its template and params: ``ui.i18n.say`` translates the template and every param that
is itself a Text, then fills it in. Plain str params (names, what a clerk typed, numbers)
are never translated. ``resources/i18n/build.py`` collects every ``Text("…")`` template.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any


class Text(str):
    """``template.format(**params)``, or ``template`` itself when there are no params (a
    label: then braces in it are just characters)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Text:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self


def either(items: Iterable[str]) -> str:
    """"甲或乙或丙": any one of them will do."""
    return _chain(items, lambda a, b: Text("{a}或{b}", a=a, b=b))


def listing(items: Iterable[str]) -> str:
    """"甲、乙、丙": all of them, in order."""
    return _chain(items, lambda a, b: Text("{a}、{b}", a=a, b=b))


def clauses(items: Iterable[str]) -> str:
    """"甲；乙；丙": separate statements on one line."""
    return _chain(items, lambda a, b: Text("{a}；{b}", a=a, b=b))


def lines(items: Iterable[str]) -> str:
    """One item a line."""
    return _chain(items, lambda a, b: Text("{a}\n{b}", a=a, b=b))


def day_and_time(moment: datetime) -> Text:
    """"11月23日 14:05", a moment as a clerk reads it (in ``moment``'s own time zone)."""
    return Text("{month}月{day}日 {time:%H:%M}", month=moment.month, day=moment.day,
                time=moment)


def _chain(items: Iterable[str], pair) -> str:
    # nested pairs, so each separator is translated on its own: "甲、乙、丙" → "A, B, C"
    out = ""
    for i, item in enumerate(items):
        out = item if i == 0 else pair(out, item)
    return out
