"""The `score` command: JSON shape, readable table, exit codes."""

import io
import json

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from evaluations import services
from evaluations.models import Evaluation, Level
from evaluations.services import AnswerInput
from evaluations.tests.factories import in_status


@pytest.fixture
def evaluation(rubric, unit):
    evaluation = in_status(
        services.evaluation_create(unit=unit, year=2025), Evaluation.Status.TPI_REVIEW
    )
    services.answers_save(
        evaluation=evaluation,
        level=Level.TPI,
        answers=[
            AnswerInput("A.I.1.ii.a", letter="Ya"),
            AnswerInput("A.I.1.ii.b", letter="C"),
            AnswerInput("B.I.a", number="3.6"),
        ],
    )
    return evaluation


def run(*args):
    out = io.StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


def run_json(*args):
    return json.loads(run(*args, "--json"))


def test_json_has_the_issue_shape(evaluation, unit):
    data = run_json("--unit", unit.code, "--year", "2025")
    assert set(data) >= {
        "total",
        "pengungkit",
        "pemenuhan",
        "reform",
        "hasil",
        "areas",
        "sub_areas",
        "complete",
        "unanswered",
        "predicate",
    }
    assert data["total"] == pytest.approx(1 / 3 + 15.75)
    assert data["hasil"] == 15.75
    assert set(data["areas"]["1"]) == {"pemenuhan", "reform", "total"}
    assert data["areas"]["1"]["pemenuhan"] == pytest.approx(1 / 3)
    assert len(data["sub_areas"]) == 44
    assert data["complete"] is False
    assert len(data["unanswered"]) == 110
    assert data["predicate"]["verdict"] is None
    rule = next(r for r in data["predicate"]["rules"] if r["name"] == "WBK:ipak")
    assert rule == {
        "name": "WBK:ipak",
        "value": 15.75,
        "threshold": 15.75,
        "passed": True,
        "shortfall": 0.0,
    }


def test_excel_compat_skips_unanswered_questions(evaluation, unit):
    data = run_json("--unit", unit.code, "--year", "2025", "--excel-compat")
    assert data["sub_areas"]["A.I.1.ii"] == 0.5  # (Ya 1 + C 0) / 2 answered, weight 1


def test_level_is_chosen(evaluation, unit):
    assert run_json("--unit", unit.code, "--year", "2025", "--level", "self")["total"] == 0


def test_readable_table_without_json(evaluation, unit):
    table = run("--unit", unit.code, "--year", "2025")
    assert "A.I.1.ii" in table
    assert "16.08" in table  # the total, two decimals


def test_unknown_unit_or_year_is_an_error(evaluation, unit):
    with pytest.raises(CommandError, match="SLEMAN-DUKCAPIL"):
        call_command("score", "--unit", unit.code, "--year", "1999")
    with pytest.raises(CommandError):
        call_command("score", "--unit", "NOPE", "--year", "2025")


def test_unknown_unit_exits_1_with_the_message_on_stderr(db, capsys):
    command = load_command_class("evaluations", "score")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "score", "--unit", "NOPE", "--year", "2025"])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "NOPE" in captured.err
    assert captured.out == ""


def test_excel_mode_shows_an_error_total_as_not_computable(evaluation, unit):
    # Most sub-areas have nothing answered: the workbook's AVERAGE over them is #DIV/0!.
    data = run_json("--unit", unit.code, "--year", "2025", "--excel-compat")
    assert data["total"] is None
    assert data["sub_areas"]["A.I.2.i"] is None
    assert data["predicate"]["verdict"] is None
    assert data["predicate"]["withheld"] == "incomplete"
    table = run("--unit", unit.code, "--year", "2025", "--excel-compat")
    total_line = next(line for line in table.splitlines() if line.startswith("Total"))
    assert total_line.endswith(": -")
