"""The small demo's national track: Sleman's units proposed to KemenPANRB, so that every demo
account has something to do on it.

- 2024: one unit went through every stage and was awarded WBK, in a published announcement;
- 2025: one unit is at its desk evaluation (the national evaluator scores it), another failed the
  administrative selection and its objection waits for KemenPANRB's decision.

Written directly, like the demo's other history; run once (it leaves an existing track alone).
"""

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from awards.models import (
    Announcement,
    Award,
    NationalResult,
    NationalStage,
    Objection,
    Submission,
    SubmissionItem,
)
from evaluations.models import Evaluation, EvaluationScore, Level

AGENCY = "KAB-SLEMAN"
S = Evaluation.Status
PASSED, FAILED = NationalStage.Outcome.PASSED, NationalStage.Outcome.FAILED
# unit code suffix, year, status, [(stage, outcome, month, day)], result
TRACK = [
    (
        "DPMPTSP",
        2024,
        S.AWARDED_WBK,
        [
            ("admin_selection", PASSED, 6, 20),
            ("objection", PASSED, 7, 1),
            ("desk_evaluation", PASSED, 8, 1),
            ("field_evaluation", PASSED, 9, 15),
            ("panel", PASSED, 11, 1),
            ("result", PASSED, 12, 5),
        ],
        NationalResult.WBK,
    ),
    (
        "RSUD-SLEMAN",
        2025,
        S.DESK_EVALUATION,
        [("admin_selection", PASSED, 6, 20), ("objection", PASSED, 7, 1)],
        "",
    ),
    (
        "PUSKESMAS-DEPOK1",
        2025,
        S.NOT_AWARDED,
        [("admin_selection", FAILED, 6, 20)],
        NationalResult.NOT_AWARDED,
    ),
]


@transaction.atomic
def seed_track() -> int:
    """Write the small demo's national track; return how many units were proposed (0: done)."""
    if Submission.objects.filter(agency__code=AGENCY).exists():
        return 0
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["admin.sleman", "nasional"])
    }
    agency_admin, national_admin = users.get("admin.sleman"), users.get("nasional")
    made = 0
    for suffix, year, status, stages, result in TRACK:
        evaluation = (
            Evaluation.objects.filter(unit__code=f"{AGENCY}-{suffix}", year=year)
            .select_related("unit")
            .first()
        )
        score = EvaluationScore.objects.filter(evaluation=evaluation, level=Level.TPI).first()
        if evaluation is None or score is None:
            continue
        submission, _ = Submission.objects.get_or_create(
            agency_id=evaluation.agency_id,
            year=year,
            defaults={
                "status": Submission.Status.SUBMITTED,
                "cover_letter_number": f"800/{year}/ORG",
                "cover_letter_date": date(year, 5, 20),
                "signer_name": "Sekretaris Daerah Kabupaten Sleman",
                "signer_position": "Sekretaris Daerah",
                "created_by": agency_admin,
            },
        )
        item = SubmissionItem.objects.create(
            submission=submission,
            evaluation=evaluation,
            proposed_predicate="WBK",
            # Proposed through the afirmasi route when the demo's TPI scores fall short.
            is_afirmasi=score.verdict == "",
            afirmasi_reason="" if score.verdict else "Unit layanan di wilayah lereng Merapi",
            tpi_total=score.total,
            tpi_verdict=score.verdict,
            result=result,
            added_by=agency_admin,
        )
        rows = {}
        for name, outcome, month, day in stages:
            rows[name] = NationalStage.objects.create(
                item=item,
                stage=name,
                date=date(year, month, day),
                outcome=outcome,
                entered_by=national_admin,
            )
        if "admin_selection" in rows and rows["admin_selection"].outcome == FAILED:
            Objection.objects.create(
                stage=rows["admin_selection"],
                reason="SPTJM yang ditandatangani Bupati sudah diunggah ulang pada 22 Juni.",
                filed_by=agency_admin,
            )
        Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
        if result == NationalResult.WBK:
            _award(item, evaluation, national_admin)
        made += 1
    return made


def _award(item, evaluation, by):
    """The award of a WBK result, in the Minister's published announcement of its year."""
    year = item.submission.year
    ceremony = date(year, 12, 9)
    announcement, _ = Announcement.objects.get_or_create(
        decree_number=f"Keputusan Menteri PANRB Nomor 1000 Tahun {year}",
        defaults={
            "year": year,
            "decree_date": date(year, 12, 5),
            "publish_on": ceremony,
            "published_at": timezone.make_aware(datetime.combine(ceremony, time(9))),
            "published_by": by,
            "created_by": by,
        },
    )
    Award.objects.create(
        unit=evaluation.unit,
        predicate=item.result,
        year=year,
        decree_number=announcement.decree_number,
        decree_date=announcement.decree_date,
        evaluation=evaluation,
        submission_item=item,
        announcement=announcement,
        is_published=True,
        published_on=announcement.publish_on,
        created_by=by,
    )
