"""Saving one answer from the LKE page (htmx): what the fragment shows and what is stored.

The save scores its level once and the fragment shows that score; these tests hold the fragment
to what the full page shows for the same row, and the stored totals to a fresh score.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluations import services
from evaluations.models import Answer, Evaluation, EvaluationScore, Level
from evaluations.rubric import snapshot as rubric_snapshot
from evaluations.services import AnswerInput

from .factories import full_answers, in_status


@pytest.fixture
def evaluation(rubric, unit):
    """An LKE under TPI review whose self level is fully answered."""
    evaluation = services.evaluation_create(unit=unit, year=2025)
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation))
    return in_status(evaluation, Evaluation.Status.TPI_REVIEW)


def save(client, evaluation, code, level="tpi", **fields):
    """Post one answer as the page's htmx form does, with the version the form holds."""
    stored = Answer.objects.filter(evaluation=evaluation, question__code=code, level=level).first()
    data = {"version": str(stored.version if stored else 0), "note": "", **fields}
    url = reverse("evaluations:answer_save", args=[evaluation.pk, code, level])
    return client.post(url, data, HTTP_HX_REQUEST="true")


def row_html(body: str, code: str) -> str:
    anchor = "q-" + code.replace(".", "-")
    found = re.search(rf'<article [^>]*id="{anchor}".*?</article>', body, re.S)
    assert found, f"no row {code}"
    return found.group(0)


def sidebar_html(body: str) -> str:
    return re.search(r'<aside class="lke-sidebar.*?</aside>', body, re.S).group(0)


def comparable(html: str) -> str:
    """The markup without what only a fresh save or a response adds (tokens, the ✓ marker)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'<span class="small text-success lke-saved".*?</span>', "", html, flags=re.S)
    return html.replace('hx-swap-oob="true"', "")


def page_html(client, evaluation, code, level="tpi") -> str:
    url = reverse("evaluations:detail", args=[evaluation.pk])
    return client.get(url, {"question": code, "level": level}).content.decode()


@pytest.mark.parametrize(
    ("code", "fields"),
    [
        ("A.I.1.i.b", {"letter": "C"}),  # an option: differs from the unit's own answer
        ("B.I.a", {"number": "2,75"}),  # a survey index
        ("A.II.1.i.a", {"input:A.II.1.i.a.1": "3", "input:A.II.1.i.a.2": "4"}),  # a percent
        ("A.II.5.ii.a", {"input:A.II.5.ii.a.1": "0", "input:A.II.5.ii.a.3": "0"}),  # 0/0
    ],
)
def test_the_fragment_shows_the_row_and_sidebar_the_page_shows_after_the_save(
    client, evaluation, evaluator, code, fields
):
    services.answers_save(
        evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation)[:40]
    )
    client.force_login(evaluator)
    response = save(client, evaluation, code, **fields)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "lke-saved" in fragment and "lke-error" not in fragment
    page = page_html(client, evaluation, code)
    assert comparable(row_html(fragment, code)) == comparable(row_html(page, code))
    assert comparable(sidebar_html(fragment)) == comparable(sidebar_html(page))
    stored = EvaluationScore.objects.get(evaluation=evaluation, level=Level.TPI)
    total = f"{float(stored.total):.2f}".replace(".", ",")
    assert f'id="lke-total">{total}</div>' in fragment


def test_the_fragment_of_the_unit_shows_the_tpi_cell_and_difference_of_that_question(
    client, evaluation, unit_operator
):
    services.answers_save(
        evaluation=evaluation, level=Level.TPI, answers=[AnswerInput("A.I.1.i.b", letter="B")]
    )
    in_status(evaluation, Evaluation.Status.DRAFT)  # returned to the unit
    client.force_login(unit_operator)
    fragment = save(client, evaluation, "A.I.1.i.b", level="self", letter="C").content.decode()
    row = row_html(fragment, "A.I.1.i.b")
    assert re.search(
        r'data-level="tpi">.*?<div class="fs-5 lke-value" data-state="answered">B<', row, re.S
    )
    page = page_html(client, evaluation, "A.I.1.i.b", level="self")
    assert comparable(row) == comparable(row_html(page, "A.I.1.i.b"))
    assert "Berbeda" in row  # the unit's C and the TPI's B differ


def test_a_refused_save_shows_the_stored_score_not_the_typed_one(client, evaluation, evaluator):
    client.force_login(evaluator)
    save(client, evaluation, "A.I.1.i.b", letter="A")
    url = reverse("evaluations:answer_save", args=[evaluation.pk, "A.I.1.i.b", "tpi"])
    stale = client.post(url, {"letter": "C", "version": "0"}, HTTP_HX_REQUEST="true")
    fragment = stale.content.decode()
    assert "lke-conflict" in fragment
    page = page_html(client, evaluation, "A.I.1.i.b")
    assert comparable(sidebar_html(fragment)) == comparable(sidebar_html(page))


def test_every_save_stores_totals_equal_to_a_fresh_score(client, evaluation, evaluator):
    client.force_login(evaluator)
    saves = [
        ("A.I.1.i.a", {"letter": "Ya"}),
        ("A.I.1.i.b", {"letter": "B"}),
        ("B.I.a", {"number": "3.59"}),
        ("A.II.1.i.a", {"input:A.II.1.i.a.1": "2", "input:A.II.1.i.a.2": "3"}),
        ("A.II.5.ii.a", {"input:A.II.5.ii.a.1": "0", "input:A.II.5.ii.a.3": "0"}),
        ("A.II.5.ii.a", {"number": "0.75"}),  # the evaluator's own value for 0/0
        ("A.I.1.i.b", {"letter": ""}),  # cleared
    ]
    version = Evaluation.objects.get(pk=evaluation.pk).content_version
    for number, (code, fields) in enumerate(saves, start=1):
        assert save(client, evaluation, code, **fields).status_code == 200
        assert services.stale_scores(evaluation_ids=[evaluation.pk]) == []
        assert Evaluation.objects.get(pk=evaluation.pk).content_version == version + number
    assert Answer.history.filter(evaluation_id=evaluation.pk, level=Level.TPI).count() == len(saves)


@pytest.mark.parametrize("fill", [False, True])
def test_an_autosave_issues_a_constant_number_of_queries(
    client, evaluation, evaluator, django_assert_num_queries, fill
):
    if fill:
        services.answers_save(
            evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation)
        )
    client.force_login(evaluator)
    save(client, evaluation, "A.I.1.i.a", letter="Ya")  # the rubric snapshot is read once
    url = reverse("evaluations:answer_save", args=[evaluation.pk, "A.I.1.i.a", "tpi"])
    version = Answer.objects.get(
        evaluation=evaluation, question__code="A.I.1.i.a", level="tpi"
    ).version
    cache.clear()
    # session, user, memberships, evaluation; under the lock (a savepoint here): the evaluation
    # again, the level's answers, the predicates held, the answer and its history, the
    # evaluation's version and evidence count, the stored totals; then this question's answers
    # and its evidence count.
    with django_assert_num_queries(15):
        response = client.post(url, {"letter": "Tidak", "version": version}, HTTP_HX_REQUEST="true")
    assert "lke-saved" in response.content.decode()
    cache.clear()
    rubric_snapshot.forget_all()
    with django_assert_num_queries(18):  # and the rubric: criteria, options, thresholds
        client.post(url, {"letter": "Ya", "version": version + 1}, HTTP_HX_REQUEST="true")
    assert (
        Answer.objects.get(evaluation=evaluation, level="tpi", question__code="A.I.1.i.a").version
        == version + 2
    )
