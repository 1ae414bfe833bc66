"""Forms of the evaluations pages; what they accept is decided again by the services."""

from django import forms
from django.core.validators import URLValidator
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
