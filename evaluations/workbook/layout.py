"""The official LKE layout: find the header and the columns, and match the rows to the rubric.

In the official "LKE ZI" sheet the header stands on row 2: "Penilaian" (merged over the code
columns), "Bobot", "Penjelasan", "Pilihan Jawaban", "Jawaban", "Nilai", " %", an empty column,
then "Catatan/Keterangan/Penjelasan" and, with no header at all, the evidence description and
the evidence link. The portal's own export adds the TPI's and the TPN's columns after those.

Codes are spread over the "Penilaian" columns, one level a column, and their markers are not
reliable ("a.", "a", "-"; one sub-area has none at all). So the rows are matched to the rubric by
the tree's order and by their shape (weight, answer type, input row), and a marker is checked
only where it names something. Where the file and the rubric disagree, each disagreement is
reported with the row, what the rubric expects and what the file holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluations import numbers
from evaluations.rubric import scoring
from evaluations.workbook import cells
from evaluations.workbook.package import Sheet
from evaluations.workbook.problems import Problem

HEADER_SEARCH_ROWS = 10
STOP_TEXT = "nilai evaluasi"  # "NILAI EVALUASI ZONA INTEGRITAS": the grand total, then signatures
INPUT_TYPES = frozenset({"jumlah", "rupiah"})
# A marker: "A.", "I.", "1.", "iii.", "a", "h", "c. " or "-" (a question with no letter).
_MARKER = re.compile(r"(?:[A-Za-z]{1,5}|\d{1,3})\.?|-")

# Header texts, compared lower-case with punctuation reduced to spaces (" %" is "%").
CODES = "penilaian"
WEIGHT = "bobot"
TYPE = "pilihan jawaban"
ANSWER = {"self": "jawaban", "tpi": "jawaban tpi", "tpn": "jawaban tpn"}
NOTE = {"self": "catatan keterangan penjelasan", "tpi": "catatan tpi", "tpn": "catatan tpn"}
NOTE_TO_UNIT = {"tpi": "catatan tpi untuk unit", "tpn": "catatan tpn untuk unit"}
# Shown in messages, as the official file spells them.
TITLES = {
    CODES: "Penilaian",
    WEIGHT: "Bobot",
    TYPE: "Pilihan Jawaban",
    "jawaban": "Jawaban",
    "jawaban tpi": "Jawaban TPI",
    "jawaban tpn": "Jawaban TPN",
}


def normalize(value) -> str:
    return re.sub(r"[^0-9a-z%]+", " ", str(value or "").lower()).strip()


@dataclass(frozen=True)
class Columns:
    """Where things stand (column numbers from 1); None: the sheet has no such column."""

    header_row: int
    first_code: int
    weight: int
    type: int
    answer: int
    note: int | None
    note_to_unit: int | None
    description: int | None
    link: int | None


def find_columns(sheet: Sheet, level: str, problems: list[Problem]) -> Columns | None:
    """Return the columns of the level's answers, or None after recording what is missing.

    A workbook without the level's own column (an official file has one "Jawaban" column) is
    read from its plain "Jawaban" column, whichever level it is imported as.
    """
    header_row, header = None, {}
    for number in range(1, min(HEADER_SEARCH_ROWS, len(sheet.rows)) + 1):
        found = {}
        for index, value in enumerate(sheet.rows[number - 1], start=1):
            name = normalize(value)
            if name and name not in found:
                found[name] = index
        if CODES in found and WEIGHT in found:
            header_row, header = number, found
            break
    if header_row is None:
        problems.append(
            Problem(
                sheet.title,
                None,
                "",
                _("No header row with “Penilaian” and “Bobot” in the first %(rows)s rows.")
                % {"rows": HEADER_SEARCH_ROWS},
            )
        )
        return None
    own = ANSWER[level] in header
    answer_name = ANSWER[level] if own else ANSWER["self"]
    missing = [name for name in (TYPE, answer_name) if name not in header]
    if header[WEIGHT] <= header[CODES]:
        missing.append(WEIGHT)
    for name in missing:
        problems.append(
            Problem(
                sheet.title,
                header_row,
                "",
                _("The header “%(header)s” is missing.") % {"header": TITLES[name]},
            )
        )
    if missing:
        return None
    unit_note = header.get(NOTE["self"])
    if unit_note is None and "catatan" in header:
        unit_note = header["catatan"]
    note = header.get(NOTE[level]) if own and level != "self" else unit_note
    # The evidence description and link have no header: the two columns after the unit's note.
    description = link = None
    if unit_note is not None:
        row = sheet.rows[header_row - 1]
        beside = [unit_note + 1, unit_note + 2]
        if all(index > len(row) or not cells.text(row[index - 1]) for index in beside):
            description, link = beside
    return Columns(
        header_row=header_row,
        first_code=header[CODES],
        weight=header[WEIGHT],
        type=header[TYPE],
        answer=header[answer_name],
        note=note,
        note_to_unit=header.get(NOTE_TO_UNIT.get(level, "")) if own else None,
        description=description,
        link=link,
    )


# --- Rows -------------------------------------------------------------------------------------

INPUT = "input"
PERCENT = "percent"
SURVEY = "survey"
OPTIONS = "options"


@dataclass(frozen=True)
class Row:
    """One row of the tree as the file holds it, described by its shape."""

    number: int
    marker: str | None  # "a", "iii", "1", "-", or None when the row has none
    label: str
    weight: Decimal | None
    weight_text: str  # as typed, for messages
    type_text: str  # "Pilihan Jawaban" as typed
    type: str | None  # INPUT, PERCENT, SURVEY, OPTIONS or None (or "other")
    letters: frozenset[str] = frozenset()  # of an OPTIONS type, lower-case

    def describe(self) -> str:
        """Return what the row holds, for a message."""
        parts = []
        if self.marker:
            parts.append(self.marker)
        if self.label:
            parts.append(f"“{_shorten(self.label)}”")
        details = []
        if self.weight_text:
            details.append(_("weight %(weight)s") % {"weight": self.weight_text})
        if self.type_text:
            details.append(_("answer type %(type)s") % {"type": _one_line(self.type_text)})
        if details:
            parts.append(f"({', '.join(details)})")
        return " ".join(parts) or _("an empty row")


def _shorten(text: str, limit: int = 60) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _answer_type(text: str) -> tuple[str | None, frozenset[str]]:
    name = " ".join(text.lower().split())
    if not name:
        return None, frozenset()
    if name in INPUT_TYPES:
        return INPUT, frozenset()
    if name == "%":
        return PERCENT, frozenset()
    if name.startswith("nilai"):  # "Nilai\n(0-4)": the survey index
        return SURVEY, frozenset()
    if name == "ya":  # the first question of the official file says "Ya" for "Ya/Tidak"
        return OPTIONS, frozenset({"ya", "tidak"})
    letters = [part.strip() for part in name.split("/")]
    if len(letters) > 1 and all(part.isalpha() and len(part) <= 5 for part in letters):
        return OPTIONS, frozenset(letters)
    return "other", frozenset()


def _weight(value) -> tuple[Decimal | None, str]:
    shown = cells.text(value)
    if not shown:
        return None, ""
    try:
        found, percent = numbers.number(value)
    except cells.CellError:
        return None, shown
    if percent or abs(found.adjusted()) > 6:
        return None, shown
    return found, shown


def tree_rows(sheet: Sheet, columns: Columns) -> list[Row]:
    """Return the rows between the header and "NILAI EVALUASI …", blank and total rows left out."""
    found = []
    code_columns = range(columns.first_code, columns.weight)
    for number in range(columns.header_row + 1, len(sheet.rows) + 1):
        texts = [cells.text(sheet.value(number, column)) for column in code_columns]
        filled = [t for t in texts if t]
        marker = label = None
        if filled:
            if _MARKER.fullmatch(filled[0]):
                marker = filled[0].rstrip(".").strip() or "-"
                label = filled[1] if len(filled) > 1 else ""
            else:
                label = filled[0]
        label = label or ""
        if normalize(label).startswith(STOP_TEXT) or normalize(marker).startswith(STOP_TEXT):
            break
        weight, weight_text = _weight(sheet.value(number, columns.weight))
        type_text = cells.text(sheet.value(number, columns.type))
        answer = cells.text(sheet.value(number, columns.answer))
        if not filled and not weight_text and not type_text and not answer:
            continue  # a blank row (the official file has a few)
        if normalize(label).startswith("total") and not weight_text and not type_text:
            continue  # "TOTAL PENGUNGKIT", "TOTAL HASIL": the workbook's own sums
        kind, letters = _answer_type(type_text)
        found.append(Row(number, marker, label, weight, weight_text, type_text, kind, letters))
    return found


# --- Matching rows to the rubric --------------------------------------------------------------


def type_text(criterion: scoring.CriterionSpec) -> str:
    """Return the "Pilihan Jawaban" text of a question as the official file writes it."""
    if criterion.options:
        return "/".join(criterion.options)
    if criterion.answer_type == scoring.SURVEY:
        return "Nilai (0-4)"
    return "%"


def _kind_name(criterion: scoring.CriterionSpec) -> str:
    return {
        scoring.COMPONENT: _("component"),
        scoring.SUBCOMPONENT: _("subcomponent"),
        scoring.AREA: _("area"),
        scoring.SUB_AREA: _("sub-area"),
        scoring.QUESTION: _("question"),
        scoring.INPUT: _("input row (Jumlah)"),
    }[criterion.kind]


def describe(criterion: scoring.CriterionSpec) -> str:
    """Return what the rubric expects for a criterion, for a message."""
    details = []
    if criterion.weight is not None:
        details.append(_("weight %(weight)s") % {"weight": _number(criterion.weight)})
    if criterion.kind == scoring.QUESTION:
        details.append(_("answer type %(type)s") % {"type": type_text(criterion)})
    text = f"{_kind_name(criterion)} {criterion.code} “{_shorten(criterion.label_id)}”"
    return f"{text} ({', '.join(details)})" if details else text


def _number(value) -> str:
    value = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{value.normalize():f}"


def _same_weight(expected, found: Row) -> bool:
    if expected is None:
        return not found.weight_text
    return found.weight is not None and found.weight == Decimal(_number(expected))


def _matches_type(criterion: scoring.CriterionSpec, row: Row) -> bool:
    if criterion.options:
        return row.type == OPTIONS and row.letters == {k.lower() for k in criterion.options}
    if criterion.answer_type == scoring.SURVEY:
        return row.type == SURVEY
    return row.type == PERCENT


def compare(criterion: scoring.CriterionSpec, row: Row) -> list[str] | None:
    """Return how a row differs from what the rubric expects there ([]: it is that criterion).

    None when the row cannot be that criterion at all (an input row for a question, …).
    """
    if criterion.kind == scoring.INPUT:
        if row.type == INPUT:
            return []
        if row.type is None and not row.weight_text and row.marker in (None, "-"):
            return [_("answer type: expected Jumlah, found none")]
        return None
    if row.type == INPUT:
        return None
    issues = []
    last = criterion.code.rsplit(".", 1)[-1]
    if row.marker not in (None, "-") and row.marker.lower() != last.lower():
        issues.append(
            _("number: expected %(expected)s, found %(found)s")
            % {"expected": last, "found": row.marker}
        )
    if not _same_weight(criterion.weight, row):
        issues.append(
            _("weight: expected %(expected)s, found %(found)s")
            % {
                "expected": _number(criterion.weight) if criterion.weight is not None else "—",
                "found": row.weight_text or "—",
            }
        )
    if criterion.kind == scoring.QUESTION:
        if not _matches_type(criterion, row):
            issues.append(
                _("answer type: expected %(expected)s, found %(found)s")
                % {"expected": type_text(criterion), "found": _one_line(row.type_text) or "—"}
            )
    elif row.type in (OPTIONS, SURVEY):
        # A heading row with a question's answer type (a "%" there is a quirk of the file).
        issues.append(
            _("answer type: expected none, found %(found)s") % {"found": _one_line(row.type_text)}
        )
    return issues


@dataclass
class Match:
    rows: dict[str, Row]  # criterion code → its row
    problems: list[Problem]
    # Criteria whose row differs from the rubric: their cells mean nothing, so are not checked.
    mismatched: set[str] = field(default_factory=set)


def match(spec: scoring.RubricSpec, rows: list[Row], sheet: str) -> Match:
    """Pair the rubric's criteria (tree order) with the file's rows; report every disagreement."""
    expected = list(spec.criteria.values())
    if len(rows) == len(expected):
        pairs = list(zip(expected, rows, strict=True))
        if all(compare(c, r) == [] for c, r in pairs):
            return Match({c.code: r for c, r in pairs}, [])
    if len(rows) > 2 * len(expected) + 50:
        return Match(
            {},
            [
                Problem(
                    sheet,
                    None,
                    "",
                    _(
                        "The sheet has %(rows)s rows of criteria where the rubric has %(count)s: "
                        "it is not an LKE of this rubric version."
                    )
                    % {"rows": len(rows), "count": len(expected)},
                )
            ],
        )
    return _align(expected, rows, sheet)


def _score(issues: list[str] | None) -> int:
    return -1 if issues is None else 4 - min(len(issues), 3)


def _align(expected, rows: list[Row], sheet: str) -> Match:
    """Align criteria and rows, preferring exact pairs; what stays unpaired is reported.

    A longest-common-subsequence alignment weighted by how well a pair fits: a row removed or
    added shifts nothing else, and two rows swapped are named both.
    """
    n, m = len(expected), len(rows)
    issues: dict[tuple[int, int], list[str] | None] = {}
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        criterion = expected[i - 1]
        previous, current = best[i - 1], best[i]
        for j in range(1, m + 1):
            found = compare(criterion, rows[j - 1])
            issues[i, j] = found
            value = max(previous[j], current[j - 1])
            if found is not None:
                value = max(value, previous[j - 1] + _score(found))
            current[j] = value
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        found = issues[i, j]
        if found is not None and best[i][j] == best[i - 1][j - 1] + _score(found):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    matched, problems, mismatched = {}, [], set()
    paired_rows = {j for _i, j in pairs}
    paired_criteria = dict(pairs)
    for i, j in pairs:
        criterion, row = expected[i], rows[j]
        matched[criterion.code] = row
        found = issues[i + 1, j + 1]
        if found:
            mismatched.add(criterion.code)
            problems.append(
                Problem(
                    sheet,
                    row.number,
                    criterion.code,
                    _("The row does not match the rubric's %(expected)s: %(issues)s.")
                    % {"expected": describe(criterion), "issues": "; ".join(found)},
                )
            )
    for i, criterion in enumerate(expected):
        if i in paired_criteria:
            continue
        # Name the row where it should stand: the next row that was matched, else the end.
        after = next((paired_criteria[k] for k in range(i + 1, n) if k in paired_criteria), None)
        where = rows[after].number if after is not None else (rows[-1].number + 1 if rows else None)
        problems.append(
            Problem(
                sheet,
                where,
                criterion.code,
                _("The rubric expects here its %(expected)s; the file has no such row.")
                % {"expected": describe(criterion)},
            )
        )
    for j, row in enumerate(rows):
        if j not in paired_rows:
            problems.append(
                Problem(
                    sheet,
                    row.number,
                    "",
                    _("The rubric has no row like this here: %(found)s.")
                    % {"found": row.describe()},
                )
            )
    return Match(matched, problems, mismatched)
