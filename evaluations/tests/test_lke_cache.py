"""The LKE page's cached body: whatever changes what it shows is seen on the very next view."""

import re

import pytest
from django.urls import reverse

from awards.tests.factories import AwardFactory
from evaluations import lke_cache, selectors, services
from evaluations.models import Criterion, Evaluation, Level

from .factories import in_status

S = Evaluation.Status
CODE = "A.I.1.i.a"


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def detail(evaluation, **params):
    url = reverse("evaluations:detail", args=[evaluation.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def self_display(client, evaluation, code=CODE) -> str:
    """Return what the read-only self cell of a question shows to the logged-in viewer."""
    page = client.get(detail(evaluation)).context
    body = str(page["body"])
    row = body[body.index(f'id="q-{code.replace(".", "-")}"') :]
    cell = row[row.index('data-level="self"') :]
    return re.search(r'lke-value" data-state="\w+">([^<]*)<', cell).group(1)


def save(evaluation, level, letter, code=CODE):
    services.answers_save(
        evaluation=evaluation, level=level, answers=[services.AnswerInput(code, letter=letter)]
    )


def test_an_answer_saved_elsewhere_shows_on_the_next_view(client, evaluation, viewer):
    client.force_login(viewer)
    assert self_display(client, evaluation) == "—"
    save(evaluation, Level.SELF, "Ya")
    assert self_display(client, evaluation) == "Ya"
    save(evaluation, Level.SELF, "Tidak")
    assert self_display(client, evaluation) == "Tidak"


def test_evidence_and_status_changes_show_on_the_next_view(client, evaluation, unit_operator):
    client.force_login(unit_operator)
    assert 'data-evidence-count="1"' not in str(client.get(detail(evaluation)).context["body"])
    services.evidence_add_link(
        evaluation=evaluation, question_code=CODE, url="https://example.go.id/sk", by=unit_operator
    )
    body = str(client.get(detail(evaluation)).context["body"])
    assert 'data-evidence-count="1"' in body
    assert 'class="answer-form"' in body
    # Submitted, the unit's own column locks: the forms go, the reason shows.
    in_status(evaluation, S.SELF_SUBMITTED)
    body = str(client.get(detail(evaluation)).context["body"])
    assert 'class="answer-form"' not in body
    assert "Penilaian mandiri sudah dikirim" in body


def test_an_award_held_changes_the_verdict_rules_shown(client, evaluation, unit, viewer):
    client.force_login(viewer)
    client.get(detail(evaluation))
    keys = [_key(client, evaluation)]
    award = AwardFactory(unit=unit, year=2023, predicate="WBK")
    keys.append(_key(client, evaluation))
    AwardFactory(unit=unit, year=2024, predicate="WBBM")
    keys.append(_key(client, evaluation))
    _revoke(award)  # the WBBM still counts as WBK: the same rules as before the revocation
    assert _key(client, evaluation) == keys[-1]
    AwardFactory(unit=unit, year=2025, predicate="WBK")  # not earlier than the evaluation's year
    assert _key(client, evaluation) == keys[-1]
    assert len(set(keys)) == 3


def _revoke(award):
    award.revoked_on, award.revocation_reason = award.decree_date, "Pelanggaran integritas"
    award.save()


def test_removed_evidence_shows_on_the_next_view(client, evaluation, unit_operator):
    client.force_login(unit_operator)
    evidence = services.evidence_add_link(
        evaluation=evaluation, question_code=CODE, url="https://example.go.id/sk", by=unit_operator
    )
    assert 'data-evidence-count="1"' in str(client.get(detail(evaluation)).context["body"])
    services.evidence_remove(evidence=evidence, by=unit_operator)
    assert 'data-evidence-count="1"' not in str(client.get(detail(evaluation)).context["body"])


@pytest.mark.parametrize(
    "awards, held",
    [
        ([], set()),
        ([("WBK", 2022, False)], {"WBK"}),
        ([("WBK", 2022, True)], set()),
        ([("WBK", 2022, False), ("WBBM", 2024, False)], {"WBK", "WBBM"}),
        ([("WBBM", 2024, True), ("WBK", 2022, False)], {"WBK"}),
        ([("WBK", 2025, False)], set()),
    ],
)
def test_predicates_held_count_earlier_awards_not_revoked(evaluation, unit, awards, held):
    for predicate, year, revoked in awards:
        award = AwardFactory(unit=unit, year=year, predicate=predicate)
        if revoked:
            _revoke(award)
    assert selectors.predicates_held(unit_id=unit.pk, year=evaluation.year) == held


def test_a_rubric_edit_shows_on_the_next_view(client, evaluation, viewer):
    client.force_login(viewer)
    assert "Tim kerja ZI yang diubah" not in str(client.get(detail(evaluation)).context["body"])
    criterion = Criterion.objects.get(rubric=evaluation.rubric, code=CODE)
    criterion.label_id = "Tim kerja ZI yang diubah"
    criterion.save()
    assert "Tim kerja ZI yang diubah" in str(client.get(detail(evaluation)).context["body"])


def test_each_viewer_gets_their_own_forms_and_csrf_token(client, evaluation, unit_operator, viewer):
    client.force_login(viewer)
    viewer_body = client.get(detail(evaluation)).content.decode()
    assert 'class="answer-form"' not in viewer_body
    client.force_login(unit_operator)
    first = client.get(detail(evaluation))
    second = client.get(detail(evaluation))
    assert 'class="answer-form"' in first.content.decode()
    body = first.content.decode()
    assert lke_cache._placeholder() not in body
    form = body[body.index('class="answer-form"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    # The token in the cached form is the user's own: a save through it is accepted.
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("evaluations:answer_save", args=[evaluation.pk, CODE, "self"]),
        {"letter": "Ya", "version": "0", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert second.status_code == 200


def test_english_and_indonesian_bodies_are_cached_apart(client, evaluation, viewer):
    client.force_login(viewer)
    assert "Hanya yang belum dijawab" in client.get(detail(evaluation)).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    assert "Only unanswered" in client.get(detail(evaluation)).content.decode()


def _key(client, evaluation):
    """Return the body's cache key as the view computes it for this client's user."""
    from django.contrib.auth import get_user_model

    from zi_portal import access

    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return lke_cache.body_key(
        evaluation=access.get_evaluation_or_404(user, evaluation.pk),
        held=selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year),
        editable=access.editable_levels(user, evaluation),
        reviewer=access.can_review(user, evaluation),
        params={"focus_level": "", "filter": "", "area": "", "question": ""},
    )
