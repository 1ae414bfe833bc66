"""QuickSelect writes the markup of Django's own Select, only faster."""

import copy

import pytest
from django import forms
from django.utils.safestring import mark_safe

from zi_portal.widgets import PairChoices, QuickSelect

CHOICES = [
    ("", "---------"),
    ("1", "Kementerian A & B <Pusat>"),
    ("Daerah", [("2", 'Kota "Satu"'), ("3", mark_safe("<b>Tiga</b>"))]),
    ("", [("4", "Tanpa kelompok")]),
    (5, "Lima"),
]


def test_quick_select_renders_the_markup_of_djangos_select():
    attrs = {"class": "form-select", "id": "id_agency", "required": True, "disabled": False}
    for value in ("", "1", "2", "3", "4", 5, None):
        expected = forms.Select(choices=CHOICES).render("agency", value, attrs=attrs)
        assert QuickSelect(choices=CHOICES).render("agency", value, attrs=attrs) == expected


def test_quick_select_escapes_labels_and_marks_the_chosen_option():
    rendered = QuickSelect(choices=CHOICES).render("agency", "2")
    assert "Kementerian A &amp; B &lt;Pusat&gt;" in rendered
    assert '<option value="2" selected>Kota &quot;Satu&quot;</option>' in rendered
    assert "<b>Tiga</b>" in rendered  # a label already marked safe stays as it is


def test_pair_choices_behave_like_the_same_list_in_a_choice_field():
    pairs = [(1, "Kementerian A & B"), (2, "Kota Satu")]

    def field(choices):
        return forms.ChoiceField(choices=choices, required=False, widget=QuickSelect)

    fast, plain = field(lambda: PairChoices(pairs)), field(lambda: pairs)
    assert fast.widget.render("agency", "2") == plain.widget.render("agency", "2")
    assert fast.clean("2") == "2"
    with pytest.raises(forms.ValidationError) as refused:
        fast.clean("3")
    assert refused.value.code == "invalid_choice"


def test_shared_pair_choices_follow_the_language_of_each_render():
    from django.utils import translation

    from evaluations.filters import EvaluationFilter
    from evaluations.models import Evaluation

    status = EvaluationFilter.base_filters["status"]
    copies = [copy.deepcopy(status) for _ in range(2)]
    # Deep copies of a filter (one per request) share the pairs instead of copying every label.
    assert copies[0].extra["choices"] is copies[1].extra["choices"]
    widget = copies[0].field.widget
    with translation.override("id"):
        assert ">Draf<" in widget.render("status", Evaluation.Status.DRAFT)
    with translation.override("en"):
        assert ">Draft<" in widget.render("status", Evaluation.Status.DRAFT)
