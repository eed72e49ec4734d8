from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ungkultur.enrolment.models import DropoutReason, EndReason


class DateInput(forms.DateInput):
    """The browser's own date picker; the value is always ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "ds-input", **(attrs or {})}, format="%Y-%m-%d")


class JoinForm(forms.Form):
    """Whom the viewer signs up: themself or one of their confirmed children."""

    person = forms.TypedChoiceField(
        label=_("Hvem melder du på?"),
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            (c.person.pk, _("Meg selv") if c.is_self else c.person.first_name) for c in candidates
        ]
        if len(candidates) == 1:
            self.fields["person"].initial = candidates[0].person.pk
            self.fields["person"].widget = forms.HiddenInput()


class LeaveForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Hvorfor slutter du?"),
        choices=[(value, capfirst(label)) for value, label in EndReason.choices],
        error_messages={"required": _("Velg en grunn.")},
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )
    dropout_reason = forms.ChoiceField(
        label=_("Hvis du sluttet: hva var grunnen?"),
        choices=[(value, capfirst(label)) for value, label in DropoutReason.choices],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["end_reason"].label = _("Hvorfor slutter deltakeren?")
            self.fields["dropout_reason"].label = _("Hvis deltakeren sluttet: hva var grunnen?")
            self.fields["end"] = forms.DateField(
                label=_("Siste dag"),
                help_text=_("Siste dag deltakeren var med. Kan ikke være etter i dag."),
                widget=DateInput(),
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("end_reason") == EndReason.DROPPED_OUT and not cleaned.get("dropout_reason"):
            self.add_error("dropout_reason", _("Velg hvorfor det ble slutt."))
        return cleaned


class PriorityForm(forms.Form):
    priority = forms.IntegerField(
        label=_("Prioritet"),
        help_text=_("Høyere tall får tilbud om plass først."),
        min_value=-99,
        max_value=99,
        widget=forms.NumberInput(attrs={"class": "ds-input", "inputmode": "numeric"}),
    )


class ReregistrationForm(forms.Form):
    deadline = forms.DateField(
        label=_("Frist for å melde seg på igjen"),
        help_text=_("Den som ikke svarer innen fristen, blir meldt ut dagen etter."),
        widget=DateInput(),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor avlyses det?"),
        help_text=_("Teksten sendes på e-post til alle som er påmeldt."),
        max_length=300,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )


class CloseRoundForm(forms.Form):
    message = forms.CharField(
        label=_("Melding til dem som ikke fikk plass"),
        help_text=_("Sendes på e-post til hver søker som ikke har fått tilbud om plass."),
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 4}),
    )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Til stede"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    excused = forms.TypedMultipleChoiceField(
        label=_("Gyldig fravær"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(row.enrolment.pk, "") for row in roster]
        self.fields["excused"].choices = [(row.enrolment.pk, "") for row in roster]

    def clean(self):
        cleaned = super().clean()
        # On the page the switch wins: "gyldig fravær" is hidden once someone is here.
        present = set(cleaned.get("present") or [])
        cleaned["excused"] = [pk for pk in cleaned.get("excused") or [] if pk not in present]
        return cleaned


PLACE_CHOICES = [
    ("now", _("Gi plass nå")),
    ("waiting", _("Sett på venteliste")),
]


class StaffAddForm(forms.Form):
    """Staff add someone by hand: a youth found by search (``user``), or someone new."""

    user = forms.IntegerField(required=False, widget=forms.HiddenInput())
    first_name = forms.CharField(
        label=_("Fornavn"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": _("Skriv fødselsåret med fire sifre."),
            "min_value": _("Skriv fødselsåret med fire sifre."),
            "max_value": _("Skriv fødselsåret med fire sifre."),
        },
        widget=forms.NumberInput(attrs={"class": "ds-input", "inputmode": "numeric"}),
    )
    email = forms.CharField(
        label=_("E-post for beskjeder (valgfritt)"),
        help_text=_("Under 13 år: foresattes adresse. Vi lagrer ikke mer enn dette."),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )
    place = forms.ChoiceField(
        label=_("Plass"),
        choices=PLACE_CHOICES,
        initial="now",
        error_messages={
            "required": _("Velg om personen skal få plass nå eller stå på venteliste.")
        },
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )
    over_capacity = forms.BooleanField(
        label=_("Gi plass selv om tilbudet er fullt"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
    )
