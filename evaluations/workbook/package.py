"""Open an uploaded .xlsx safely and take out of it, as plain data, what the readers need.

The file is checked before any spreadsheet code sees it: its size, the zip signature (a PDF
renamed .xlsx is no zip), what it really inflates to (members are inflated with a byte budget,
so an archive that lies about its sizes is caught too), and that no XML part carries a document
type declaration (entity tricks live there; a spreadsheet program never writes one). A part
that cannot be read after that (a sheet cut off halfway, a broken part) makes the workbook
damaged, never a server error.
"""

from __future__ import annotations

import io
import math
import posixpath
import pyexpat
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from evaluations.workbook.problems import WorkbookInvalid, damaged, not_a_workbook, refuse
from zi_portal import uploads

_ZIP_MAGIC = b"PK\x03\x04"
_MAX_MEMBERS = 2000
# A document type declaration, in the encodings an XML part may use (bytes.lower() keeps the
# NUL bytes of UTF-16 as they are).
_DTD_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(m) for m in _DTD_MARKS)
# The readers look at the first rows and columns only: an LKE sheet has about 220 rows.
MAX_ROWS = 2000
MAX_COLUMNS = 60

_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def check_file(file) -> bytes:
    """Return the file's bytes if it is a sound .xlsx; raise WorkbookInvalid otherwise."""
    limit = settings.WORKBOOK_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1) if hasattr(file, "read") else bytes(file)
    if len(content) > limit:
        raise _too_large(limit)
    if not content.startswith(_ZIP_MAGIC):
        raise not_a_workbook()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise not_a_workbook()
            if len(entries) > _MAX_MEMBERS:
                raise _inflates_too_much()
            _check_declared_sizes(entries)
            _inflate_and_scan(archive, entries)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, EOFError, OSError):
        raise damaged() from None
    except NotImplementedError:  # an unsupported compression method, or encryption
        raise damaged() from None
    return content


def _too_large(limit: int) -> WorkbookInvalid:
    return refuse(
        _("The file is larger than %(size)s, the limit for a workbook.")
        % {"size": filesizeformat(limit)}
    )


def _inflates_too_much() -> WorkbookInvalid:
    return refuse(
        _("The file unpacks to far more data than an LKE workbook holds; it was refused.")
    )


def _check_declared_sizes(entries) -> None:
    """Refuse at once an archive that says it inflates too much (nothing inflated yet)."""
    inflated = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    ratio_limit = settings.WORKBOOK_MAX_RATIO
    worst = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if (
        inflated > settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES
        or worst > ratio_limit
        or inflated > ratio_limit * max(compressed, 1)
    ):
        raise _inflates_too_much()


def _inflate_and_scan(archive: zipfile.ZipFile, entries) -> None:
    """Inflate every member within the byte budget; refuse an XML part with a DTD.

    The declared sizes are only what the archive claims: counting the bytes really inflated
    catches an archive that lies about them.
    """
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise damaged()  # encrypted: a workbook never is at this level
    tails: dict[str, bytes] = {}

    def watch(entry, chunk):
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            return
        window = (tails.get(entry.filename, b"") + chunk).lower()
        if any(mark in window for mark in _DTD_MARKS):
            raise refuse(
                _(
                    "The file holds a document type declaration, which an Excel workbook never "
                    "has; it was refused."
                )
            )
        tails[entry.filename] = window[-_OVERLAP:]

    try:
        uploads.inflate_within(
            archive, entries, budget=settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES, watch=watch
        )
    except uploads.InflatesTooMuch:
        raise _inflates_too_much() from None


# --- Reading the sheet ------------------------------------------------------------------------
#
# The parts are read directly (the sheet with a streaming expat parser) rather than through
# openpyxl: one pass gives the values, the formulas with their stored results, the hyperlink
# targets and the percentage formats, which openpyxl's read-only mode gives only in part (no
# hyperlinks, no results next to formulas) and in three times the time.


@dataclass
class Sheet:
    """One worksheet as plain values; rows and columns count from 1, as the spreadsheet shows."""

    title: str
    rows: list[tuple] = field(default_factory=list)  # rows[0] is row 1; formulas as "=…"
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells shown as percentages
    cached: dict[tuple[int, int], object] = field(default_factory=dict)  # formula results
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # hyperlink targets

    def value(self, row: int, column: int | None):
        if column is None or not 1 <= row <= len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if 1 <= column <= len(cells) else None


@dataclass
class Book:
    sheetnames: list[str]
    properties: dict[str, str]
    sheet: Sheet | None


def load(content: bytes, wanted: str) -> Book:
    """Return the workbook's sheet names, custom properties and the sheet `wanted` (if any).

    `content` has passed check_file. Any failure to read a part (a sheet cut off halfway, a
    broken part) is a damaged workbook: the file, not the portal, is at fault.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = _sheet_paths(archive)
            sheet = None
            if wanted in sheets and sheets[wanted]:
                sheet = _read_sheet(archive, wanted, sheets[wanted])
            return Book(list(sheets), _custom_properties(archive), sheet)
    except WorkbookInvalid:
        raise
    except Exception:  # the XML parser and the archive raise many kinds for a broken part
        raise damaged() from None


def _local(name: str) -> str:
    """Return an element or attribute name without its namespace ("uri name" → "name")."""
    return name.rpartition(" ")[2]


def _parse(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(data)


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str | None]:
    workbook = _parse(archive.read("xl/workbook.xml"))
    targets = _relationships(archive, "xl/_rels/workbook.xml.rels")
    found = {}
    for element in workbook.iter():
        if element.tag.rpartition("}")[2] != "sheet":
            continue
        rel = next((v for k, v in element.attrib.items() if k.rpartition("}")[2] == "id"), "")
        target = targets.get(rel)
        if target:
            target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            target = posixpath.normpath(target)
        found[element.get("name", "")] = target
    return found


def _relationships(archive: zipfile.ZipFile, path: str) -> dict[str, str]:
    try:
        data = archive.read(path)
    except KeyError:
        return {}
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in _parse(data).iter()
        if rel.tag.rpartition("}")[2] == "Relationship"
    }


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        data = archive.read("docProps/custom.xml")
    except KeyError:
        return {}
    found = {}
    for element in _parse(data):
        if element.tag.rpartition("}")[2] == "property" and len(element):
            found[element.get("name", "")] = (element[0].text or "").strip()
    return found


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    found = []
    for item in _parse(data):
        texts = []
        for child in item:
            name = child.tag.rpartition("}")[2]
            if name == "t":
                texts.append(child.text or "")
            elif name == "r":  # a run of rich text; phonetic runs (rPh) are left out
                texts.extend(t.text or "" for t in child if t.tag.rpartition("}")[2] == "t")
        found.append("".join(texts))
    return found


_PERCENT_FORMATS = {9, 10}  # the built-in "0%" and "0.00%"


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Return the cell style numbers whose number format shows a percentage."""
    try:
        root = _parse(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    percent_formats = set(_PERCENT_FORMATS)
    found = set()
    for element in root:
        name = element.tag.rpartition("}")[2]
        if name == "numFmts":
            for fmt in element:
                code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))
                if "%" in code:
                    percent_formats.add(int(fmt.get("numFmtId", "-1")))
        elif name == "cellXfs":
            for index, xf in enumerate(element):
                if int(xf.get("numFmtId", "0")) in percent_formats:
                    found.add(index)
    return found


def _number(text: str):
    """Return a stored number: an int, the float it is, or (too large for a float) a Decimal.

    A Decimal keeps 3E+2999999 what it is, so that the bounds checks name it as too large.
    """
    text = text.strip()
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    try:
        if len(text) <= 30:
            number = float(text)
            if math.isfinite(number):
                return int(number) if number.is_integer() and abs(number) < 2**53 else number
        return Decimal(text)
    except (ValueError, InvalidOperation):
        return text  # not a number after all: the checks of the cell say so


class _SheetParser:
    """Collects one sheet's cells from expat's events."""

    def __init__(self, shared: list[str], percent_styles: set[int]):
        self.shared = shared
        self.percent_styles = percent_styles
        self.cells: dict[int, dict[int, object]] = {}
        self.cached: dict[tuple[int, int], object] = {}
        self.percent: set[tuple[int, int]] = set()
        self.hyperlinks: list[tuple[str, str]] = []  # (ref, relationship id)
        self.row = 0
        self.column = 0
        self.text: list[str] | None = None
        self.cell: dict | None = None
        self.in_phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        name = _local(name)
        if name == "row":
            self.row = int(attrs.get("r") or self.row + 1)
            self.column = 0
        elif name == "c":
            position = _position(attrs.get("r", "")) if attrs.get("r") else None
            if position is not None:
                self.row, self.column = position
            else:
                self.column += 1
            self.cell = {"t": attrs.get("t", "n"), "s": attrs.get("s"), "v": None, "f": None}
        elif self.cell is not None and name in ("v", "f"):
            self.text = []
            self.cell[name] = self.text
        elif self.cell is not None and name == "is":  # an inline string: its runs' text
            self.cell["v"] = self.text = []
        elif name == "rPh":
            self.in_phonetic += 1
        elif name == "hyperlink":
            rel = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            self.hyperlinks.append((attrs.get("ref", ""), rel))

    def end(self, name: str) -> None:
        name = _local(name)
        if name in ("v", "f", "is"):
            self.text = None
        elif name == "rPh":
            self.in_phonetic -= 1
        elif name == "c" and self.cell is not None:
            self._store(self.cell)
            self.cell = None

    def data(self, text: str) -> None:
        if self.text is not None and not self.in_phonetic:
            self.text.append(text)

    def _store(self, cell: dict) -> None:
        row, column = self.row, self.column
        if row > MAX_ROWS or column > MAX_COLUMNS or row < 1 or column < 1:
            return
        raw = "".join(cell["v"]) if cell["v"] is not None else None
        if raw == "" and cell["t"] not in ("s", "str", "inlineStr"):
            raw = None  # an empty <v/>: no value (a formula never computed)
        kind = cell["t"]
        if cell["f"] is not None:
            # A formula: its text (a shared formula's other cells have none) and its result.
            value = "=" + "".join(cell["f"])
            if raw is not None:
                self.cached[(row, column)] = self._value(kind, raw)
        elif raw is None:
            return
        else:
            value = self._value(kind, raw)
        self.cells.setdefault(row, {})[column] = value
        if cell["s"] and int(cell["s"]) in self.percent_styles:
            self.percent.add((row, column))

    def _value(self, kind: str, raw: str):
        if kind == "s":
            return self.shared[int(raw)]
        if kind in ("str", "inlineStr", "e", "d"):
            return raw  # text, an error such as #DIV/0!, or a date as ISO text
        if kind == "b":
            return raw.strip() == "1"
        return _number(raw)


def _read_sheet(archive: zipfile.ZipFile, title: str, path: str) -> Sheet:
    parser = _SheetParser(_shared_strings(archive), _percent_styles(archive))
    expat = pyexpat.ParserCreate(namespace_separator=" ")
    expat.StartElementHandler = parser.start
    expat.EndElementHandler = parser.end
    expat.CharacterDataHandler = parser.data
    expat.buffer_text = True
    with archive.open(path) as stream:
        expat.ParseFile(stream)
    sheet = Sheet(title, percent=parser.percent, cached=parser.cached)
    last = max(parser.cells, default=0)
    for number in range(1, last + 1):
        found = parser.cells.get(number, {})
        width = max(found, default=0)
        sheet.rows.append(tuple(found.get(column) for column in range(1, width + 1)))
    targets = _relationships(archive, _rels_path(path)) if parser.hyperlinks else {}
    for ref, rel in parser.hyperlinks:
        target = targets.get(rel)
        if target:
            for position in _positions(ref):
                sheet.links[position] = target
    return sheet


def _rels_path(path: str) -> str:
    folder, name = posixpath.split(path)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _position(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.fullmatch(ref.replace("$", ""))
    if not match:
        return None
    return int(match.group(2)), column_number(match.group(1))


def _positions(ref: str) -> list[tuple[int, int]]:
    """Return the cells of a reference such as "Q49" or "Q49:Q51" (bounded by the limits)."""
    first, _sep, last = ref.partition(":")
    start, end = _position(first), _position(last or first)
    if start is None or end is None:
        return []
    rows = range(start[0], min(end[0], MAX_ROWS) + 1)
    columns = range(start[1], min(end[1], MAX_COLUMNS) + 1)
    return [(row, column) for row in rows for column in columns]
