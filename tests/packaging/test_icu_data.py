"""packaging/icu_data.py, on the ICU data of this checkout's PySide6: the package it writes is
the one ICU wrote when nothing is dropped, and what it drops is other languages' data."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loaded by path: a folder named "packaging" would shadow the PyPI package of that name.
_spec = importlib.util.spec_from_file_location("icu_data", ROOT / "packaging" / "icu_data.py")
icu_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icu_data)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> bytes:
    library, = (Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*")
    out = tmp_path_factory.mktemp("icu") / "icudata.dat"
    subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", str(library),
                    str(out)], check=True)
    return out.read_bytes()


def test_keeping_every_item_gives_back_icus_own_package(package):
    assert icu_data.trim_package(package, lambda item: True) == package


def test_a_trimmed_package_has_the_wanted_items_unchanged_in_order_and_aligned(package):
    header_size, items = icu_data._items(package)
    trimmed = icu_data.trim_package(package, icu_data.wanted)
    assert trimmed[:header_size] == package[:header_size]
    assert icu_data._items(trimmed)[1] == [item for item in items if icu_data.wanted(item[0])]
    assert len(trimmed) < len(package) / 2
    table = trimmed[header_size:]
    count = int.from_bytes(table[:4], "little")
    data_offsets = [int.from_bytes(table[8 + 8 * i:12 + 8 * i], "little") for i in range(count)]
    assert all((header_size + offset) % 16 == 0 for offset in data_offsets)


@pytest.mark.parametrize(("item", "kept"), [
    ("icudt73l/zh.res", True), ("icudt73l/en_US_POSIX.res", True),
    ("icudt73l/coll/zh_Hans_CN.res", True), ("icudt73l/root.res", True),
    ("icudt73l/pool.res", True), ("icudt73l/res_index.res", True),
    ("icudt73l/coll/ucadata.icu", True), ("icudt73l/gb18030.cnv", True),
    ("icudt73l/brkitr/cjdict.dict", True), ("icudt73l/brkitr/line.brk", True),
    ("icudt73l/zoneinfo64.res", True), ("icudt73l/likelySubtags.res", True),
    ("icudt73l/ja.res", False), ("icudt73l/coll/de__PHONEBOOK.res", False),
    ("icudt73l/curr/yue_Hans.res", False), ("icudt73l/brkitr/thaidict.dict", False),
    ("icudt73l/translit/root.res", False),
])
def test_what_stays(item, kept):
    assert icu_data.wanted(item) is kept
