"""Two people at once, on real parallel PostgreSQL connections: one wins, nothing is lost."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from evaluations import selectors, services, workflow
from evaluations.models import Answer, Evaluation, EvaluationScore, Level, StatusChange
from evaluations.services import AnswerConflict, AnswerInput

from .factories import full_answers, in_status

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs on it)"
    ),
]


def run_together(*calls):
    """Run each call in its own thread and database connection; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each one raised
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def test_two_saves_of_one_answer_with_the_same_version_one_wins(
    evaluation, unit_operator, evaluator
):
    def save(letter, by):
        return lambda: services.answers_save(
            evaluation=evaluation,
            level=Level.SELF,
            answers=[AnswerInput("A.I.1.i.b", letter=letter, expected_version=0)],
            by=by,
        )

    results = run_together(save("A", unit_operator), save("C", evaluator))
    conflicts = [r for r in results if isinstance(r, AnswerConflict)]
    saved = [r for r in results if isinstance(r, services.LevelSaved)]
    assert (len(saved), len(conflicts)) == (1, 1)
    answer = Answer.objects.get(evaluation=evaluation, level=Level.SELF)
    assert answer.version == 1
    assert answer.option.letter == saved[0].answers[0].option.letter


def test_two_transitions_at_once_one_applies(evaluation, unit_operator):
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation))

    def submit():
        return workflow.evaluation_transition(
            evaluation=evaluation, name="submit_self", by=unit_operator
        )

    results = run_together(submit, submit)
    refused = [r for r in results if isinstance(r, workflow.TransitionNotAllowed)]
    applied = [r for r in results if isinstance(r, Evaluation)]
    assert (len(applied), len(refused)) == (1, 1)
    assert StatusChange.objects.filter(evaluation=evaluation).count() == 1
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.SELF_SUBMITTED


def test_a_save_racing_a_submission_is_either_before_it_or_refused(evaluation, unit_operator):
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation))
    in_status(evaluation, Evaluation.Status.DRAFT)

    def save():
        return services.answers_save(
            evaluation=evaluation,
            level=Level.SELF,
            answers=[AnswerInput("A.I.1.i.b", letter="C")],
            by=unit_operator,
        )

    def submit():
        return workflow.evaluation_transition(
            evaluation=evaluation, name="submit_self", by=unit_operator
        )

    saved, submitted = run_together(save, submit)
    assert isinstance(submitted, Evaluation)
    answer = Answer.objects.get(evaluation=evaluation, level=Level.SELF, question__code="A.I.1.i.b")
    if isinstance(saved, services.LevelLocked):
        assert answer.option.letter == "A"  # refused after the submission: nothing changed
    else:
        assert answer.option.letter == "C"  # saved before the submission took its lock


def test_evidence_racing_a_submission_is_either_before_it_or_refused(
    evaluation, unit_operator, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluations.models import Evidence
    from zi_portal.tests.upload_samples import PDF_BYTES

    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation))

    def add():
        return services.evidence_add_file(
            evaluation=evaluation,
            question_code="A.I.1.i.a",
            upload=SimpleUploadedFile("sk.pdf", PDF_BYTES),
            by=unit_operator,
        )

    def submit():
        return workflow.evaluation_transition(
            evaluation=evaluation, name="submit_self", by=unit_operator
        )

    added, submitted = run_together(add, submit)
    assert isinstance(submitted, Evaluation)
    files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    if isinstance(added, services.LevelLocked):
        # Refused after the submission: no row and no stray file.
        assert (Evidence.objects.count(), files) == (0, [])
    else:
        # Added under the row lock before the submission took it.
        evidence = Evidence.objects.get()
        submission = StatusChange.objects.get(evaluation=evaluation)
        assert evidence.created_at < submission.created_at
        assert len(files) == 1


def test_eight_adds_of_the_same_link_at_once_store_it_once(evaluation, unit_operator):
    from django.core.exceptions import ValidationError

    from evaluations.models import Evidence

    url = "https://dukcapil.slemankab.go.id/zi/sk-tim.pdf"

    def add():
        return services.evidence_add_link(
            evaluation=evaluation, question_code="A.I.1.i.a", url=url, by=unit_operator
        )

    results = run_together(*[add] * 8)

    assert Evidence.objects.filter(evaluation=evaluation, url=url).count() == 1
    assert sum(isinstance(r, Evidence) for r in results) == 1
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, Evidence))


def test_two_saves_of_different_answers_at_once_keep_both_and_score_both(evaluation, unit_operator):
    """Two tabs save two questions of one level at the same moment: neither write is lost, and
    the stored totals count both answers (each save scores the level under the row lock)."""
    version = evaluation.content_version

    def save(code, letter):
        # Each request reads its own copy of the evaluation, as two tabs do.
        return lambda: services.answers_save(
            evaluation=Evaluation.objects.get(pk=evaluation.pk),
            level=Level.SELF,
            answers=[AnswerInput(code, letter=letter, expected_version=0)],
            by=unit_operator,
        )

    results = []

    def worker(call):
        try:
            results.append(call())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each one raised
            results.append(exc)
        finally:
            connections.close_all()

    # Hold the row lock until both saves are waiting for it, so that they overlap for sure.
    with transaction.atomic():
        Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        threads = [
            threading.Thread(target=worker, args=(call,))
            for call in (save("A.I.1.i.a", "Ya"), save("A.I.1.i.b", "A"))
        ]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
    for thread in threads:
        thread.join(timeout=30)

    assert all(isinstance(r, services.LevelSaved) for r in results), results
    stored = dict(
        Answer.objects.filter(evaluation=evaluation, level=Level.SELF).values_list(
            "question__code", "option__letter"
        )
    )
    assert stored == {"A.I.1.i.a": "Ya", "A.I.1.i.b": "A"}
    assert services.stale_scores(evaluation_ids=[evaluation.pk]) == []
    score = EvaluationScore.objects.get(evaluation=evaluation, level=Level.SELF)
    assert score.answered == 2
    assert Evaluation.objects.get(pk=evaluation.pk).content_version == version + 2


def test_saves_and_imports_do_not_wait_for_the_rubric_or_the_unit(evaluation, unit_operator):
    """An administrator's long edit of the rubric version (or of the unit) holds those rows;
    answers of every LKE on them must still save meanwhile: only the evaluation's row is locked."""
    from evaluations.models import RubricVersion
    from evaluations.tests.workbook_factory import official
    from evaluations.workbook.services import workbook_import
    from units.models import Unit

    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    content = official(spec, {"A.I.1.i.a": "Tidak"})
    finished = threading.Event()
    results = []

    def work():
        try:
            services.answers_save(
                evaluation=Evaluation.objects.get(pk=evaluation.pk),
                level=Level.SELF,
                answers=[AnswerInput("A.I.1.i.b", letter="B")],
                by=unit_operator,
            )
            results.append(
                workbook_import(
                    unit=evaluation.unit, year=evaluation.year, level=Level.SELF, file=content
                )
            )
        except Exception as exc:  # noqa: BLE001 - the test inspects what each one raised
            results.append(exc)
        finally:
            finished.set()
            connections.close_all()

    with transaction.atomic():
        RubricVersion.objects.select_for_update().get(pk=evaluation.rubric_id)
        Unit.objects.select_for_update().get(pk=evaluation.unit_id)
        thread = threading.Thread(target=work)
        thread.start()
        done_while_held = finished.wait(timeout=10)
    thread.join(timeout=30)
    assert done_while_held, "the save waited for the rubric version's or the unit's row"
    assert not isinstance(results[0], Exception), results
    assert (
        Answer.objects.get(evaluation=evaluation, question__code="A.I.1.i.a").option.letter
        == "Tidak"
    )
