"""QuickSelect writes the markup of Django's own Select, only faster."""

from django import forms
from django.utils.safestring import mark_safe

from zi_portal.widgets import QuickSelect

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
