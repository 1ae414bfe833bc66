"""National-scale demo data: ~600 agencies, ~20,000 units, years of fully answered LKEs, awards.

Two steps: `build_plan` decides everything from a seed (pure, no database writes), `write_plan`
loads it in bulk (COPY on PostgreSQL, bulk_create elsewhere).

Honest shortcut: 20,000 units × 5 years × 2 levels is ~22 million answer rows. Each evaluation's
answers at a level are one of a few hundred generated answer *patterns*, scored once with
`scoring.score` (the stored totals are exactly what rescoring those answers gives), while every
evaluation still gets its own full set of answer rows. A unit's pattern follows its quality, which
drifts a little each year, so a strong unit stays strong.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from awards.models import Announcement, Award
from evaluations import selectors, services
from evaluations.models import Answer, Criterion, Evaluation, EvaluationScore, Level, Option
from evaluations.rubric import scoring
from units.models import Agency, Membership, Role, Unit
from units.provinces import PROVINCES

from . import names, submissions

S = Evaluation.Status
FULL_UNITS = 20_000
# Shares per year, after KemenPANRB's national figures: about a fifth of units are proposed
# (2020: 3,691 proposed), of them ~18% get WBK (681) and ~2% WBBM (82).
PROPOSE_SHARE = 0.8  # of the units whose TPI verdict allows a proposal
WBK_AWARD_CHANCE = 0.24
WBBM_AWARD_CHANCE = 0.1
REVOCATION_CHANCE = 0.012
CAPABLE_SHARE = 0.27  # of answer patterns that reach at least WBK at TPI level
LATE_STAGES = [S.PROPOSED, S.ADMIN_SELECTION, S.DESK_EVALUATION, S.FIELD_EVALUATION, S.PANEL]
REVOCATION_REASONS = [
    "Pegawai unit terjaring operasi tangkap tangan dugaan pungutan liar.",
    "Pimpinan unit ditetapkan sebagai tersangka tindak pidana korupsi.",
    "Hasil pemantauan menunjukkan penurunan kualitas pelayanan dan pengaduan yang tidak "
    "ditindaklanjuti.",
]


class NationalDataExists(Exception):
    pass


# --- The plan ---------------------------------------------------------------------------------


@dataclass
class Pattern:
    """One full set of answers of a level, with its score."""

    rows: list[tuple[str, str | None, str | None, dict]]  # question, letter, number, inputs
    breakdown: scoring.Breakdown
    rank: tuple


@dataclass
class Plan:
    agencies: list[tuple[str, str, str, str]]  # code, name, kind, province
    units: list[tuple[str, str, str, str]]  # agency code, code, name, service kind
    # unit code, year, status, self pattern, TPI pattern, held predicates at that year
    evaluations: list[tuple[str, int, str, int, int, frozenset]]
    # unit code, year, predicate, decree number, decree date, revoked on, reason, revocation decree
    awards: list[tuple]
    patterns: dict[str, list[Pattern]]
    years: list[int]
    rules: list  # the rubric's threshold rules the verdicts were decided with
    proposed: dict[int, int] = field(default_factory=dict)  # year → units proposed
    # unit code, year, predicate proposed: one per unit its agency proposed to KemenPANRB
    proposals: list[tuple[str, int, str]] = field(default_factory=list)
    seed: int = 2026  # people's names (accounts, signers) follow from it too


def agency_catalogue(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """Return every national agency: ministries, institutions, provinces, regencies and cities."""
    rows = [(code, name, Agency.Kind.MINISTRY, "") for code, name in names.MINISTRIES]
    rows += [(code, name, Agency.Kind.INSTITUTION, "") for code, name in names.INSTITUTIONS]
    taken = set(names.CAPITALS.values())
    codes = {row[0] for row in rows}
    for province in PROVINCES:
        rows.append(
            (
                _code("PROV", province, codes),
                f"Pemerintah Provinsi {province}",
                Agency.Kind.PROVINCE,
                province,
            )
        )
        count = names.REGIONS_PER_PROVINCE[province]
        if not count:
            continue
        regions = [("kota", names.CAPITALS[province])]
        for place in names.place_names(rng, count - 1, taken):
            regions.append(("kota" if rng.random() < 0.18 else "kabupaten", place))
        for kind, place in regions:
            label = "Kota" if kind == "kota" else "Kabupaten"
            prefix = "KOTA" if kind == "kota" else "KAB"
            rows.append(
                (_code(prefix, place, codes), f"Pemerintah {label} {place}", kind, province)
            )
    return rows


def _code(prefix: str, name: str, taken: set[str]) -> str:
    base = f"{prefix}-" + "-".join(name.upper().replace(".", "").split())
    base = base[:27]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    taken.add(code)
    return code


def _pick_agencies(rng, catalogue, units, taken_names, taken_codes):
    catalogue = [
        row for row in catalogue if row[1] not in taken_names and row[0] not in taken_codes
    ]
    if units >= FULL_UNITS:
        return catalogue
    share = units / FULL_UNITS
    chosen = []
    for kind in Agency.Kind.values:
        group = [row for row in catalogue if row[2] == kind]
        chosen += rng.sample(group, min(len(group), max(1, round(len(group) * share))))
    return chosen


UNIT_WEIGHTS = {"KEMENKEU": 40, "KEMENHUKUM": 1.5, "BMKG": 4, "BASARNAS": 3, "BARANTIN": 2}


def _unit_weight(code: str, kind: str) -> float:
    # Kemenkeu runs the most offices (tax, customs, treasury); ministries with a national network
    # follow; a regency runs a few dozen units.
    if code in UNIT_WEIGHTS:
        return UNIT_WEIGHTS[code]
    if code in names.NATIONAL_UNITS:
        return 14
    return {"kementerian": 3, "lembaga": 2, "provinsi": 2.5}.get(kind, 1)


def _allocate(rng, agencies, total):
    weights = [_unit_weight(code, kind) * rng.uniform(0.7, 1.3) for code, _n, kind, _p in agencies]
    scale = total / sum(weights)
    counts = [max(1, math.floor(w * scale)) for w in weights]
    while sum(counts) < total:
        counts[rng.randrange(len(counts))] += 1
    while sum(counts) > total:
        i = rng.randrange(len(counts))
        if counts[i] > 1:
            counts[i] -= 1
    return counts


def _unit_names(rng, fake, agency, count, cities):
    code, agency_name, kind, province = agency
    found: list[tuple[str, str]] = []
    used: set[str] = set()
    if kind in Agency.REGIONAL_KINDS:
        region = agency_name.removeprefix("Pemerintah ")
        fixed = rng.sample(names.REGIONAL_UNITS, len(names.REGIONAL_UNITS))
        templates = iter(fixed)
    else:
        region = None
        pool = names.NATIONAL_UNITS.get(code, names.GENERIC_NATIONAL_UNITS)
        templates = None
    attempts = 0
    while len(found) < count:
        attempts += 1
        template = next(templates, None) if templates else None
        if template is None:
            template = rng.choice(names.REGIONAL_PLACE_UNITS if region else pool)
        values = {
            "region": region or rng.choice(cities)[1],
            "city": rng.choice(cities)[0],
            "prov": province or rng.choice(PROVINCES),
            "place": names.place_name(rng),
            "agency": agency_name,
            "n": rng.randint(1, 9),
        }
        if "{person}" in template[0]:
            values["person"] = names.namesake(fake)
        name = template[0].format(**values)
        if name in used:
            if attempts < count * 3:
                continue
            name = f"{name} {len(found) + 1}"
        used.add(name)
        found.append((name[:200], template[1]))
    return found


def _answers(spec: scoring.RubricSpec, rng: random.Random, strength: float):
    """Return one full set of answers of the given strength (0–1) as (question, letter, number,
    inputs) rows, and the same answers shaped for `scoring.score`."""
    rows, answers, all_inputs = [], {}, {}
    for question in spec.questions:
        good = rng.random() < strength
        letter = number = None
        inputs: dict[str, str] = {}
        if question.options:
            letters = sorted(question.options, key=question.options.get, reverse=True)
            letter = letters[0] if good else rng.choice(letters)
            answers[question.code] = letter
        elif question.answer_type == scoring.SURVEY:
            index = rng.uniform(3.6, 4.0) if good else rng.uniform(2.8, 3.7)
            number = f"{index:.2f}"
            answers[question.code] = Decimal(number)
        elif question.formula.function == "ratio":
            numerator, denominator = question.formula.args
            values = {code: rng.randint(5, 40) for code in denominator}
            whole = sum(values.values())
            values[numerator[0]] = whole if good else rng.randint(whole // 3, whole)
            inputs = {code: str(v) for code, v in values.items()}
        else:
            previous = rng.randint(1, 12)
            current = rng.randint(0, previous // 2) if good else rng.randint(0, 15)
            first, second = question.formula.codes
            inputs = {first: str(previous), second: str(current)}
        all_inputs.update(inputs)
        rows.append((question.code, letter, number, inputs))
    return rows, answers, all_inputs


_RANK = {None: 0, "WBK": 1, "WBBM": 2}


def make_patterns(spec, rules, rng, count: int) -> list[Pattern]:
    """Return `count` answer patterns, CAPABLE_SHARE of them good enough for WBK, weakest first."""
    want_capable = max(1, round(count * CAPABLE_SHARE))
    capable, weak = [], []
    while len(capable) < want_capable or len(weak) < count - want_capable:
        strength = rng.uniform(0.9, 1.0) if len(weak) >= count - want_capable else rng.random()
        rows, answers, inputs = _answers(spec, rng, max(strength, 0.35))
        breakdown = scoring.score(spec, answers, inputs)
        # Ranked as if the unit held WBK, so the best patterns are the WBBM-worthy ones.
        verdict = scoring.predicate(breakdown, rules, {"WBK"}).verdict
        pattern = Pattern(rows, breakdown, (_RANK[verdict], breakdown.total))
        bucket = capable if verdict else weak
        if len(bucket) < (want_capable if verdict else count - want_capable):
            bucket.append(pattern)
    return sorted(weak + capable, key=lambda p: p.rank)


def build_plan(
    *,
    spec: scoring.RubricSpec,
    rules,
    units: int = FULL_UNITS,
    years: int = 5,
    last_year: int = 2025,
    seed: int = 2026,
    patterns: int | None = None,
    taken_names=frozenset(),
    taken_codes=frozenset(),
) -> Plan:
    """Decide every agency, unit, evaluation and award from the seed (no database access)."""
    rng = random.Random(seed)
    fake = names.faker(seed)
    catalogue = agency_catalogue(rng)
    agencies = _pick_agencies(rng, catalogue, units, set(taken_names), set(taken_codes))
    cities = [
        (name.split(" ", 2)[2], name.removeprefix("Pemerintah "))
        for _c, name, kind, _p in catalogue
        if kind in (Agency.Kind.REGENCY, Agency.Kind.CITY)
    ]
    unit_rows = []
    for agency, count in zip(agencies, _allocate(rng, agencies, units), strict=True):
        for n, (name, kind) in enumerate(_unit_names(rng, fake, agency, count, cities), 1):
            unit_rows.append((agency[0], f"{agency[0]}-{n:04d}", name, kind))

    year_list = list(range(last_year - years + 1, last_year + 1))
    count = patterns or min(400, max(20, len(unit_rows) * years // 4))
    pools = {level: make_patterns(spec, rules, rng, count) for level in (Level.SELF, Level.TPI)}

    verdicts: dict[tuple, str | None] = {}

    def verdict(pattern: Pattern, held: frozenset) -> str | None:
        key = (id(pattern), held)
        if key not in verdicts:
            verdicts[key] = scoring.predicate(pattern.breakdown, rules, held).verdict
        return verdicts[key]

    quality = {code: rng.random() for _a, code, _n, _k in unit_rows}
    held: dict[str, dict[str, int]] = {}  # unit → predicate → year first held (not revoked)
    blocked_until: dict[str, int] = {}
    evaluations, awards, proposed, proposals = [], [], {}, []
    for step, year in enumerate(year_list):
        decree = {p: rng.randint(100, 1999) for p in ("WBK", "WBBM")}
        decree_day = date(year, 12, rng.randint(5, 12))
        proposed[year] = 0
        for _agency, code, _name, _kind in unit_rows:
            q = min(0.999, max(0.0, quality[code] + 0.012 * step + rng.gauss(0, 0.04)))
            tpi_index = int(q * count)
            self_index = min(count - 1, int(min(0.999, q + rng.uniform(0, 0.08)) * count))
            predicates = frozenset(held.get(code, {}))
            found = verdict(pools[Level.TPI][tpi_index], predicates)
            wbk_since = held.get(code, {}).get("WBK")
            candidate = None
            if blocked_until.get(code, 0) < year and found:
                if found == "WBBM" and wbk_since and wbk_since <= year - 2:
                    candidate = "WBBM" if "WBBM" not in predicates else None
                elif not wbk_since:
                    candidate = "WBK"
            is_proposed = candidate is not None and rng.random() < PROPOSE_SHARE
            status = S.TPI_FINAL
            if is_proposed:
                proposed[year] += 1
                proposals.append((code, year, candidate))
                if year == last_year:
                    status = rng.choice(LATE_STAGES)  # this year's ceremony is still to come
                else:
                    chance = WBBM_AWARD_CHANCE if candidate == "WBBM" else WBK_AWARD_CHANCE
                    status = S.NOT_AWARDED
                    if rng.random() < chance:
                        status = S.AWARDED_WBBM if candidate == "WBBM" else S.AWARDED_WBK
                        revoked = None
                        if rng.random() < REVOCATION_CHANCE:
                            status = S.REVOKED
                            revoked = date(year + 1, rng.randint(1, 11), rng.randint(1, 28))
                            blocked_until[code] = year + 2
                        else:
                            held.setdefault(code, {}).setdefault("WBK", year)
                            if candidate == "WBBM":
                                held[code]["WBBM"] = year
                        awards.append(
                            (
                                code,
                                year,
                                candidate,
                                f"Keputusan Menteri PANRB Nomor {decree[candidate]} Tahun {year}",
                                decree_day,
                                revoked,
                                rng.choice(REVOCATION_REASONS) if revoked else "",
                                f"Keputusan Menteri PANRB Nomor {rng.randint(2000, 2999)} "
                                f"Tahun {year + 1}"
                                if revoked
                                else "",
                            )
                        )
            elif year == last_year and rng.random() < 0.2:
                status = S.TPI_REVIEW
            evaluations.append((code, year, status, self_index, tpi_index, predicates))
    return Plan(
        agencies,
        unit_rows,
        evaluations,
        awards,
        pools,
        year_list,
        rules,
        proposed,
        proposals,
        seed,
    )


# --- Writing it -------------------------------------------------------------------------------


class Progress:
    """A one-line textual progress bar on stderr."""

    def __init__(self, label: str, total: int, stream=None):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream if stream is not None else sys.stderr
        self.start = self.shown = time.monotonic()
        self._draw()

    def advance(self, n: int = 1):
        self.done += n
        now = time.monotonic()
        if now - self.shown >= 0.5 or self.done >= self.total:
            self.shown = now
            self._draw()

    def _draw(self):
        share = min(1.0, self.done / self.total)
        bar = "#" * int(share * 30)
        elapsed = time.monotonic() - self.start
        self.stream.write(
            f"\r{self.label:<12} [{bar:<30}] {share:6.1%} {self.done:,}/{self.total:,} "
            f"{elapsed:6.1f}s"
        )
        self.stream.flush()

    def finish(self):
        if self.done < self.total or time.monotonic() > self.shown:
            self.done = self.total
            self._draw()
        self.stream.write("\n")
        self.stream.flush()


def _postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def _copy(table: str, columns: str):
    """PostgreSQL COPY … FROM STDIN on the current connection (inside its transaction)."""
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        yield copy


def _insert(model, fields: list[str], rows, progress: Progress | None = None, batch=5000):
    """Insert rows (tuples in `fields` order) in bulk: COPY on PostgreSQL, bulk_create elsewhere."""
    if _postgres():
        columns = ", ".join(model._meta.get_field(f).column for f in fields)
        with _copy(model._meta.db_table, columns) as copy:
            for row in rows:
                copy.write_row(row)
                if progress:
                    progress.advance()
        return
    pending = []
    for row in rows:
        pending.append(model(**dict(zip(fields, row, strict=True))))
        if len(pending) >= batch:
            model.objects.bulk_create(pending, batch_size=batch)
            if progress:
                progress.advance(len(pending))
            pending = []
    model.objects.bulk_create(pending, batch_size=batch)
    if progress:
        progress.advance(len(pending))


def national_data_exists(small_codes) -> bool:
    return Agency.objects.exclude(code__in=list(small_codes)).exists()


@transaction.atomic
def write_plan(plan: Plan, *, rubric, stdout=None) -> dict[str, int]:
    """Load a plan into the database in bulk; return how many rows of each kind were written."""
    err = stdout or sys.stderr
    stamp = timezone.now()
    agency_fields = ["code", "name", "kind", "province", "created_at"]
    _insert(Agency, agency_fields, (row + (stamp,) for row in plan.agencies))
    agency_ids = dict(
        Agency.objects.filter(code__in=[a[0] for a in plan.agencies]).values_list("code", "id")
    )
    progress = Progress("units", len(plan.units), err)
    _insert(
        Unit,
        ["agency_id", "code", "name", "service_kind", "is_active", "created_at"],
        ((agency_ids[a], code, name, kind, True, stamp) for a, code, name, kind in plan.units),
        progress,
    )
    progress.finish()
    unit_ids = dict(
        Unit.objects.filter(agency_id__in=agency_ids.values()).values_list("code", "id")
    )
    unit_agency_ids = {code: agency_ids[a] for a, code, _name, _kind in plan.units}
    agency_names = {row[0]: row[1] for row in plan.agencies}
    # What Evaluation.save() would copy: the names the evaluation list sorts by.
    list_names = {code: (agency_names[a], name) for a, code, name, _kind in plan.units}

    def year_stamp(year):
        return timezone.make_aware(datetime(year, 2, 1, 9, 0))

    progress = Progress("evaluations", len(plan.evaluations), err)
    _insert(
        Evaluation,
        [
            "unit_id",
            "agency_id",
            "year",
            "rubric_id",
            "status",
            "content_version",
            "evidence_missing",  # counted by seed_demo once every answer and evidence is in
            "agency_name",
            "unit_name",
            "created_at",
            "updated_at",
        ],
        (
            (
                unit_ids[code],
                unit_agency_ids[code],
                year,
                rubric.pk,
                status,
                1,
                0,
                *list_names[code],
                year_stamp(year),
                year_stamp(year),
            )
            for code, year, status, *_rest in plan.evaluations
        ),
        progress,
    )
    progress.finish()
    evaluation_ids = {
        (unit, year): pk
        for pk, unit, year in Evaluation.objects.filter(
            agency_id__in=agency_ids.values()
        ).values_list("id", "unit_id", "year")
    }
    keyed = [
        (evaluation_ids[(unit_ids[e[0]], e[1])], e) for e in plan.evaluations
    ]  # (evaluation id, plan row)

    answers = _write_answers(plan, keyed, rubric, year_stamp, err)
    scores = _write_scores(plan, keyed, err)
    submission_counts, item_ids = submissions.write_submissions(
        plan, agency_ids=agency_ids, unit_ids=unit_ids, evaluation_ids=evaluation_ids, stdout=err
    )
    awards = _write_awards(plan, unit_ids, evaluation_ids, item_ids)
    if _postgres():
        with connection.cursor() as cursor:
            # Fresh statistics, or the planner guesses on 20 million rows it has never seen.
            cursor.execute("ANALYZE")
    return {
        "agencies": len(plan.agencies),
        "units": len(plan.units),
        "evaluations": len(plan.evaluations),
        "answers": answers,
        "scores": scores,
        "awards": awards,
        **submission_counts,
    }


def _write_answers(plan, keyed, rubric, year_stamp, err) -> int:
    question_ids = dict(
        Criterion.objects.filter(rubric=rubric, kind=Criterion.Kind.QUESTION).values_list(
            "code", "id"
        )
    )
    option_ids = {
        (code, letter): pk
        for pk, code, letter in Option.objects.filter(question__rubric=rubric).values_list(
            "id", "question__code", "letter"
        )
    }
    per_evaluation = len(plan.patterns[Level.TPI][0].rows) * 2
    progress = Progress("answers", len(keyed) * per_evaluation, err)
    if _postgres():
        with _bare_table(Answer._meta.db_table):
            _copy_answers(plan, keyed, question_ids, option_ids, year_stamp, progress)
    else:
        fields = ["evaluation_id", "question_id", "level", "option_id", "number", "inputs"]
        fields += ["version"]
        _insert(
            Answer,
            fields,
            (
                (pk, question_ids[q], level, option_ids.get((q, letter)), number, inputs, 1)
                for pk, row in keyed
                for level, index in ((Level.SELF, row[3]), (Level.TPI, row[4]))
                for q, letter, number, inputs in plan.patterns[level][index].rows
            ),
            progress,
        )
    progress.finish()
    return len(keyed) * per_evaluation


@contextmanager
def _bare_table(table: str):
    """Drop a table's foreign keys, unique constraints and secondary indexes while it is loaded,
    then put them back (PostgreSQL; all inside the loader's transaction).

    Checking three foreign keys and updating five indexes row by row is what makes 22 million
    inserts slow; building each index once with a sort and validating each key with one join is
    several times faster, and the result is the same table.
    """
    with connection.cursor() as cursor:
        # Run the deferred checks of rows loaded so far: a table with pending checks cannot lose
        # a constraint that points at it.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _copy_answers(plan, keyed, question_ids, option_ids, year_stamp, progress):
    # Each pattern is rendered once as COPY text with a placeholder for the evaluation id, so a
    # row costs one C-level string replace instead of Python formatting (~22 million rows).
    templates: dict[tuple[str, int, int], str] = {}

    def template(level, index, year):
        key = (level, index, year)
        if key not in templates:
            stamp = year_stamp(year).isoformat()
            lines = []
            for q, letter, number, inputs in plan.patterns[level][index].rows:
                option = option_ids.get((q, letter))
                lines.append(
                    "\x00\t{}\t{}\t{}\t{}\t{}\t\t\t1\t\\N\t{}\t{}\n".format(
                        question_ids[q],
                        level,
                        option if option is not None else "\\N",
                        number if number is not None else "\\N",
                        json.dumps(inputs),
                        stamp,
                        stamp,
                    )
                )
            templates[key] = "".join(lines)
        return templates[key]

    columns = "evaluation_id, question_id, level, option_id, number, inputs, note, note_to_unit"
    columns += ", version, updated_by_id, created_at, updated_at"
    per_level = len(plan.patterns[Level.TPI][0].rows)
    with _copy(Answer._meta.db_table, columns) as copy:
        chunk = []
        for pk, row in keyed:
            ident = str(pk)
            year = row[1]
            chunk.append(template(Level.SELF, row[3], year).replace("\x00", ident))
            chunk.append(template(Level.TPI, row[4], year).replace("\x00", ident))
            if len(chunk) >= 2000:
                copy.write("".join(chunk))
                progress.advance(len(chunk) * per_level)
                chunk = []
        copy.write("".join(chunk))
        progress.advance(len(chunk) * per_level)


def _write_scores(plan, keyed, err) -> int:
    fields_cache: dict[tuple, dict] = {}
    rules = plan.rules

    def fields_of(level, index, held):
        key = (level, index, held)
        if key not in fields_cache:
            breakdown = plan.patterns[level][index].breakdown
            fields_cache[key] = services.score_fields(
                breakdown, scoring.predicate(breakdown, rules, held)
            )
        return fields_cache[key]

    numbers = ["total", "pengungkit", "pemenuhan", "reform", "hasil"]
    documents = ["areas", "parts"]  # JSON columns: COPY takes them as text
    flags = ["verdict", "answered", "question_count", "complete"]
    stamp = timezone.now()
    progress = Progress("scores", len(keyed) * 2, err)

    def rows():
        for pk, row in keyed:
            for level, index in ((Level.SELF, row[3]), (Level.TPI, row[4])):
                values = fields_of(level, index, row[5])
                yield (
                    pk,
                    level,
                    *(values[n] for n in numbers),
                    *(json.dumps(values[n]) if _postgres() else values[n] for n in documents),
                    *(values[n] for n in flags),
                    stamp,
                )

    columns = ["evaluation_id", "level", *numbers, *documents, *flags, "updated_at"]
    _insert(EvaluationScore, columns, rows(), progress)
    progress.finish()
    return len(keyed) * 2


def _write_awards(plan, unit_ids, evaluation_ids, item_ids) -> int:
    """Write each year's awards in the Minister's announcements (one decree per predicate and
    year), published on the ceremony day, each tied to its evaluation and proposed unit."""
    decrees = sorted({(year, decree, day) for _c, year, _p, decree, day, *_rest in plan.awards})
    bulk_create_with_history(
        [
            Announcement(
                year=year,
                decree_number=decree,
                decree_date=day,
                publish_on=day,
                published_at=timezone.make_aware(datetime.combine(day, datetime.min.time())),
            )
            for year, decree, day in decrees
        ],
        Announcement,
        batch_size=2000,
    )
    announcement_ids = dict(
        Announcement.objects.filter(decree_number__in=[d for _y, d, _day in decrees]).values_list(
            "decree_number", "id"
        )
    )
    awards = []
    for (
        code,
        year,
        predicate,
        decree,
        decree_date,
        revoked,
        reason,
        revocation_decree,
    ) in plan.awards:
        evaluation_id = evaluation_ids[(unit_ids[code], year)]
        awards.append(
            Award(
                unit_id=unit_ids[code],
                year=year,
                predicate=predicate,
                decree_number=decree,
                decree_date=decree_date,
                evaluation_id=evaluation_id,
                submission_item_id=item_ids[evaluation_id],
                announcement_id=announcement_ids[decree],
                is_published=True,
                published_on=decree_date,
                revoked_on=revoked,
                revocation_reason=reason,
                revocation_decree=revocation_decree,
            )
        )
    bulk_create_with_history(
        awards, Award, batch_size=2000, default_date=timezone.now() - timedelta(days=1)
    )
    return len(awards)


def national_accounts(plan: Plan, password: str) -> list[tuple[str, str, str]]:
    """Give the largest agency an administrator and an evaluator, for trying pages at scale."""
    sizes: dict[str, int] = {}
    for agency_code, *_rest in plan.units:
        sizes[agency_code] = sizes.get(agency_code, 0) + 1
    code = max(sizes, key=sizes.get)
    agency = Agency.objects.get(code=code)
    user_model = get_user_model()
    fake = names.faker(plan.seed)
    found = []
    for role, prefix in ((Role.AGENCY_ADMIN, "admin"), (Role.EVALUATOR, "evaluator")):
        username = f"{prefix}.{code.lower()}"
        first, last = names.person(fake)
        user, _ = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": role == Role.AGENCY_ADMIN,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, agency=agency, unit=None, role=role)
        found.append((username, str(role.label), agency.name))
    return found


def seed_national(
    *, units=FULL_UNITS, years=5, seed=2026, last_year=2025, small_codes=(), stdout=None
):
    """Plan and load the national dataset; refuse if one is already loaded."""
    if national_data_exists(small_codes):
        raise NationalDataExists(
            "This database already holds agencies beyond the small demo: national data is "
            "loaded already. Use a fresh database (or flush this one) to load it again."
        )
    rubric = selectors.rubric_active()
    if rubric is None:
        raise NationalDataExists("No active rubric: run `manage.py load_rubric` first.")
    spec = selectors.rubric_spec(rubric=rubric)
    rules = selectors.threshold_rules(rubric=rubric)
    started = time.monotonic()
    plan = build_plan(
        spec=spec,
        rules=rules,
        units=units,
        years=years,
        last_year=last_year,
        seed=seed,
        taken_names=set(Agency.objects.values_list("name", flat=True)),
        taken_codes=set(Agency.objects.values_list("code", flat=True)),
    )
    planned = time.monotonic() - started
    counts = write_plan(plan, rubric=rubric, stdout=stdout)
    return plan, counts, planned
