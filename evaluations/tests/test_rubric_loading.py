"""Loading rubric versions from their folders: the shipped 2021 LKE, and broken files."""

import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import translation

from evaluations import services
from evaluations.models import Criterion, Option, RubricVersion, Threshold
from evaluations.rubric import files as rubric_files

Kind = Criterion.Kind


def test_shipped_rubric_has_the_regulation_shape(rubric):
    criteria = Criterion.objects.filter(rubric=rubric)
    assert criteria.filter(kind=Kind.SUB_AREA, weight__isnull=False).count() == 44
    assert criteria.filter(kind=Kind.QUESTION).count() == 113
    assert criteria.filter(kind=Kind.INPUT).count() == 24
    assert criteria.filter(kind=Kind.AREA).count() == 12
    assert criteria.filter(parent=None).aggregate(total=Sum("weight"))["total"] == 100


def test_shipped_rubric_weights_sum_to_100_over_the_leaves(rubric):
    # Leaves that carry points: sub-areas holding questions, and questions with their own weight.
    leaf_sub_areas = Criterion.objects.filter(
        rubric=rubric, kind=Kind.SUB_AREA, children__kind=Kind.QUESTION
    ).distinct()
    weighted_questions = Criterion.objects.filter(
        rubric=rubric, kind=Kind.QUESTION, weight__isnull=False
    )
    total = sum(c.weight for c in leaf_sub_areas) + sum(q.weight for q in weighted_questions)
    assert total == 100


def test_shipped_rubric_carries_options_guidance_and_thresholds(rubric):
    assert Option.objects.filter(question__rubric=rubric).count() == 359
    questions = Criterion.objects.filter(rubric=rubric, kind=Kind.QUESTION)
    assert not questions.filter(guidance_id="").exists()
    assert Threshold.objects.filter(rubric=rubric).count() == 15
    wbk_total = Threshold.objects.get(rubric=rubric, predicate="WBK", rule="total")
    assert wbk_total.minimum == 75
    assert rubric.is_active


def test_shipped_rubric_keeps_the_tree_order_and_depth(rubric):
    first = list(Criterion.objects.filter(rubric=rubric).values_list("code", "depth")[:5])
    assert first == [("A", 0), ("A.I", 1), ("A.I.1", 2), ("A.I.1.i", 3), ("A.I.1.i.a", 4)]
    # The workbook's own numbering runs out of order in A.I.6.v: a, c, b.
    codes = Criterion.objects.filter(rubric=rubric, parent__code="A.I.6.v")
    assert list(codes.values_list("code", flat=True)) == ["A.I.6.v.a", "A.I.6.v.c", "A.I.6.v.b"]


def test_loading_twice_changes_nothing(rubric):
    before = list(Criterion.objects.filter(rubric=rubric).values_list("pk", "code", "weight"))
    options = list(Option.objects.values_list("pk", flat=True))
    call_command("load_rubric", verbosity=0)
    assert list(Criterion.objects.filter(rubric=rubric).values_list("pk", "code", "weight")) == (
        before
    )
    assert list(Option.objects.values_list("pk", flat=True)) == options
    assert RubricVersion.objects.count() == 1


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped 2021 folder to break."""
    target = tmp_path / "broken"
    shutil.copytree(rubric_files.version_folder(), target)
    return target


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [
    # A sub-area weight that no longer adds up to its area (4 = 0.5 + 1 + 1 + 1.5).
    (
        "lke_rubric.csv",
        "A.I.1.i,A.I.1,sub_area,1,0.5,",
        "A.I.1.i,A.I.1,sub_area,1,0.75,",
        "A.I.1 has weight 4",
    ),
    ("lke_rubric.csv", "A.I.1.i.b,A.I.1.i,", "A.I.1.i.b,A.I.1.x,", "unknown parent A.I.1.x"),
    ("lke_rubric.csv", ",question,2,,abc,,Anggota", ",question,2,,abcx,,Anggota", "'abcx'"),
    ("lke_options.csv", "A.I.1.i.b,A,1,", "A.I.9.i.b,A,1,", "unknown question A.I.9.i.b"),
    ("lke_options.csv", "A.I.1.i.b,B,0.5,", "A.I.1.i.b,B,1.5,", "between 0 and 1"),
    ("lke_rubric.csv", "ratio(A.II.1.i.a.2,A.II.1.i.a.1)", "ratio(A.II.1.i.a.2,A.X)", "A.X"),
    ("thresholds.csv", "WBK,1,total,score,,75,", "WBK,1,total,score,,lots,", "minimum"),
    ("lke_questions.csv", "A.I.1.i.a,", "Z.9,", "unknown question Z.9"),
    ("version.json", '"wbbm_min_years_wbk": 2', '"wbbm_min_years_wbk": "2"', "wbbm_min_years_wbk"),
]


@pytest.mark.parametrize(("filename", "old", "new", "message"), BROKEN)
def test_broken_rubric_is_refused_with_a_clear_message(folder, filename, old, new, message):
    replace_in(folder / filename, old, new)
    with translation.override("en"), pytest.raises(rubric_files.RubricInvalid) as caught:
        rubric_files.read_rubric(folder)
    assert message in str(caught.value)


def test_broken_rubric_changes_nothing(rubric, folder):
    replace_in(
        folder / "lke_rubric.csv", "A.I.1.i,A.I.1,sub_area,1,0.5,", "A.I.1.i,A.I.1,sub_area,1,0.75,"
    )
    replace_in(folder / "lke_rubric.csv", "Tim kerja pembangunan ZI", "Nama baru")
    before = Criterion.objects.count(), Option.objects.count(), Threshold.objects.count()
    with pytest.raises(CommandError, match="tidak ada yang berubah") as caught:
        call_command("load_rubric", str(folder), verbosity=0)
    assert "A.I.1 berbobot 4 tetapi bagian-bagiannya berjumlah 4.25" in str(caught.value)
    assert (Criterion.objects.count(), Option.objects.count(), Threshold.objects.count()) == before
    sub_area = Criterion.objects.get(rubric=rubric, code="A.I.1.i")
    assert (sub_area.weight, sub_area.label_id) == (Decimal("0.5"), "Tim kerja pembangunan ZI")


def test_every_problem_is_listed_at_once(folder):
    replace_in(folder / "lke_rubric.csv", "A.I.1.i.b,A.I.1.i,", "A.I.1.i.b,A.I.1.x,")
    replace_in(folder / "lke_options.csv", "A.I.1.i.b,A,1,", "A.I.9.i.b,A,1,")
    with pytest.raises(rubric_files.RubricInvalid) as caught:
        rubric_files.read_rubric(folder)
    assert len(caught.value.errors) >= 2


def test_refused_message_is_in_indonesian_by_default(folder):
    replace_in(folder / "lke_rubric.csv", "A.I.1.i.b,A.I.1.i,", "A.I.1.i.b,A.I.1.x,")
    with pytest.raises(rubric_files.RubricInvalid) as caught:
        rubric_files.read_rubric(folder)
    assert "induk" in str(caught.value)  # "… menyebut induk yang tidak dikenal …"


def test_a_later_regulation_loads_as_another_version(rubric, folder):
    (folder / "version.json").write_text('{"code": "2027", "regulation": "Peraturan baru"}')
    replace_in(folder / "thresholds.csv", "WBK,1,total,score,,75,", "WBK,1,total,score,,77,")
    later = services.rubric_load(folder=folder)
    rubric.refresh_from_db()
    assert (later.code, later.is_active, rubric.is_active) == ("2027", True, False)
    assert Threshold.objects.get(rubric=later, predicate="WBK", rule="total").minimum == 77
    assert Criterion.objects.filter(rubric=later).count() == 199


def test_the_regulations_other_numbers_are_rubric_data(rubric, folder):
    assert (rubric.wbbm_min_years_wbk, rubric.revocation_cooldown_years) == (2, 2)
    replace_in(folder / "version.json", '"wbbm_min_years_wbk": 2', '"wbbm_min_years_wbk": 3')
    replace_in(
        folder / "version.json", '"revocation_cooldown_years": 2', '"revocation_cooldown_years": 5'
    )
    services.rubric_load(folder=folder)
    rubric.refresh_from_db()
    assert (rubric.wbbm_min_years_wbk, rubric.revocation_cooldown_years) == (3, 5)


def test_unknown_folder_is_refused():
    with pytest.raises(CommandError):
        call_command("load_rubric", "1999", verbosity=0)
