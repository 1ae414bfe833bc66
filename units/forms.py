"""Forms of the units app. They check shapes; services.py checks the rules and saves."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from zi_portal import uploads

from .models import PENCANANGAN_FORM_FIELDS, Pencanangan


class PencananganForm(forms.ModelForm):
    """Record or edit a pencanangan; the covered units are the agency's own."""

    charter = forms.FileField(
        label=_("Signed charter (PDF)"),
        # A plain input: the current charter is linked separately, through the access-checked
        # view, because private files have no URL of their own.
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Pencanangan
        fields = PENCANANGAN_FORM_FIELDS
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "units": forms.CheckboxSelectMultiple,
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.instance.agency = agency
        self.fields["units"].queryset = agency.units.order_by("name")
        self.fields["units"].help_text = _("Only when the whole agency is not covered.")
        editing = self.instance.pk is not None
        self.fields["charter"].required = not editing
        if editing:
            self.fields["charter"].help_text = _(
                "Leave empty to keep the current charter. PDF only, at most %(limit)s MB."
            ) % {"limit": f"{uploads.max_upload_bytes() / (1024 * 1024):g}"}
        else:
            self.fields["charter"].help_text = _(
                "PDF only, at most %(limit)s MB. After an error, choose the file again."
            ) % {"limit": f"{uploads.max_upload_bytes() / (1024 * 1024):g}"}

    def clean_charter(self):
        charter = self.cleaned_data.get("charter")
        if isinstance(charter, UploadedFile):
            # Checked here so its message shows with the others; the service checks again.
            uploads.validate_upload(charter, allowed=uploads.PDF_ONLY)
        return charter

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("covers_whole_agency") and "units" in cleaned and not cleaned["units"]:
            self.add_error(
                "units",
                ValidationError(
                    _(
                        "Choose the units this pencanangan covers, or tick "
                        "“covers the whole agency”."
                    ),
                    code="required",
                ),
            )
        return cleaned

    def service_arguments(self) -> dict:
        """Return the cleaned data as the keyword arguments of the pencanangan services."""
        data = dict(self.cleaned_data)
        charter = data.pop("charter", None)
        units = list(data.pop("units", []))
        # An untouched charter field hands back the stored file: only a new upload is passed on.
        if not isinstance(charter, UploadedFile):
            charter = None
        return {**data, "charter": charter, "units": units}
