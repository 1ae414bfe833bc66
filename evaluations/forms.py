"""Forms of the evaluations pages; what they accept is decided again by the services."""

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zi_portal import uploads


def _file_input():
    # The browser's picker offers only the accepted endings; the content is checked on upload.
    accept = ",".join(f".{ext}" for ext in uploads.ALLOWED_EXTENSIONS)
    return forms.ClearableFileInput(attrs={"accept": accept, "class": "form-control"})


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=_file_input())
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Link"),
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"class": "form-control", "placeholder": "https://"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class EvidenceReplaceForm(forms.Form):
    file = forms.FileField(label=_("New version"), widget=_file_input())


def _this_year() -> int:
    return timezone.localdate().year


class EvaluationStartForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2010,
        max_value=2100,
        initial=_this_year,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one unit.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda unit: f"{unit.name} ({unit.code})"
