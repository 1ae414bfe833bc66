"""A known dataset for the dashboard tests: stored scores written directly, as rescoring would."""

from datetime import date, timedelta

from django.utils import timezone

from awards.models import Award
from evaluations.models import Evaluation, EvaluationScore, Level, RubricVersion

# PermenPANRB 90/2021: each area's weight in Pemenuhan plus Reform.
AREA_WEIGHTS = {"1": 8, "2": 7, "3": 10, "4": 10, "5": 15, "6": 10}


def areas(shares: dict[str, float] | float) -> dict:
    """Return an `areas` JSON with each area at the given share of its weight."""
    if not isinstance(shares, dict):
        shares = dict.fromkeys(AREA_WEIGHTS, shares)
    found = {}
    for key, weight in AREA_WEIGHTS.items():
        share = shares[key]
        total = weight * share
        found[key] = {
            "pemenuhan": total / 2,
            "reform": total / 2,
            "total": total,
            "weight": float(weight),
            "share": share,
        }
    return found


def parts(*, a=45.0, b_i=20.0, ipak=16.0, kinerja=4.0, ipkp=16.0) -> dict:
    return {"A": a, "B.I": b_i, "B.I.a": ipak, "B.I.b": kinerja, "B.II.a": ipkp}


def score(evaluation, level, *, total, pengungkit=45, shares=0.8, verdict="", complete=True, **p):
    return EvaluationScore(
        evaluation=evaluation,
        level=level,
        total=total,
        pengungkit=pengungkit,
        hasil=total - pengungkit,
        areas=areas(shares),
        parts=parts(a=float(pengungkit), **p),
        verdict=verdict,
        answered=113 if complete else 50,
        question_count=113,
        complete=complete,
    )


def evaluation(unit, year, status=Evaluation.Status.TPI_FINAL):
    return Evaluation.objects.create(
        unit=unit, year=year, status=status, rubric=RubricVersion.objects.get(is_active=True)
    )


def award(unit, year, predicate="WBK", revoked=False):
    return Award.objects.create(
        unit=unit,
        year=year,
        predicate=predicate,
        decree_number=f"SK/{unit.code}/{year}",
        decree_date=date(year, 12, 9),
        revoked_on=date(year + 1, 3, 1) if revoked else None,
        revocation_reason="Kasus korupsi" if revoked else "",
    )


def make_old(evaluation_obj, days: int):
    """Pretend an evaluation and its scores last changed `days` ago."""
    when = timezone.now() - timedelta(days=days)
    Evaluation.objects.filter(pk=evaluation_obj.pk).update(updated_at=when)
    EvaluationScore.objects.filter(evaluation=evaluation_obj).update(updated_at=when)


def build(*, agency, foreign_agency, year):
    """Build the dataset; return its units by name."""
    from units.tests.factories import UnitFactory

    units = {
        name: UnitFactory(agency=agency, name=name, service_kind=kind)
        for name, kind in [
            ("Alpha", "umum"),
            ("Beta", "umum"),
            ("Gamma", "umum"),
            ("Delta", "umum"),
            ("Epsilon", "umum"),
            ("Zeta", "kesehatan"),
        ]
    }
    units["Foreign"] = UnitFactory(agency=foreign_agency, name="Foreign")
    s = Evaluation.Status

    alpha = evaluation(units["Alpha"], year, s.TPI_FINAL)
    beta = evaluation(units["Beta"], year, s.TPI_REVIEW)
    gamma = evaluation(units["Gamma"], year, s.PROPOSED)
    delta = evaluation(units["Delta"], year, s.SELF_SUBMITTED)
    zeta = evaluation(units["Zeta"], year, s.TPI_FINAL)
    foreign = evaluation(units["Foreign"], year, s.DRAFT)
    alpha_before = evaluation(units["Alpha"], year - 1, s.NOT_AWARDED)
    gamma_before = evaluation(units["Gamma"], year - 1, s.NOT_AWARDED)

    EvaluationScore.objects.bulk_create(
        [
            # Alpha: 72 < 75, every other WBK rule met: near WBK and failing exactly one rule.
            score(alpha, Level.TPI, total=72, pengungkit=45, shares=0.7),
            score(alpha, Level.SELF, total=78, pengungkit=47, shares=0.75),
            # Beta: area 3 at 50% (5 of 10, WBK needs 6): fails exactly that rule by 1 point.
            score(
                beta,
                Level.TPI,
                total=80,
                pengungkit=48,
                shares={**dict.fromkeys("12456", 0.8), "3": 0.5},
            ),
            # Gamma: WBK, meets every WBBM score rule but holds no WBK yet.
            score(gamma, Level.TPI, total=90, pengungkit=50, verdict="WBK"),
            # Delta: only a self-assessment, far from any line, untouched for 40 days.
            score(delta, Level.SELF, total=60, pengungkit=35, shares=0.5, complete=False),
            # Zeta: WBK; WBBM misses both total and enablers: no single-rule warning.
            score(zeta, Level.TPI, total=76, pengungkit=42, verdict="WBK", shares=0.7),
            score(foreign, Level.SELF, total=74, pengungkit=45, shares=0.7),
            score(alpha_before, Level.TPI, total=65, pengungkit=40, shares=0.6),
            score(gamma_before, Level.SELF, total=70, pengungkit=44, shares=0.7),
        ]
    )
    make_old(delta, 40)
    award(units["Alpha"], year - 3)
    award(units["Beta"], year - 2, revoked=True)
    award(units["Zeta"], year - 1, predicate="WBBM")
    award(units["Foreign"], year - 1)
    return units
