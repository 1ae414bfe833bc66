"""Filters of the public list of awarded units."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Predicate
from units.provinces import PROVINCE_CHOICES
from zi_portal.widgets import QuickSelect

from .models import Award


def _agencies_with_public_awards():
    from .selectors import public_award_agencies  # selectors import this module

    return public_award_agencies()


class PublicAwardFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("Year"), widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    predicate = django_filters.ChoiceFilter(
        label=_("Predicate"),
        choices=Predicate.choices,
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"),
        field_name="unit__agency__province",
        choices=PROVINCE_CHOICES,
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    agency = django_filters.ChoiceFilter(
        label=_("Agency"),
        field_name="unit__agency",
        choices=_agencies_with_public_awards,
        # Every agency with a public award: hundreds of options at national scale.
        widget=QuickSelect(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Award
        fields = ["year", "predicate", "province", "agency"]
