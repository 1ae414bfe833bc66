"""Stored totals and verdicts follow every change that moves them, not only answers.

An award (or its revocation) moves the WBBM verdict of the unit's later LKEs in its own
transaction; a rubric edit in the admin queues a job that rescores every LKE on the version once
it commits (without a broker, as in these tests, the job runs as the edit commits, so it is done
when the request returns); a rubric reload rescores at once; check_scores finds and repairs what
still differs.
"""

import datetime
import io
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from awards import services as award_services
from awards.models import Award
from awards.tests.proposal_helpers import announcement, proposed_item, record_result
from evaluations import services
from evaluations.models import Criterion, EvaluationScore, Level, Option, Threshold
from evaluations.rubric import files as rubric_files
from tests.celery_worker import unreachable_broker  # noqa: F401  (a fixture)

from .factories import below_wbk, tpi_final

DECREE = {"decree_number": "SK-10/MENPANRB/2025", "decree_date": datetime.date(2025, 12, 9)}


def verdict(evaluation, level=Level.TPI) -> str:
    return EvaluationScore.objects.get(evaluation=evaluation, level=level).verdict


def form_data(response) -> dict:
    """Return the POST data of an admin change form as the page shows it, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


# --- Awards --------------------------------------------------------------------------------------


@pytest.fixture
def awarded_item(rubric, agency, unit, agency_admin, national_admin):
    """The unit's 2025 LKE, proposed and passed for WBK nationally (no award yet)."""
    return record_result(proposed_item(agency, unit, agency_admin), national_admin)


def _award(item, by):
    return award_services.award_create_from_item(item=item, announcement=announcement(by=by), by=by)


def test_an_award_moves_the_next_years_verdict_to_wbbm_and_its_revocation_back(
    awarded_item, unit, national_admin
):
    later = tpi_final(unit, 2026)
    assert verdict(later) == "WBK"  # full marks, but no WBK held before 2026
    award, _created = _award(awarded_item, national_admin)
    assert verdict(later) == "WBBM"
    assert verdict(awarded_item.evaluation) == "WBK"  # its own year is not "earlier"
    award_services.award_revoke(
        award=award,
        revoked_on=datetime.date(2026, 3, 1),
        reason="OTT KPK",
        decree="SK-99/2026",
        by=national_admin,
    )
    assert verdict(later) == "WBK"


def test_an_award_that_fails_changes_no_verdict(awarded_item, unit, national_admin):
    later = tpi_final(unit, 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        _award(awarded_item, national_admin)
        raise RuntimeError("the request fails after the award")
    assert verdict(later) == "WBK"


def test_an_award_deleted_in_the_admin_moves_the_verdict(
    client, awarded_item, unit, national_admin
):
    later = tpi_final(unit, 2026)
    award, _created = _award(awarded_item, national_admin)
    assert verdict(later) == "WBBM"
    client.force_login(national_admin)
    response = client.post(reverse("admin:awards_award_delete", args=[award.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert verdict(later) == "WBK"


def test_a_later_award_leaves_earlier_verdicts_alone(rubric, unit):
    earlier = tpi_final(unit, 2024)
    Award.objects.create(
        unit=unit, predicate="WBK", year=2025, decree_number="SK", decree_date="2025-12-09"
    )
    assert services.unit_verdicts_rescore(unit_id=unit.pk, after_year=2025) == 0
    assert verdict(earlier) == "WBK"


# --- Rubric edits in the admin -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_threshold_edited_in_the_admin_rescores_every_evaluation(
    client, rubric, unit, other_unit, national_admin
):
    full, other = tpi_final(unit, 2025), tpi_final(other_unit, 2025)
    assert (verdict(full), verdict(other)) == ("WBK", "WBK")
    threshold = Threshold.objects.get(rubric=rubric, predicate="WBK", rule="total")
    url = reverse("admin:evaluations_threshold_change", args=[threshold.pk])
    client.force_login(national_admin)
    data = form_data(client.get(url))
    data["minimum"] = "100.01"  # above full marks
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("2 evaluasi" in m and "dihitung ulang di latar belakang" in m for m in shown)
    assert (verdict(full), verdict(other)) == ("", "")
    assert services.rescoring_progress(rubric_id=rubric.pk) is None


@pytest.mark.django_db(transaction=True)
def test_option_value_edited_in_the_admin_changes_the_totals(client, rubric, unit, national_admin):
    evaluation = below_wbk(unit, 2025)
    assert EvaluationScore.objects.get(evaluation=evaluation).total == Decimal("95.625")
    grade = Criterion.objects.get(rubric=rubric, code="B.I.b")  # capaian kinerja: A = 1
    url = reverse("admin:evaluations_criterion_change", args=[grade.pk])
    client.force_login(national_admin)
    data = form_data(client.get(url))
    option = Option.objects.get(question=grade, letter="A")
    index = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(option.pk))
    data[index.replace("-id", "-value")] = "0.5"
    assert client.post(url, data).status_code == 302
    # Capaian kinerja 5 × 0.5 instead of 5 × 1.
    assert EvaluationScore.objects.get(evaluation=evaluation).total == Decimal("93.125")


@pytest.mark.django_db(transaction=True)
def test_an_edit_stands_when_the_rescoring_job_cannot_be_queued_and_check_scores_repairs(
    client,
    rubric,
    unit,
    national_admin,
    unreachable_broker,  # noqa: F811
    caplog,
):
    full = tpi_final(unit, 2025)
    threshold = Threshold.objects.get(rubric=rubric, predicate="WBK", rule="total")
    url = reverse("admin:evaluations_threshold_change", args=[threshold.pk])
    client.force_login(national_admin)
    data = form_data(client.get(url))
    data["minimum"] = "100.01"
    assert client.post(url, data).status_code == 302
    threshold.refresh_from_db()
    assert threshold.minimum == Decimal("100.01")
    assert verdict(full) == "WBK"  # not rescored: the job never left
    assert any("on_commit" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    run("--repair")
    assert verdict(full) == ""


def test_label_edits_start_no_rescoring(client, rubric, unit, national_admin):
    tpi_final(unit, 2025)
    threshold = Threshold.objects.get(rubric=rubric, predicate="WBK", rule="ipak")
    url = reverse("admin:evaluations_threshold_change", args=[threshold.pk])
    client.force_login(national_admin)
    data = form_data(client.get(url))
    data["label_en"] = "IPAK"
    response = client.post(url, data, follow=True)
    assert not any("latar belakang" in str(m) for m in response.context["messages"])


# --- Rubric reload ------------------------------------------------------------------------------


def test_reloading_a_rubric_with_another_threshold_rescores_at_once(rubric, unit, tmp_path):
    full = tpi_final(unit, 2025)
    assert verdict(full) == "WBK"
    folder = tmp_path / "2021"
    shutil.copytree(rubric_files.version_folder(), folder)
    thresholds = folder / "thresholds.csv"
    text = thresholds.read_text().replace("WBK,1,total,score,,75", "WBK,1,total,score,,100.01")
    thresholds.write_text(text)
    services.rubric_load(folder=folder)
    assert verdict(full) == ""


def test_reloading_the_same_rubric_rescores_nothing(rubric, unit):
    evaluation = tpi_final(unit, 2025)
    EvaluationScore.objects.filter(evaluation=evaluation).update(total=Decimal("1"))
    services.rubric_load(folder=rubric_files.version_folder())
    # Nothing scores depend on changed: no evaluation was read again (check_scores would be).
    assert EvaluationScore.objects.get(evaluation=evaluation).total == 1


# --- The check command ---------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("check_scores", *args, stdout=out)
    return out.getvalue()


def test_check_scores_finds_a_tampered_total_and_repairs_it(rubric, unit, other_unit):
    tampered, fine = tpi_final(unit, 2025), tpi_final(other_unit, 2025)
    EvaluationScore.objects.filter(evaluation=tampered).update(total=Decimal("99.99"), verdict="")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_scores", stdout=out)
    report = out.getvalue()
    assert f"{unit.code} 2025 tpi" in report
    assert "99.9900000000" in report and "100.0000000000" in report
    assert other_unit.code not in report
    repaired = run("--repair")
    assert "1 " in repaired.splitlines()[-1]
    stored = EvaluationScore.objects.get(evaluation=tampered)
    assert (stored.total, stored.verdict) == (100, "WBK")
    assert EvaluationScore.objects.get(evaluation=fine).total == 100
    assert "0 " in run().splitlines()[-1]  # nothing left to repair: exits 0


def test_check_scores_stores_a_missing_level(rubric, unit):
    evaluation = tpi_final(unit, 2025)
    EvaluationScore.objects.filter(evaluation=evaluation).delete()
    with pytest.raises(CommandError):
        run()
    run("--repair")
    assert verdict(evaluation) == "WBK"


def test_check_scores_names_a_level_that_cannot_be_scored(rubric, unit):
    evaluation = tpi_final(unit, 2025)
    # A count stored before counts were checked: scoring refuses it, and so does the check.
    answer = evaluation.answers.get(question__code="A.II.1.i.a", level=Level.TPI)
    answer.inputs = {**answer.inputs, "A.II.1.i.a.1": "3E+2999999"}
    answer.save()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_scores", "--repair", stdout=out)
    assert f"{unit.code} 2025 tpi" in out.getvalue()
    assert "too large" in out.getvalue()
    assert verdict(evaluation) == "WBK"  # left as it was
