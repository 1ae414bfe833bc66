"""The load test's scene and its write check, run in a Django process on the database copy.

`prepare` gives each simulated person an account of their own in the copy (the national dataset
holds one or two per role): unit operators with this year's LKE of their own unit started and
mostly answered (a peak week: units finishing before the window closes), TPI evaluators each with
LKEs in review that no other simulated evaluator touches, agency administrators, regional heads
(viewers of a provincial, regency or city government), national administrators. It returns the
plan the locustfile reads: accounts, their LKEs and the URL patterns.

`write_check` reads the copy after the run and counts the acknowledged writes that are not there.

Command line (bench/loadtest.py calls it): `python -m bench.scene prepare USERS PLAN.json` and
`python -m bench.scene check LEDGER.jsonl`, with DATABASE_URL naming the copy.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field

# Simulated users of each kind out of 20 in a peak week (the locustfile's weights).
WEIGHTS = {
    "operator": 8,
    "evaluator": 4,
    "agency_admin": 3,
    "regional_head": 2,
    "national_admin": 1,
    "anonymous": 2,
}
PREFIX = "lt"  # usernames lt.operator.001 …: never clash with the dataset's own accounts
EVALUATIONS_PER_EVALUATOR = 40  # LKEs in review each simulated evaluator may score and finalise
SAMPLE_EVALUATIONS = 60  # LKEs an agency administrator may open or export
UNANSWERED_SHARE = 0.2  # of a unit operator's option questions, left for the run to answer
SENTINEL = 987654321  # stands for an id in the URL patterns


def accounts_needed(users: int) -> dict[str, int]:
    """Accounts of each kind for up to `users` simulated users (locust spreads them by weight)."""
    total = sum(WEIGHTS.values())
    return {kind: math.ceil(users * weight / total) + 1 for kind, weight in WEIGHTS.items()}


def _pattern(name: str, *placeholders) -> str:
    """Return the URL of `name` with `{}` where each placeholder argument goes, in order."""
    from django.urls import reverse

    url = reverse(name, args=placeholders)
    for placeholder in placeholders:
        url = url.replace(str(placeholder), "{}", 1)
    return url


def _urls() -> dict[str, str]:
    """The URLs the simulated users open, as patterns (`{}` for the ids, codes and levels)."""
    from django.urls import reverse

    lke, code = SENTINEL, "A.I.1.i.a"  # any id and question code reverse to the pattern
    return {
        "login": reverse("login"),
        "home": reverse("home"),
        "lke": _pattern("evaluations:detail", lke),
        "answer_save": _pattern("evaluations:answer_save", lke, code, "self"),
        "evidence": _pattern("evaluations:evidence", lke, code),
        "transition": _pattern("evaluations:transition", lke, "finalize"),
        "evaluation_list": reverse("evaluations:list"),
        "workbook_download": _pattern("evaluations:workbook_download", lke),
        "workbook_upload": _pattern("evaluations:workbook_upload", lke),
        "workbook_import_confirm": _pattern("evaluations:workbook_import_confirm", lke),
        "lhe": _pattern("evaluations:lhe", lke),
        "lhe_pdf": _pattern("evaluations:lhe_pdf", lke),
        "agency": _pattern("units:agency_detail", lke),
        "agency_dashboard": _pattern("dashboards:agency", lke),
        "national_dashboard": reverse("dashboards:national"),
        "national_track": reverse("awards:national_track"),
        "submission_list": reverse("awards:submission_list"),
        "public_list": reverse("awards:public_list"),
        "public_csv": reverse("awards:public_csv"),
    }


def _create_accounts(kind: str, count: int, memberships: list[dict], password_hash: str):
    """Create `count` users named lt.<kind>.NNN with the given memberships (one each)."""
    from django.contrib.auth import get_user_model

    from units.models import Membership

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"{PREFIX}.{kind.replace('_', '-')}.{n:03d}",
                password=password_hash,
                first_name="Uji",
                last_name=f"Beban {n}",
            )
            for n in range(1, count + 1)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, **fields) for user, fields in zip(users, memberships, strict=True)]
    )
    return [user.username for user in users]


def _prefill(evaluation, source, rng: random.Random) -> None:
    """Answer a new LKE at the self level from the unit's previous one, leaving a share open."""
    from evaluations import services
    from evaluations.models import Answer
    from evaluations.rubric import scoring

    answers = []
    rows = Answer.objects.filter(evaluation=source, level="self").select_related(
        "question", "option"
    )
    for row in rows:
        kind = row.question.answer_type
        if kind in scoring.OPTION_TYPES:
            if row.option is None or rng.random() < UNANSWERED_SHARE:
                continue
            answers.append(services.AnswerInput(row.question.code, letter=row.option.letter))
        elif kind == scoring.SURVEY and row.number is not None:
            answers.append(services.AnswerInput(row.question.code, number=str(row.number)))
        elif kind in scoring.COMPUTED_TYPES and row.inputs:
            answers.append(services.AnswerInput(row.question.code, inputs=row.inputs))
    if answers:
        services.answers_save(evaluation=evaluation, level="self", answers=answers)


def prepare(*, users: int, seed: int = 23) -> dict:
    """Create the accounts and LKEs for up to `users` simulated users; return the plan."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from demo.data import DEMO_PASSWORD
    from evaluations import services
    from evaluations.models import Evaluation
    from units.models import Agency, Role, Unit

    rng = random.Random(seed)
    needed = accounts_needed(users)
    year = timezone.localdate().year
    years = sorted(set(Evaluation.objects.values_list("year", flat=True)) | {year})
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: every account shares it
    plan: dict = {"password": DEMO_PASSWORD, "year": year, "years": years, "urls": _urls()}

    with transaction.atomic():
        # Unit operators: units from as many agencies as possible, each with this year's LKE.
        taken = Evaluation.objects.filter(year=year).values("unit_id")
        # Units with an earlier LKE first: this year's starts from it.
        units = list(
            Unit.objects.filter(is_active=True)
            .exclude(pk__in=taken)
            .annotate(earlier=Count("evaluations"))
            .order_by("-earlier", "agency_id", "pk")
            .values_list("pk", "agency_id")
        )
        by_agency: dict[int, list[int]] = defaultdict(list)
        for unit_id, agency_id in units:
            by_agency[agency_id].append(unit_id)
        chosen = []
        while len(chosen) < needed["operator"] and any(by_agency.values()):
            for agency_id in by_agency:  # in order of the units with most history
                if by_agency[agency_id] and len(chosen) < needed["operator"]:
                    chosen.append((by_agency[agency_id].pop(0), agency_id))
        chosen_units = Unit.objects.in_bulk([u for u, _a in chosen])
        started = services.evaluations_start(
            units=[chosen_units[u] for u, _a in chosen], year=year, by=None
        ).created
        previous = {
            e.unit_id: e
            for e in Evaluation.objects.filter(
                unit_id__in=[u for u, _a in chosen], year__lt=year
            ).order_by("unit_id", "year")
        }  # the latest year wins
        for evaluation in started:
            if evaluation.unit_id in previous:
                _prefill(evaluation, previous[evaluation.unit_id], rng)
        names = _create_accounts(
            "operator",
            len(started),
            [
                {"agency_id": e.unit.agency_id, "unit_id": e.unit_id, "role": Role.UNIT_OPERATOR}
                for e in started
            ],
            password_hash,
        )
        plan["operators"] = [
            {"username": name, "evaluation": e.pk} for name, e in zip(names, started, strict=True)
        ]

        # TPI evaluators: LKEs in review, dealt out so that no two accounts share one.
        review = list(
            Evaluation.objects.filter(status=Evaluation.Status.TPI_REVIEW)
            .order_by("agency_id", "pk")
            .values_list("pk", "agency_id")
        )
        per_agency: dict[int, list[int]] = defaultdict(list)
        for pk, agency_id in review:
            per_agency[agency_id].append(pk)
        agencies = sorted(per_agency, key=lambda a: -len(per_agency[a]))
        pools = []
        for n in range(needed["evaluator"] if agencies else 0):
            agency_id = agencies[n % len(agencies)]
            pool = per_agency[agency_id][:EVALUATIONS_PER_EVALUATOR]
            del per_agency[agency_id][:EVALUATIONS_PER_EVALUATOR]
            if pool:
                pools.append((agency_id, pool))
        names = _create_accounts(
            "evaluator",
            len(pools),
            [{"agency_id": a, "role": Role.EVALUATOR} for a, _pool in pools],
            password_hash,
        )
        plan["evaluators"] = [
            {"username": name, "agency": agency_id, "evaluations": pool}
            for name, (agency_id, pool) in zip(names, pools, strict=True)
        ]

        # Agency administrators and regional heads: the largest agencies (and governments).
        sized = Agency.objects.annotate(n=Count("units")).order_by("-n", "pk")
        admin_agencies = list(sized.values_list("pk", flat=True)[: needed["agency_admin"]])
        regional = list(
            sized.filter(kind__in=Agency.REGIONAL_KINDS).values_list("pk", flat=True)[
                : needed["regional_head"]
            ]
        )
        names = _create_accounts(
            "agency_admin",
            len(admin_agencies),
            [{"agency_id": a, "role": Role.AGENCY_ADMIN} for a in admin_agencies],
            password_hash,
        )
        plan["agency_admins"] = []
        for name, agency_id in zip(names, admin_agencies, strict=True):
            lkes = list(
                Evaluation.objects.filter(agency_id=agency_id)
                .order_by("?")
                .values_list("pk", "status")[:SAMPLE_EVALUATIONS]
            )
            plan["agency_admins"].append(
                {
                    "username": name,
                    "agency": agency_id,
                    "evaluations": [pk for pk, _s in lkes],
                    # An LHE is the report of a finalised TPI evaluation.
                    "finalised": [pk for pk, status in lkes if status not in _open_statuses()],
                }
            )
        names = _create_accounts(
            "regional_head",
            len(regional),
            [{"agency_id": a, "role": Role.VIEWER} for a in regional],
            password_hash,
        )
        plan["regional_heads"] = [
            {"username": name, "agency": a} for name, a in zip(names, regional, strict=True)
        ]
        names = _create_accounts(
            "national_admin",
            needed["national_admin"],
            [{"role": Role.NATIONAL_ADMIN}] * needed["national_admin"],
            password_hash,
        )
        plan["national_admins"] = [{"username": name} for name in names]
    # Not needed by the users, but said in the report: how big the data behind the run is.
    plan["dataset"] = {
        "agencies": Agency.objects.count(),
        "units": Unit.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "in_review": Evaluation.objects.filter(status=Evaluation.Status.TPI_REVIEW).count(),
    }
    return plan


def _open_statuses() -> set[str]:
    """Statuses before the TPI's evaluation is final (no LHE yet)."""
    from evaluations.models import Evaluation

    status = Evaluation.Status
    return {status.DRAFT, status.SELF_SUBMITTED, status.TPI_REVIEW}


# --- The write check ------------------------------------------------------------------------


@dataclass
class WriteCheck:
    acknowledged: int = 0  # acknowledged writes in the ledger
    checked: int = 0  # what must be in the database: the last write of each answer, and the rest
    lost: int = 0
    by_kind: dict = field(default_factory=dict)  # kind → [checked, lost]
    examples: list = field(default_factory=list)  # the first lost writes, for the report


def write_check(entries: list[dict]) -> WriteCheck:
    """Count the acknowledged writes that the database does not hold.

    An answer is checked by its last acknowledged write (each simulated user owns its LKEs, so
    the ledger's order is the order the server applied them): the stored option letter, and the
    note when the write set one. An evidence file must be there under its name, not removed; a
    finalised LKE must have left review.
    """
    from evaluations.models import Answer, Evaluation, Evidence

    result = WriteCheck(acknowledged=len(entries))
    last: dict[tuple, dict] = {}
    evidence, finalised = [], []
    for entry in sorted(entries, key=lambda e: e["seq"]):
        if entry["kind"] == "answer":
            last[(entry["evaluation"], entry["question"], entry["level"])] = entry
        elif entry["kind"] == "evidence":
            evidence.append(entry)
        elif entry["kind"] == "finalise":
            finalised.append(entry)

    def lost(kind: str, entry: dict, kept: bool, stored=None) -> None:
        counts = result.by_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        result.checked += 1
        if kept:
            return
        counts[1] += 1
        result.lost += 1
        if len(result.examples) < 5:
            result.examples.append({**entry, "stored": stored})

    stored = {}
    for row in Answer.objects.filter(
        evaluation_id__in={key[0] for key in last}, level__in={key[2] for key in last}
    ).values_list("evaluation_id", "question__code", "level", "option__letter", "note"):
        stored[row[:3]] = row[3:]
    for key, entry in last.items():
        letter, note = stored.get(key, (None, None))
        kept = letter == entry["letter"] and (entry.get("note") is None or note == entry["note"])
        lost("answer", entry, kept, stored=[letter, note])

    files = set(
        Evidence.objects.filter(
            original_filename__in=[e["filename"] for e in evidence], is_removed=False
        ).values_list("evaluation_id", "question__code", "original_filename")
    )
    for entry in evidence:
        key = (entry["evaluation"], entry["question"], entry["filename"])
        lost("evidence", entry, key in files)

    open_ids = set(
        Evaluation.objects.filter(
            pk__in=[e["evaluation"] for e in finalised], status__in=_open_statuses()
        ).values_list("pk", flat=True)
    )
    for entry in finalised:
        lost("finalise", entry, entry["evaluation"] not in open_ids)
    return result


def read_ledger(path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str]) -> int:
    import django

    django.setup()
    command, *args = argv
    if command == "prepare":
        users, target = int(args[0]), args[1]
        plan = prepare(users=users)
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(plan, handle)
        return 0
    if command == "check":
        result = write_check(read_ledger(args[0]))
        print(json.dumps(asdict(result)))
        return 0
    print(f"unknown command {command!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
