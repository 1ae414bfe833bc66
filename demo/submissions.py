"""National demo data, part two: the agencies' proposals to KemenPANRB and their national stages.

Derived from the plan `national.build_plan` made, so that every proposed evaluation has its
submission item, every award its item with the matching result, and this year's proposals sit at
the stage their evaluation's status names. Reproducible: its own generator, seeded from the
plan's years, and the signers' names from the plan's seed.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from awards.models import (
    NationalResult,
    NationalStage,
    ProposalWindow,
    Submission,
    SubmissionItem,
    default_window_close,
)
from evaluations.models import Evaluation, Level
from evaluations.rubric import scoring

from . import names

S = Evaluation.Status
Stage = NationalStage.Stage
Outcome = NationalStage.Outcome
# The stages a proposal goes through, in order, with the month and day each usually happens.
STAGES = [
    (Stage.ADMIN_SELECTION, (6, 20)),
    (Stage.OBJECTION, (7, 1)),
    (Stage.DESK_EVALUATION, (8, 1)),
    (Stage.FIELD_EVALUATION, (9, 15)),
    (Stage.PANEL, (11, 1)),
    (Stage.RESULT, (12, 5)),
]
# Where this year's proposals stand: how many stages they passed to reach their status (after
# the administrative selection a unit waits out the objection period, and so on).
REACHED = {
    S.ADMIN_SELECTION: 1,
    S.DESK_EVALUATION: 2,
    S.FIELD_EVALUATION: 3,
    S.PANEL: 4,
}
RESULTS = {
    S.AWARDED_WBK: NationalResult.WBK,
    S.AWARDED_WBBM: NationalResult.WBBM,
    S.NOT_AWARDED: NationalResult.NOT_AWARDED,
}
SIGNERS = ["Sekretaris Daerah", "Sekretaris Jenderal", "Sekretaris Utama", "Inspektur"]


def write_submissions(
    plan, *, agency_ids, unit_ids, evaluation_ids, stdout=None
) -> tuple[dict, dict]:
    """Write windows, submissions, items and stages for the plan's proposals; return counts and
    the items' ids by evaluation id."""
    rng = random.Random(sum(plan.years))
    fake = names.faker(plan.seed)
    last_year = plan.years[-1]
    for year in plan.years:
        ProposalWindow.objects.get_or_create(
            year=year,
            defaults={"opens_on": date(year, 2, 1), "closes_on": default_window_close(year)},
        )
    agency_of = {code: agency for agency, code, _name, _kind in plan.units}
    evaluation_of = {(row[0], row[1]): row for row in plan.evaluations}

    keys = sorted({(agency_of[code], year) for code, year, _p in plan.proposals})
    submissions = [
        Submission(
            agency_id=agency_ids[agency],
            year=year,
            # Past years' windows are closed, so their proposals are locked.
            status=Submission.Status.SUBMITTED if year == last_year else Submission.Status.LOCKED,
            cover_letter_number=f"B/{rng.randint(100, 999)}/ZI/V/{year}",
            cover_letter_date=date(year, 5, rng.randint(10, 28)),
            signer_name=names.official(fake),
            signer_position=rng.choice(SIGNERS),
        )
        for agency, year in keys
    ]
    bulk_create_with_history(submissions, Submission, batch_size=2000)
    submission_ids = {
        (agency_id, year): pk
        for pk, agency_id, year in Submission.objects.filter(
            agency_id__in=agency_ids.values(), year__in=plan.years
        ).values_list("id", "agency_id", "year")
    }

    items, stage_plans = [], []
    for code, year, predicate in plan.proposals:
        _code, _year, status, _self, tpi_index, held = evaluation_of[(code, year)]
        breakdown = plan.patterns[Level.TPI][tpi_index].breakdown
        verdict = scoring.predicate(breakdown, plan.rules, held).verdict
        result = RESULTS.get(status, "")
        if status == S.REVOKED:
            result = predicate  # awarded, then revoked later
        tpn = _tpn_scores(rng, breakdown) if result else (None, None, None)
        items.append(
            SubmissionItem(
                submission_id=submission_ids[(agency_ids[agency_of[code]], year)],
                evaluation_id=evaluation_ids[(unit_ids[code], year)],
                proposed_predicate=predicate,
                tpi_total=_decimal(breakdown.total),
                tpi_verdict=verdict or "",
                tpn_pengungkit=tpn[0],
                tpn_hasil=tpn[1],
                tpn_total=tpn[2],
                result=result,
            )
        )
        stage_plans.append((year, status, result))
    bulk_create_with_history(items, SubmissionItem, batch_size=2000)
    item_ids = dict(
        SubmissionItem.objects.filter(
            evaluation_id__in=[item.evaluation_id for item in items]
        ).values_list("evaluation_id", "id")
    )

    stages = []
    for item, (year, status, result) in zip(items, stage_plans, strict=True):
        for stage, outcome in _stages(rng, status, result):
            month, day = dict(STAGES)[stage]
            stages.append(
                NationalStage(
                    item_id=item_ids[item.evaluation_id],
                    stage=stage,
                    date=date(year, month, day),
                    outcome=outcome,
                )
            )
    bulk_create_with_history(stages, NationalStage, batch_size=5000)
    counts = {"submissions": len(submissions), "proposed units": len(items), "stages": len(stages)}
    return counts, item_ids


def _stages(rng, status, result) -> list[tuple[str, str]]:
    """Return the stages an item went through and their outcomes, in order."""
    if status == S.PROPOSED:
        return []  # waiting for the administrative selection
    if status in REACHED:
        return [(stage, Outcome.PASSED) for stage, _when in STAGES[: REACHED[status]]]
    if result == NationalResult.NOT_AWARDED:
        # A unit that is not awarded drops out at the field visit or at the panel, which ends
        # its track: no result is recorded after a failed stage.
        failed_at = rng.choice([3, 4])
        found = [(stage, Outcome.PASSED) for stage, _when in STAGES[:failed_at]]
        found.append((STAGES[failed_at][0], Outcome.FAILED))
        return found
    return [(stage, Outcome.PASSED) for stage, _when in STAGES]


def _tpn_scores(rng, breakdown) -> tuple[Decimal, Decimal, Decimal]:
    # The national team usually scores a little below the inspectorate.
    pengungkit = float(breakdown.pengungkit) * rng.uniform(0.9, 1.0)
    hasil = float(breakdown.hasil) * rng.uniform(0.92, 1.0)
    return _decimal(pengungkit), _decimal(hasil), _decimal(pengungkit + hasil)


def _decimal(value) -> Decimal:
    return Decimal(str(float(value))).quantize(Decimal("0.0000000001"))
