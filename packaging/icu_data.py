"""Qt's ICU data for the languages the app speaks: a smaller libicudata for the Linux bundle.

PySide6's Qt links ICU, whose data library (``libicudata.so.73``) carries the locale data of
every language CLDR knows: 32 MB, the bundle's biggest file. Qt reads it for collation
(QCollator: Chinese sorted by pinyin), text codecs (QStringDecoder) and time-zone names;
the app speaks Chinese and English. :func:`wanted` keeps the locale data of zh, en and root,
all converters, break rules, normalization and supplemental data (zones, plurals, likely
subtags) and the Chinese/Japanese word dictionary; it drops the other languages' locale
data, the transliterators and the Thai, Lao, Khmer and Burmese dictionaries (32 → 12 MB).
An ICU asked for a dropped locale falls back to root, as for any locale it does not know.

The library holds one symbol, ``icudtNN_dat``: an ICU "common data" package (ucmndata.h) —
a header, a table of contents sorted by item name ({name offset, data offset} pairs,
relative to the table) and the items, 16-byte aligned. binutils, which PyInstaller needs on
Linux anyway, takes the package out (objcopy) and links the new library (as, ld).
"""

from __future__ import annotations

import re
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

LANGUAGES = {"zh", "en"}
# A locale's data file: language, then script, region or variant ("zh_Hans_CN.res",
# "de__PHONEBOOK.res").
LOCALE_FILE = re.compile(r"([a-z]{2,3})(_[A-Za-z0-9]*)*\.res")
KEPT_DICTIONARY = "cjdict.dict"  # word breaks of Chinese (and Japanese) text
ALIGN = 16
PADDING = b"\xaa"  # what ICU's own tools pad with


def wanted(item: str) -> bool:
    """Whether a package item ("icudt73l/coll/zh.res") stays."""
    tree, _, name = item.partition("/")[2].rpartition("/")
    if tree == "translit":
        return False
    if name.endswith(".dict"):
        return name == KEPT_DICTIONARY
    locale = LOCALE_FILE.fullmatch(name)
    # res_index (the installed locales' list) looks like a locale named "res".
    return locale is None or name == "res_index.res" or locale.group(1) in LANGUAGES


def trim_package(package: bytes, keep: Callable[[str], bool]) -> bytes:
    """The package with only the items ``keep`` accepts, their bytes and order unchanged."""
    header_size, items = _items(package)
    items = [(name, data) for name, data in items if keep(name)]
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    entries, blobs = [], []
    name_offset = 4 + 8 * len(items)  # offsets count from the table's start
    data_offset = _aligned(header_size + name_offset + len(names)) - header_size
    for name, data in items:
        entries += [name_offset, data_offset]
        name_offset += len(name) + 1
        blobs.append(data + PADDING * (_aligned(len(data)) - len(data)))
        data_offset += len(blobs[-1])
    table = struct.pack(f"<{1 + len(entries)}I", len(items), *entries) + names
    table += PADDING * (_aligned(header_size + len(table)) - header_size - len(table))
    return package[:header_size] + table + b"".join(blobs)


def trimmed_library(source: Path, workdir: Path) -> Path:
    """A copy of the ICU data library ``source`` with only the :func:`wanted` items."""
    workdir.mkdir(parents=True, exist_ok=True)
    package = workdir / "icudata-full.dat"
    subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", str(source),
                    str(package)], check=True)
    trimmed = trim_package(package.read_bytes(), wanted)
    package.unlink()
    (workdir / "icudata.dat").write_bytes(trimmed)
    # Items are named after the package, "icudt73l/…" (l: little-endian), and ICU's common
    # library links the symbol icudt73_dat.
    symbol = _items(trimmed)[1][0][0].split("/")[0][:-1]
    (workdir / "icudata.s").write_text(
        f'\t.section .rodata\n\t.balign {ALIGN}\n\t.globl {symbol}_dat\n'
        f'\t.type {symbol}_dat, @object\n{symbol}_dat:\n\t.incbin "icudata.dat"\n'
        f'\t.size {symbol}_dat, . - {symbol}_dat\n'
        '\t.section .note.GNU-stack,"",@progbits\n')  # no executable stack
    library = workdir / source.name
    subprocess.run(["as", "-o", "icudata.o", "icudata.s"], cwd=workdir, check=True)
    subprocess.run(["ld", "-shared", "-soname", source.name, "-o", library.name, "icudata.o"],
                   cwd=workdir, check=True)
    return library


def _items(package: bytes) -> tuple[int, list[tuple[str, bytes]]]:
    """The header's size, and each item's name and bytes (with the padding after it)."""
    header_size = struct.unpack_from("<H", package)[0]
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD" or package[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    table = package[header_size:]
    count = struct.unpack_from("<I", table)[0]
    offsets = struct.unpack_from(f"<{2 * count}I", table, 4)
    names = [table[offset:table.index(b"\0", offset)].decode("ascii")
             for offset in offsets[::2]]
    starts = offsets[1::2]
    ends = (*starts[1:], len(table))
    return header_size, [(name, table[start:end])
                         for name, start, end in zip(names, starts, ends, strict=True)]


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN
