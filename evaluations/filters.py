"""List filters (django-filter) of the evaluations pages."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit
from zi_portal import access
from zi_portal.widgets import QuickSelect

from .models import Evaluation, EvaluationScore, Level, Predicate

NO_VERDICT = "none"


def _select(**attrs):
    # The agency list holds every agency for a national administrator: options in Python.
    return QuickSelect(attrs={"class": "form-select form-select-sm", **attrs})


class EvaluationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Unit name or code"),
        method="filter_search",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    year = django_filters.NumberFilter(
        label=_("Year"), widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"})
    )
    agency = django_filters.ChoiceFilter(label=_("Agency"), field_name="agency", widget=_select())
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Evaluation.Status.choices, widget=_select()
    )
    unit_kind = django_filters.ChoiceFilter(
        label=_("Kind of service"),
        field_name="unit__service_kind",
        choices=Unit.ServiceKind.choices,
        widget=_select(),
    )
    verdict = django_filters.ChoiceFilter(
        label=_("TPI verdict"),
        choices=[*Predicate.choices, (NO_VERDICT, _("No predicate"))],
        method="filter_verdict",
        widget=_select(),
    )

    class Meta:
        model = Evaluation
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].extra["choices"] = access.agency_choices(user)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(unit__name__icontains=value) | Q(unit__code__icontains=value))

    def filter_verdict(self, queryset, name, value):
        # The verdict stored with the TPI level's totals; none when there is no such row yet.
        tpi_verdicts = EvaluationScore.objects.filter(
            evaluation=OuterRef("pk"), level=Level.TPI
        ).exclude(verdict="")
        if value == NO_VERDICT:
            return queryset.filter(~Exists(tpi_verdicts))
        return queryset.filter(Exists(tpi_verdicts.filter(verdict=value)))


class HistoryFilter(django_filters.FilterSet):
    """Filters of the Riwayat page, applied to each source of history rows."""

    question = django_filters.CharFilter(
        label=_("Question code"),
        method="filter_question",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"), queryset=None, method="filter_person", widget=_select()
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["person"].queryset = people

    def filter_question(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if not any(f.name == "question" for f in queryset.model._meta.fields):
            return queryset.none()  # status changes belong to no question
        return queryset.filter(question__code__iexact=value)

    def filter_person(self, queryset, name, value):
        return queryset.filter(history_user_id=value.pk)
