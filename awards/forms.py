"""Forms of the national track's pages; they only read input, the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Predicate

from .models import NationalResult, NationalStage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SubmissionOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)


class ItemAddForm(forms.Form):
    evaluation = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    predicate = forms.ChoiceField(label=_("Proposed predicate"), choices=Predicate.choices)
    afirmasi = forms.BooleanField(label=_("Afirmasi (below a threshold, WBK only)"), required=False)
    afirmasi_reason = forms.CharField(
        label=_("Reason for afirmasi"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, evaluations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = evaluations
        self.fields["evaluation"].label_from_instance = lambda e: e.unit.name


class LetterForm(forms.Form):
    cover_letter_number = forms.CharField(label=_("Cover letter number"), max_length=120)
    cover_letter_date = forms.DateField(label=_("Cover letter date"), widget=DateInput())
    signer_name = forms.CharField(label=_("Signed by (name)"), max_length=200)
    signer_position = forms.CharField(label=_("Signed by (position)"), max_length=200)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=NationalStage.Stage.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=NationalStage.Outcome.choices)
    result = forms.ChoiceField(
        label=_("Final result (result stage only)"),
        choices=[("", "—"), *NationalResult.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TpnTotalsForm(forms.Form):
    pengungkit = forms.DecimalField(
        label=_("TPN enablers (pengungkit), 0–60"), min_value=0, max_value=60, decimal_places=4
    )
    hasil = forms.DecimalField(
        label=_("TPN results (hasil), 0–40"), min_value=0, max_value=40, decimal_places=4
    )


class AwardCreateForm(forms.Form):
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=120)
    decree_date = forms.DateField(label=_("Decree date"), widget=DateInput())


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    decree = forms.CharField(label=_("Revocation decree number"), max_length=120, required=False)
