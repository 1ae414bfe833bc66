"""Read an official LKE workbook (.xlsx) into answers of one level, or say everything wrong with it.

Two layouts are known: the 2021 "LKE ZI" sheet, a tree whose
rubric codes come from the numbering columns, with the "Jumlah …" input rows of a computed
question just below it; and the later "Jawaban" sheet, one row per code with the unit's and the
TPI's columns side by side. Columns are found by their header text, never by position, and the
workbook's own computed values (formulas, scores) are ignored: the portal computes. Besides the
level's answers, inputs and notes, each question's evidence links ("Link Bukti", one a line) are
read and checked to be web links.

Nothing here writes to the database; `services_workbook.workbook_import` does.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from evaluations.rubric import scoring

SHEET_2021 = "LKE ZI"
SHEET_LATER = "Jawaban"
HEADER_ROW_2021 = 2
_ZIP_MAGIC = b"PK\x03\x04"
# Evidence.url and Evidence.description hold at most this much, and only web links.
LINK_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 500
_web_link = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook: where (sheet, row, code) and what, translated."""

    sheet: str
    row: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.code:
            where.append(self.code)
        return f"{', '.join(where)}: {self.message}" if where else str(self.message)


class WorkbookInvalid(Exception):
    """The workbook cannot be imported; `problems` lists every reason found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


@dataclass(frozen=True)
class ParsedLink:
    """One evidence link of a question, with the description the workbook pairs with it."""

    url: str
    description: str = ""


@dataclass
class ParsedAnswer:
    """One question's answer as the workbook holds it (None: the cell is empty)."""

    code: str
    row: int
    letter: str | None = None
    number: Decimal | None = None
    inputs: dict[str, Decimal] = field(default_factory=dict)
    note: str = ""
    note_to_unit: str = ""
    links: list[ParsedLink] = field(default_factory=list)


@dataclass
class ParsedWorkbook:
    layout: str  # "2021" or "later"
    sheet: str
    answers: dict[str, ParsedAnswer]
    has_notes: bool
    has_notes_to_unit: bool


def _refuse(message) -> WorkbookInvalid:
    return WorkbookInvalid([Problem("", None, "", message)])


def check_file(file) -> bytes:
    """Return the file's bytes if it is a plausible .xlsx; raise WorkbookInvalid otherwise.

    Checked before openpyxl sees it: the size limit, the zip signature (a renamed PDF is not a
    zip), the archive's directory, and what it would inflate to (a zip bomb is refused without
    inflating anything).
    """
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
        raise _refuse(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _refuse(_("The file is damaged: it cannot be opened as an Excel workbook.")) from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse(_("The file is not an Excel workbook (.xlsx)."))
    inflated = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    ratio_limit = settings.WORKBOOK_MAX_RATIO
    worst = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if (
        inflated > settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES
        or worst > ratio_limit
        or inflated > ratio_limit * max(compressed, 1)
    ):
        raise _refuse(
            _("The file unpacks to far more data than an LKE workbook holds; it was refused.")
        )
    return content


def _too_large(limit: int) -> WorkbookInvalid:
    return _refuse(
        _("The file is larger than %(size)s, the limit for a workbook.")
        % {"size": filesizeformat(limit)}
    )


def _normalize(text) -> str:
    return re.sub(r"[^0-9a-z%]+", " ", str(text or "").lower()).strip()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _note(value) -> str:
    """Return a note cell's text as typed: spaces and line breaks are part of a note."""
    if isinstance(value, str):
        return value if value.strip() else ""
    return _text(value)


def _lines(value) -> list[str]:
    return [line.strip() for line in _text(value).splitlines() if line.strip()]


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def to_decimal(value) -> Decimal | None:
    """Return a cell's number as a Decimal (12.0 → 12), or None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if percent:
        number /= 100
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


# Header texts per level: the level's own column first, then the plain one of a single-level file.
ANSWER_HEADERS = {
    "self": ["jawaban unit", "jawaban"],
    "tpi": ["jawaban tpi", "jawaban"],
    "tpn": ["jawaban tpn", "jawaban"],
}
ANSWER_TITLES = {"self": "Jawaban", "tpi": "Jawaban TPI", "tpn": "Jawaban TPN"}
NOTE_HEADERS = {
    "jawaban unit": "catatan unit",
    "jawaban": "catatan",
    "jawaban tpi": "catatan tpi",
    "jawaban tpn": "catatan tpn",
}
NOTE_TO_UNIT_HEADERS = {
    "jawaban tpi": "catatan tpi untuk unit",
    "jawaban tpn": "catatan tpn untuk unit",
    "jawaban": "catatan untuk unit",
}
# Evidence belongs to the evaluation, not to a level: both layouts have one column of links
# (beside the unit's answer) and the 2021 layout one of descriptions.
LINK_HEADER = "link bukti"
DESCRIPTION_HEADER = "deskripsi bukti"


@dataclass(frozen=True)
class _Columns:
    answer: int
    note: int | None = None
    to_unit: int | None = None
    link: int | None = None
    description: int | None = None


def _cell(cells, col: int | None):
    return cells[col] if col is not None and 0 <= col < len(cells) else None


class _Reader:
    """Collects answers and problems while the rows of one sheet are read."""

    def __init__(self, spec: scoring.RubricSpec, level: str, sheet: str):
        self.spec = spec
        self.level = level
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.answers: dict[str, ParsedAnswer] = {}
        self.unknown: dict[str, int] = {}  # code → first row

    def problem(self, row, code, message):
        self.problems.append(Problem(self.sheet, row, code, message))

    def columns(self, header: dict[str, int], row: int) -> _Columns | None:
        """Return the level's columns (and the evidence ones), or record a problem."""
        for name in ANSWER_HEADERS[self.level]:
            if name in header:
                return _Columns(
                    answer=header[name],
                    note=header.get(NOTE_HEADERS[name]),
                    to_unit=header.get(NOTE_TO_UNIT_HEADERS.get(name, "")),
                    link=header.get(LINK_HEADER),
                    description=header.get(DESCRIPTION_HEADER),
                )
        self.problem(
            row,
            "",
            _("The header “%(header)s” is missing.") % {"header": ANSWER_TITLES[self.level]},
        )
        return None

    def question(self, code: str, row: int, cells, cols: _Columns):
        if code in self.answers:
            self.problem(row, code, _("This question appears twice."))
            return
        criterion = self.spec.criteria[code]
        parsed = ParsedAnswer(code, row)
        raw = _cell(cells, cols.answer)
        answer_type = criterion.answer_type
        if answer_type in scoring.OPTION_TYPES:
            text = _text(raw)
            if text:
                letters = {letter.lower(): letter for letter in criterion.options}
                letter = letters.get(text.lower())
                if letter is None:
                    self.problem(
                        row,
                        code,
                        _(
                            "“%(answer)s” is not an option of this question; choose one of "
                            "%(options)s."
                        )
                        % {"answer": text, "options": ", ".join(criterion.options)},
                    )
                parsed.letter = letter
        elif raw is not None and _text(raw) and not _is_formula(raw):
            # A survey index, or the value an evaluator gave a computed question.
            number = to_decimal(raw)
            maximum = (
                criterion.formula.params["max"] if answer_type == scoring.SURVEY else Decimal(1)
            )
            if number is None:
                self.problem(row, code, _("“%(value)s” is not a number.") % {"value": _text(raw)})
            elif not 0 <= number <= maximum:
                self.problem(
                    row,
                    code,
                    _("%(value)s is outside 0–%(max)s.") % {"value": number, "max": maximum},
                )
            else:
                parsed.number = number
        parsed.note = _note(_cell(cells, cols.note))
        parsed.note_to_unit = _note(_cell(cells, cols.to_unit))
        links, descriptions = _cell(cells, cols.link), _cell(cells, cols.description)
        parsed.links = self.links(row, code, links, descriptions)
        self.answers[code] = parsed

    def links(self, row: int, code: str, raw_links, raw_descriptions) -> list[ParsedLink]:
        """Return a question's evidence links, one a line; record each one that is no web link.

        A description goes with a link only when the description cell has as many lines as
        the link cell (as the portal's export writes them, and as a unit's one link with one
        description comes); a description that merely repeats the link is no description.
        """
        urls = list(dict.fromkeys(_lines(raw_links)))  # the same link twice is one link
        descriptions = _lines(raw_descriptions)
        if len(descriptions) != len(urls):
            descriptions = [""] * len(urls)
        found = []
        for url, description in zip(urls, descriptions, strict=True):
            if len(url) > LINK_MAX_LENGTH:
                self.problem(
                    row,
                    code,
                    _("An evidence link is longer than %(max)s characters.")
                    % {"max": LINK_MAX_LENGTH},
                )
                continue
            try:
                _web_link(url)
            except ValidationError:
                self.problem(
                    row,
                    code,
                    _(
                        "“%(link)s” is not a web link: an evidence link starts with http:// or https://."
                    )
                    % {"link": url},
                )
                continue
            if description == url:
                description = ""
            if len(description) > DESCRIPTION_MAX_LENGTH:
                self.problem(
                    row,
                    code,
                    _("An evidence description is longer than %(max)s characters.")
                    % {"max": DESCRIPTION_MAX_LENGTH},
                )
                continue
            found.append(ParsedLink(url, description))
        return found

    def input(self, code: str, question: str, row: int, raw):
        if question not in self.answers:
            self.problem(row, code, _("This input has no question above it."))
            return
        if raw is None or _text(raw) == "" or _is_formula(raw):
            return
        number = to_decimal(raw)
        if number is None:
            self.problem(row, code, _("“%(value)s” is not a number.") % {"value": _text(raw)})
        elif number < 0:
            self.problem(row, code, _("A count cannot be negative."))
        else:
            self.answers[question].inputs[code] = number


def read_workbook(
    content: bytes,
    *,
    spec: scoring.RubricSpec,
    level: str,
    elsewhere: Callable[[set[str]], dict[str, str]] | None = None,
) -> ParsedWorkbook:
    """Read one level's answers from a checked workbook; raise WorkbookInvalid listing each problem.

    `elsewhere(codes)` returns, for codes this rubric lacks, the other rubric version that has
    them, so the message can say "a question of another rubric" instead of "unknown code".
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise _refuse(_("The file is damaged: it cannot be opened as an Excel workbook.")) from None
    try:
        if SHEET_2021 in book.sheetnames:
            reader = _Reader(spec, level, SHEET_2021)
            has_notes = _read_2021(book[SHEET_2021], reader)
            layout = "2021"
        elif SHEET_LATER in book.sheetnames:
            reader = _Reader(spec, level, SHEET_LATER)
            has_notes = _read_later(book[SHEET_LATER], reader)
            layout = "later"
        else:
            raise WorkbookInvalid(
                [
                    Problem(
                        "",
                        None,
                        "",
                        _("The sheet “%(first)s” (or “%(second)s”) is missing.")
                        % {"first": SHEET_2021, "second": SHEET_LATER},
                    )
                ]
            )
    finally:
        book.close()
    if reader.unknown:
        found = elsewhere(set(reader.unknown)) if elsewhere else {}
        for code, row in reader.unknown.items():
            if code in found:
                reader.problem(
                    row,
                    code,
                    _("This is a question of another rubric version (%(rubric)s).")
                    % {"rubric": found[code]},
                )
            else:
                reader.problem(row, code, _("Unknown code: no such question in this rubric."))
    if reader.problems:
        reader.problems.sort(key=lambda p: (p.sheet, p.row or 0))
        raise WorkbookInvalid(reader.problems)
    return ParsedWorkbook(layout, reader.sheet, reader.answers, *has_notes)


def _header_map(cells) -> dict[str, int]:
    header = {}
    for index, value in enumerate(cells):
        name = _normalize(value)
        if name and name not in header:
            header[name] = index
    return header


def _read_2021(sheet, reader: _Reader) -> tuple[bool, bool]:
    rows = sheet.iter_rows(values_only=True)
    header_cells = ()
    for number, cells in enumerate(rows, start=1):
        if number == HEADER_ROW_2021:
            header_cells = cells
            break
    header = _header_map(header_cells)
    numbering_start = header.get("no")
    if numbering_start is None:
        reader.problem(
            HEADER_ROW_2021, "", _("The header “%(header)s” is missing.") % {"header": "No"}
        )
        return False, False
    # The numbering columns run from "No" (usually merged across) to the next header.
    numbering_end = next(
        (i for i in range(numbering_start + 1, len(header_cells)) if _text(header_cells[i])),
        len(header_cells),
    )
    label_col = numbering_end
    cols = reader.columns(header, HEADER_ROW_2021)
    if cols is None:
        return False, False

    stack: list[str] = []
    current_question: str | None = None
    pending_inputs: list[str] = []
    for number, cells in enumerate(rows, start=HEADER_ROW_2021 + 1):
        cells = tuple(cells)
        part_index, part = None, ""
        for index in range(numbering_start, min(numbering_end, len(cells))):
            part = _text(cells[index]).rstrip(".")
            if part:
                part_index = index - numbering_start
                break
        if part_index is None:
            # A row without numbering: the next "Jumlah …" input of the question above, if any.
            label = _text(cells[label_col]) if label_col < len(cells) else ""
            if current_question and label:
                if not pending_inputs:
                    reader.problem(
                        number,
                        current_question,
                        _("More input rows than the question has: “%(label)s”.") % {"label": label},
                    )
                    continue
                code = pending_inputs.pop(0)
                reader.input(code, current_question, number, _cell(cells, cols.answer))
            continue
        if part_index > len(stack):
            reader.problem(number, part, _("The numbering skips a level."))
            stack, current_question, pending_inputs = [], None, []
            continue
        stack = [*stack[:part_index], part]
        code = ".".join(stack)
        current_question, pending_inputs = None, []
        criterion = reader.spec.criteria.get(code)
        if criterion is None:
            reader.unknown.setdefault(code, number)
            continue
        if criterion.kind == scoring.QUESTION:
            reader.question(code, number, cells, cols)
            if criterion.answer_type in scoring.COMPUTED_TYPES:
                current_question = code
                pending_inputs = [
                    c for c in reader.spec.children[code] if reader.spec.criteria[c].kind == "input"
                ]
        elif criterion.kind == scoring.INPUT:
            reader.input(code, criterion.parent, number, _cell(cells, cols.answer))
    return cols.note is not None, cols.to_unit is not None


def _read_later(sheet, reader: _Reader) -> tuple[bool, bool]:
    rows = sheet.iter_rows(values_only=True)
    header, header_row = None, None
    for number, cells in enumerate(rows, start=1):
        candidate = _header_map(cells)
        if "kode" in candidate:
            header, header_row = candidate, number
            break
        if number >= 10:
            break
    if header is None:
        reader.problem(1, "", _("The header “%(header)s” is missing.") % {"header": "Kode"})
        return False, False
    code_col = header["kode"]
    cols = reader.columns(header, header_row)
    if cols is None:
        return False, False
    for number, cells in enumerate(rows, start=header_row + 1):
        cells = tuple(cells)
        code = _text(cells[code_col]) if code_col < len(cells) else ""
        if not code:
            continue
        criterion = reader.spec.criteria.get(code)
        if criterion is None:
            reader.unknown.setdefault(code, number)
        elif criterion.kind == scoring.QUESTION:
            reader.question(code, number, cells, cols)
        elif criterion.kind == scoring.INPUT:
            reader.input(code, criterion.parent, number, _cell(cells, cols.answer))
    return cols.note is not None, cols.to_unit is not None
