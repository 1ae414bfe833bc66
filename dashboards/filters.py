"""The dashboards' filters: the year of the pipeline and the kind of unit (django-filter)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit
from zi_portal.widgets import QuickSelect

FIRST_YEAR = 2017  # The first national figures the portal compares with


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
    )

    class Meta:
        model = Unit
        fields = ["service_kind"]

    def __init__(self, data=None, *args, **kwargs):
        this_year = timezone.localdate().year
        data = data.copy() if data is not None else {}
        # Without a choice the dashboard shows the current year.
        if not data.get("year"):
            data["year"] = str(this_year)
        super().__init__(data, *args, **kwargs)
        years = [(y, str(y)) for y in range(this_year + 1, FIRST_YEAR - 1, -1)]
        self.filters["year"].extra["choices"] = years
        for bound in self.form.fields.values():
            bound.widget.attrs["class"] = "form-select form-select-sm"

    def keep_units(self, queryset, name, value):
        return queryset

    @property
    def chosen_year(self) -> int:
        if self.form.is_valid():
            return self.form.cleaned_data["year"]
        return timezone.localdate().year
