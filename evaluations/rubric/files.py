"""Read and check a rubric version folder (the CSV files the portal ships), without the database.

A folder holds `version.json` (code, regulation and its other numbers), `lke_rubric.csv` (the
tree), `lke_options.csv` (what qualifies for each option), `lke_questions.csv` (evidence guidance,
optional), `thresholds.csv` (predicate rules) and `excel_formulas.csv` (the official workbook's
departures from the regulation, optional). Every problem in every file is collected, so that one
run names them all.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from django.utils.translation import gettext as _

from evaluations.rubric import scoring

RUBRICS_DIR = Path(__file__).resolve().parent.parent / "rubrics"
DEFAULT_VERSION = "2021"

# The official workbook writes "Ya" in the answer-type column of a yes/no question (A.I.1.i.a).
ANSWER_TYPE_ALIASES = {"ya": "yes_no", "ya/tidak": "yes_no"}
PREDICATES = ("WBK", "WBBM")
# The regulation's numbers version.json may give besides the thresholds (RubricVersion fields).
REGULATION_NUMBERS = ("wbbm_min_years_wbk", "revocation_cooldown_years")

RUBRIC_COLUMNS = ("code", "parent", "kind", "order", "weight", "answer_type", "formula")
OPTION_COLUMNS = ("question_code", "letter", "value")
QUESTION_COLUMNS = ("question_code",)
THRESHOLD_COLUMNS = ("predicate", "order", "rule", "kind", "target", "minimum")
EXCEL_COLUMNS = ("code", "excel_formula")


class RubricInvalid(Exception):
    """A rubric folder that must not be loaded; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class RubricData:
    """A checked rubric folder: plain rows ready for the database and the scoring spec."""

    code: str
    regulation: str
    numbers: dict[str, int] = field(default_factory=dict)  # those version.json gives
    criteria: list[dict] = field(default_factory=list)  # in file order, parents first
    options: list[dict] = field(default_factory=list)
    thresholds: list[dict] = field(default_factory=list)
    spec: scoring.RubricSpec | None = None


def version_folder(code_or_path: str | Path | None = None) -> Path:
    """Return the folder of a shipped version code (default 2021) or of a given path."""
    if code_or_path is None:
        return RUBRICS_DIR / DEFAULT_VERSION
    path = Path(code_or_path)
    if path.is_dir():
        return path
    return RUBRICS_DIR / str(code_or_path)


def read_rubric(folder: Path) -> RubricData:
    """Read and check every file of a rubric folder; raise RubricInvalid listing all problems."""
    errors: list[str] = []
    folder = Path(folder)
    if not folder.is_dir():
        raise RubricInvalid([_("Rubric folder %(folder)s does not exist.") % {"folder": folder}])

    meta = _read_meta(folder / "version.json", errors)
    data = RubricData(
        code=meta.get("code", ""),
        regulation=meta.get("regulation", ""),
        numbers=meta.get("numbers", {}),
    )
    criteria = _read_criteria(folder, errors)
    data.criteria = criteria
    by_code = {row["code"]: row for row in criteria}
    data.options = _read_options(folder, by_code, errors)
    _read_guidance(folder, by_code, errors)
    _read_excel_formulas(folder, by_code, errors)
    data.thresholds = _read_thresholds(folder, by_code, errors)
    _check_weights(criteria, errors)
    _check_options_present(criteria, data.options, errors)
    if not errors:
        try:
            data.spec = spec_from_rows(data.code, criteria, data.options)
        except ValueError as exc:
            errors.append(_("The rubric tree is not valid: %(problem)s") % {"problem": exc})
    if errors:
        raise RubricInvalid(errors)
    return data


CRITERION_FIELDS = (
    "code",
    "kind",
    "order",
    "weight",
    "answer_type",
    "formula",
    "excel_formula",
    "label_id",
    "label_en",
)


def criterion_row(criterion, parent_code: str) -> dict:
    """Return the plain row `spec_from_rows` reads, from a saved criterion."""
    row = {name: getattr(criterion, name) for name in CRITERION_FIELDS}
    row["parent"] = parent_code
    return row


def option_row(option, question_code: str) -> dict:
    """Return the plain row `spec_from_rows` reads, from a saved option."""
    return {
        "question": question_code,
        "letter": option.letter,
        "value": option.value,
        "order": option.order,
    }


def spec_from_rows(code: str, criteria: list[dict], options: list[dict]) -> scoring.RubricSpec:
    """Build the scoring spec from plain criterion and option rows (from files or the database)."""
    options_by_question: dict[str, dict[str, Fraction]] = {}
    for row in sorted(options, key=lambda r: r["order"]):
        options_by_question.setdefault(row["question"], {})[row["letter"]] = Fraction(row["value"])
    return scoring.RubricSpec.build(
        code,
        (
            scoring.CriterionSpec(
                code=row["code"],
                kind=row["kind"],
                parent=row["parent"] or None,
                order=row["order"],
                weight=None if row["weight"] is None else Fraction(row["weight"]),
                answer_type=row["answer_type"],
                formula=scoring.parse_formula(row["formula"]) if row["formula"] else None,
                label_id=row["label_id"],
                label_en=row["label_en"],
                options=options_by_question.get(row["code"], {}),
                excel_formula=(
                    scoring.parse_formula(row["excel_formula"]) if row["excel_formula"] else None
                ),
            )
            for row in criteria
        ),
    )


def threshold_rules(rows) -> list[scoring.ThresholdRule]:
    """Return scoring rules from threshold rows (files or database), lower predicates first."""
    return [
        scoring.ThresholdRule(
            predicate=row["predicate"],
            name=row["rule"],
            kind=row["kind"],
            target=row["target"],
            minimum=None if row["minimum"] is None else Fraction(row["minimum"]),
            label_id=row["label_id"],
            label_en=row["label_en"],
        )
        # PermenPANRB 90/2021: WBBM ranks above WBK.
        for row in sorted(rows, key=lambda r: (PREDICATES.index(r["predicate"]), r["order"]))
    ]


def _where(path: Path, line: int) -> str:
    return _("%(file)s, row %(row)s") % {"file": path.name, "row": line}


def _read_csv(path: Path, required: tuple[str, ...], errors: list[str], *, optional=False):
    """Yield (line number, row) from a CSV file, after checking its header."""
    if not path.exists():
        if not optional:
            errors.append(_("File %(file)s is missing.") % {"file": path.name})
        return
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(
                _("%(file)s lacks the column(s): %(columns)s.")
                % {"file": path.name, "columns": ", ".join(missing)}
            )
            return
        for line, row in enumerate(reader, start=2):
            yield line, {k: (v or "").strip() for k, v in row.items() if k}


def _read_meta(path: Path, errors: list[str]) -> dict:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        errors.append(_("File %(file)s is missing.") % {"file": path.name})
        return {}
    except ValueError:
        errors.append(_("%(file)s is not valid JSON.") % {"file": path.name})
        return {}
    if not str(meta.get("code", "")).strip():
        errors.append(_("%(file)s must give the version code.") % {"file": path.name})
    numbers = {}
    for name in REGULATION_NUMBERS:
        if name not in meta:
            continue
        value = meta[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            errors.append(
                _("%(file)s: %(name)s must be a whole number of years.")
                % {"file": path.name, "name": name}
            )
        else:
            numbers[name] = value
    return {
        "code": str(meta.get("code", "")).strip(),
        "regulation": meta.get("regulation", ""),
        "numbers": numbers,
    }


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _read_criteria(folder: Path, errors: list[str]) -> list[dict]:
    path = folder / "lke_rubric.csv"
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for line, raw in _read_csv(path, RUBRIC_COLUMNS, errors):
        where = _where(path, line)
        code = raw["code"]
        if not code:
            errors.append(_("%(where)s: the code is empty.") % {"where": where})
            continue
        if code in seen:
            errors.append(
                _("%(where)s: code %(code)s already appears on row %(row)s.")
                % {"where": where, "code": code, "row": seen[code]}
            )
            continue
        seen[code] = line
        kind = raw["kind"]
        if kind not in scoring.KINDS:
            errors.append(
                _("%(where)s: %(code)s has an unknown kind %(kind)r.")
                % {"where": where, "code": code, "kind": kind}
            )
        try:
            order = int(raw["order"])
        except ValueError:
            errors.append(_("%(where)s: the order must be a whole number.") % {"where": where})
            order = 0
        weight = None
        if raw["weight"]:
            weight = _decimal(raw["weight"])
            if weight is None or weight < 0:
                errors.append(
                    _("%(where)s: the weight %(weight)r is not a positive number.")
                    % {"where": where, "weight": raw["weight"]}
                )
        answer_type = ANSWER_TYPE_ALIASES.get(raw["answer_type"].lower(), raw["answer_type"])
        allowed = {
            scoring.QUESTION: scoring.QUESTION_TYPES,
            scoring.INPUT: scoring.INPUT_TYPES,
        }.get(kind, {""})
        if answer_type not in allowed:
            errors.append(
                _("%(where)s: %(code)s has an invalid answer type %(type)r.")
                % {"where": where, "code": code, "type": raw["answer_type"]}
            )
        if kind in (scoring.COMPONENT, scoring.SUBCOMPONENT, scoring.AREA, scoring.SUB_AREA) and (
            weight is None
        ):
            errors.append(_("%(where)s: %(code)s needs a weight.") % {"where": where, "code": code})
        rows.append(
            {
                "line": line,
                "code": code,
                "parent": raw["parent"],
                "kind": kind,
                "order": order,
                "weight": weight,
                "answer_type": answer_type,
                "formula": raw["formula"],
                "label_id": raw.get("label_id", ""),
                "label_en": raw.get("label_en", ""),
                "guidance_id": "",
                "guidance_en": "",
                "excel_formula": "",
            }
        )
    by_code = {row["code"]: row for row in rows}
    for row in rows:
        where = _where(path, row["line"])
        parent = row["parent"]
        if parent and parent not in by_code:
            errors.append(
                _("%(where)s: %(code)s names an unknown parent %(parent)s.")
                % {"where": where, "code": row["code"], "parent": parent}
            )
        if not parent and row["kind"] != scoring.COMPONENT:
            errors.append(_("%(where)s: only a component may have no parent.") % {"where": where})
        _check_formula(row, by_code, where, errors)
    return rows


def _check_formula(row: dict, by_code: dict, where: str, errors: list[str]) -> None:
    needs_formula = row["answer_type"] in scoring.COMPUTED_TYPES | {scoring.SURVEY}
    if not row["formula"]:
        if needs_formula:
            errors.append(
                _("%(where)s: %(code)s needs a formula.") % {"where": where, "code": row["code"]}
            )
        return
    try:
        formula = scoring.parse_formula(row["formula"])
    except ValueError as exc:
        errors.append(
            _("%(where)s: the formula of %(code)s cannot be read (%(problem)s).")
            % {"where": where, "code": row["code"], "problem": exc}
        )
        return
    expected = {"percent": "ratio", "decrease": "decrease", "survey": "survey"}
    if expected.get(row["answer_type"]) != formula.function:
        errors.append(
            _("%(where)s: a %(type)s question cannot use %(function)s().")
            % {"where": where, "type": row["answer_type"], "function": formula.function}
        )
    for code in formula.codes:
        target = by_code.get(code)
        if target is None or target["kind"] != scoring.INPUT or target["parent"] != row["code"]:
            errors.append(
                _(
                    "%(where)s: the formula of %(code)s names %(input)s, "
                    "which is not one of its inputs."
                )
                % {"where": where, "code": row["code"], "input": code}
            )


def _check_weights(criteria: list[dict], errors: list[str]) -> None:
    """Refuse a tree whose children's weights do not add up to their parent's weight."""
    children: dict[str, list[dict]] = {}
    for row in criteria:
        children.setdefault(row["parent"], []).append(row)
    for row in criteria:
        weighted = [c["weight"] for c in children.get(row["code"], []) if c["weight"] is not None]
        if not weighted or row["weight"] is None:
            continue
        if sum(weighted) != row["weight"]:
            errors.append(
                _(
                    "%(code)s has weight %(weight)s but its parts add up to %(sum)s: "
                    "the weights of its children must add up to its own."
                )
                % {"code": row["code"], "weight": row["weight"], "sum": sum(weighted)}
            )
    roots = [c["weight"] for c in children.get("", []) if c["weight"] is not None]
    # PermenPANRB 90/2021 scores the LKE out of 100.
    if roots and sum(roots) != 100:
        errors.append(
            _("The components' weights add up to %(sum)s instead of 100.") % {"sum": sum(roots)}
        )


def _read_options(folder: Path, by_code: dict, errors: list[str]) -> list[dict]:
    path = folder / "lke_options.csv"
    rows = []
    seen = set()
    for line, raw in _read_csv(path, OPTION_COLUMNS, errors):
        where = _where(path, line)
        code, letter = raw["question_code"], raw["letter"]
        question = by_code.get(code)
        if question is None or question["kind"] != scoring.QUESTION:
            errors.append(
                _("%(where)s: an option for an unknown question %(code)s.")
                % {"where": where, "code": code}
            )
            continue
        if question["answer_type"] not in scoring.OPTION_TYPES:
            errors.append(
                _("%(where)s: %(code)s is a %(type)s question and takes no options.")
                % {"where": where, "code": code, "type": question["answer_type"]}
            )
            continue
        if not letter or (code, letter) in seen:
            errors.append(
                _("%(where)s: option %(letter)r of %(code)s is empty or repeated.")
                % {"where": where, "letter": letter, "code": code}
            )
            continue
        seen.add((code, letter))
        value = _decimal(raw["value"])
        if value is None or not 0 <= value <= 1:
            errors.append(
                _("%(where)s: the value of an option must be between 0 and 1.") % {"where": where}
            )
            continue
        rows.append(
            {
                "question": code,
                "letter": letter,
                "value": value,
                "order": line,
                "description_id": raw.get("description_id", ""),
                "description_en": raw.get("description_en", ""),
            }
        )
    return rows


def _check_options_present(criteria: list[dict], options: list[dict], errors: list[str]):
    with_options = {row["question"] for row in options}
    for row in criteria:
        if row["answer_type"] in scoring.OPTION_TYPES and row["code"] not in with_options:
            errors.append(
                _("Question %(code)s (%(type)s) has no options in lke_options.csv.")
                % {"code": row["code"], "type": row["answer_type"]}
            )


def _read_guidance(folder: Path, by_code: dict, errors: list[str]) -> None:
    path = folder / "lke_questions.csv"
    for line, raw in _read_csv(path, QUESTION_COLUMNS, errors, optional=True):
        question = by_code.get(raw["question_code"])
        if question is None or question["kind"] != scoring.QUESTION:
            errors.append(
                _("%(where)s: guidance for an unknown question %(code)s.")
                % {"where": _where(path, line), "code": raw["question_code"]}
            )
            continue
        question["guidance_id"] = raw.get("guidance_id", "")
        question["guidance_en"] = raw.get("guidance_en", "")


def _read_excel_formulas(folder: Path, by_code: dict, errors: list[str]) -> None:
    path = folder / "excel_formulas.csv"
    for line, raw in _read_csv(path, EXCEL_COLUMNS, errors, optional=True):
        where = _where(path, line)
        row = by_code.get(raw["code"])
        if row is None:
            errors.append(
                _("%(where)s: unknown criterion %(code)s.") % {"where": where, "code": raw["code"]}
            )
            continue
        try:
            formula = scoring.parse_formula(raw["excel_formula"])
        except ValueError as exc:
            errors.append(
                _("%(where)s: the formula cannot be read (%(problem)s).")
                % {"where": where, "problem": exc}
            )
            continue
        unknown = [code for code in formula.codes if code not in by_code]
        if formula.function not in scoring.EXCEL_FUNCTIONS or unknown:
            errors.append(
                _(
                    "%(where)s: an Excel formula must be only(<question code>), skip() or "
                    "requires(<input codes>)."
                )
                % {"where": where}
            )
            continue
        row["excel_formula"] = raw["excel_formula"]


def _read_thresholds(folder: Path, by_code: dict, errors: list[str]) -> list[dict]:
    path = folder / "thresholds.csv"
    rows = []
    seen = set()
    for line, raw in _read_csv(path, THRESHOLD_COLUMNS, errors):
        where = _where(path, line)
        predicate, rule, kind, target = raw["predicate"], raw["rule"], raw["kind"], raw["target"]
        if predicate not in PREDICATES:
            errors.append(
                _("%(where)s: unknown predicate %(predicate)r.")
                % {"where": where, "predicate": predicate}
            )
            continue
        if not rule or (predicate, rule) in seen:
            errors.append(
                _("%(where)s: rule %(rule)r is empty or repeated.") % {"where": where, "rule": rule}
            )
            continue
        seen.add((predicate, rule))
        if kind not in scoring.RULE_KINDS:
            errors.append(
                _("%(where)s: unknown rule kind %(kind)r.") % {"where": where, "kind": kind}
            )
            continue
        minimum = _decimal(raw["minimum"]) if raw["minimum"] else None
        if kind == scoring.RULE_PRIOR_PREDICATE:
            if target not in PREDICATES:
                errors.append(
                    _("%(where)s: a prior-predicate rule must name WBK or WBBM.") % {"where": where}
                )
                continue
        elif minimum is None or minimum < 0:
            errors.append(_("%(where)s: the minimum must be a positive number.") % {"where": where})
            continue
        elif kind == scoring.RULE_SCORE and target and target not in by_code:
            errors.append(
                _("%(where)s: unknown criterion %(code)s.") % {"where": where, "code": target}
            )
            continue
        elif kind == scoring.RULE_AREA_SHARE and minimum > 1:
            errors.append(
                _("%(where)s: an area share is a fraction between 0 and 1.") % {"where": where}
            )
            continue
        try:
            order = int(raw["order"])
        except ValueError:
            order = line
        rows.append(
            {
                "predicate": predicate,
                "order": order,
                "rule": rule,
                "kind": kind,
                "target": target,
                "minimum": minimum,
                "label_id": raw.get("label_id", ""),
                "label_en": raw.get("label_en", ""),
            }
        )
    return rows
