"""The dashboards' filters: the year of the pipeline and the kind of unit (django-filter)."""

from dataclasses import dataclass

import django_filters
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit
from zi_portal.widgets import QuickSelect

FIRST_YEAR = 2017  # The first national figures the portal compares with


@dataclass(frozen=True)
class Choice:
    """What a dashboard shows, as its filters read it: kept figures are found under this."""

    year: int
    service_kind: str = ""  # "": every kind

    def query(self) -> QueryDict:
        """Return the choice as a query string (the page's CSV links carry it, and nothing else)."""
        query = QueryDict(mutable=True)
        query["year"] = str(self.year)
        if self.service_kind:
            query["service_kind"] = self.service_kind
        return query


def years() -> range:
    """Return the years a dashboard offers: next year's proposals back to FIRST_YEAR."""
    return range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)


class DashboardFilter(django_filters.FilterSet):
    """Filter the units of a dashboard by kind; the year picks their evaluations, not units."""

    # QuickSelect: the filters sit above figures kept in the cache, where rendering each option
    # through its own template was most of what a page still cost.
    year = django_filters.TypedChoiceFilter(
        label=_("Year"), coerce=int, method="keep_units", widget=QuickSelect
    )
    service_kind = django_filters.ChoiceFilter(
        label=_("Kind of unit"),
        choices=Unit.ServiceKind.choices,
        empty_label=_("All kinds"),
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Choose a kind of unit from the list.")},
    )

    class Meta:
        model = Unit
        fields = ["service_kind"]

    def __init__(self, data=None, *args, **kwargs):
        offered = years()
        data = data.copy() if data is not None else {}
        # Without a choice the dashboard shows the current year.
        if not data.get("year"):
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, *args, **kwargs)
        year = self.form.fields["year"]
        year.choices = [(y, str(y)) for y in offered]
        year.error_messages["invalid_choice"] = _("Choose a year from %(first)s to %(last)s.") % {
            "first": offered[-1],
            "last": offered[0],
        }
        for bound in self.form.fields.values():
            bound.widget.attrs["class"] = "form-select form-select-sm"

    def keep_units(self, queryset, name, value):
        return queryset

    @property
    def choice(self) -> Choice | None:
        """Return what the filters chose, or None when a value is not one they offer."""
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        return Choice(year=data["year"], service_kind=data.get("service_kind") or "")
