"""Forms of the national track's pages; they only read input, the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Predicate
from zi_portal import uploads

from .models import DEFAULT_OBJECTION_DAYS, NationalResult, NationalStage


class OnePageForm(forms.Form):
    """A form shown beside others on one page: its field ids carry its own prefix (the field
    names do not), so that each label finds its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


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


class StageForm(OnePageForm):
    """The outcome of one stage before the result, which has its own confirmation page."""

    id_prefix = "stage"

    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[c for c in NationalStage.Stage.choices if c[0] != NationalStage.Stage.RESULT],
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (NationalStage.Outcome.PASSED, NationalStage.Outcome.PASSED.label),
            (NationalStage.Outcome.FAILED, NationalStage.Outcome.FAILED.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Final result"), choices=NationalResult.choices)
    date = forms.DateField(label=_("Date of the result"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StageWithdrawForm(OnePageForm):
    id_prefix = "withdraw"
    reason = forms.CharField(
        label=_("Why is this record withdrawn?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingsForm(OnePageForm):
    id_prefix = "findings"
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class TpnTotalsForm(OnePageForm):
    id_prefix = "tpn"
    pengungkit = forms.DecimalField(
        label=_("TPN enablers (pengungkit), 0–60"), min_value=0, max_value=60, decimal_places=4
    )
    hasil = forms.DecimalField(
        label=_("TPN results (hasil), 0–40"), min_value=0, max_value=40, decimal_places=4
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by its content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ",".join(f".{ext}" for ext in uploads.ALLOWED_EXTENSIONS)}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ObjectionForm(OnePageForm):
    id_prefix = "objection"
    reason = forms.CharField(
        label=_("Reason for the objection"), widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(
        label=_("Attachments (PDF, pictures, Office documents)"), required=False
    )


class ObjectionDecisionForm(OnePageForm):
    id_prefix = "decision"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept: the unit goes on to the desk evaluation")),
            ("reject", _("Reject: the unit stays not awarded")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WindowForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput(), required=False)
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: 31 May of the year."),
    )
    objection_days = forms.IntegerField(
        label=_("Objection period (days)"),
        min_value=1,
        max_value=60,
        initial=DEFAULT_OBJECTION_DAYS,
        help_text=_(
            "Days after the administrative selection during which an agency may object to a "
            "unit that did not pass it (sanggah)."
        ),
    )

    def __init__(self, *args, with_year=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_year:
            del self.fields["year"]


class AnnouncementForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=120)
    decree_date = forms.DateField(label=_("Decree date"), widget=DateInput())
    publish_on = forms.DateField(
        label=_("Publication date"),
        widget=DateInput(),
        help_text=_("The day its awards appear on the public list, once it is published."),
    )

    def __init__(self, *args, with_year=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_year:
            del self.fields["year"]


class AwardCreateForm(forms.Form):
    announcement = forms.ModelChoiceField(
        label=_("Announcement (decree)"),
        queryset=None,
        empty_label=None,
        help_text=_("An unpublished announcement of the same year."),
    )

    def __init__(self, *args, announcements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["announcement"].queryset = announcements


class AnnouncementAddForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("National results without an award"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        field.queryset = results
        field.label_from_instance = lambda item: (
            f"{item.evaluation.unit.name} ({item.submission.agency.name}) · {item.result}"
        )


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    decree = forms.CharField(label=_("Revocation decree number"), max_length=120)
