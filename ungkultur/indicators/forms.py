from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.indicators.definitions import INDICATORS
from ungkultur.lib.terms import Term
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations.forms import DateInput
from ungkultur.planning.models import Goal


class TermField(forms.CharField):
    """A term written 2024H or 2025V; the select offers the terms that have figures."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.Select(attrs={"class": "ds-input"}), **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        # Term.parse answers a bad term with a ValidationError in Norwegian.
        return Term.parse(value) if value else None


def _indicator_choices():
    return [(indicator.key, indicator.name) for indicator in INDICATORS]


class IndicatorChoiceField(forms.ChoiceField):
    default_error_messages = {"invalid_choice": _("Velg en av indikatorene i listen.")}

    def __init__(self, **kwargs):
        super().__init__(
            choices=_indicator_choices, widget=forms.Select(attrs={"class": "ds-input"}), **kwargs
        )


class TermForm(forms.Form):
    term = TermField(label=_("Semester"), required=False)

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].widget.choices = [(str(t), t.label) for t in terms]


class NationalForm(TermForm):
    DEFAULT_INDICATOR = "participation.all"

    indicator = IndicatorChoiceField(label=_("Indikator"), required=False)
    compare = forms.CharField(
        label=_("Sammenlign med en kommune utenfor KK (kommunenummer)"),
        required=False,
        max_length=4,
        widget=forms.TextInput(
            attrs={"class": "ds-input", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )

    def clean_compare(self):
        code = self.cleaned_data["compare"].strip()
        if not code:
            return None
        municipality = municipality_by_any_code(code) if code.isdigit() else None
        if municipality is None:
            raise forms.ValidationError(
                _("Fant ingen kommune med nummeret %(code)s."), params={"code": code}
            )
        return municipality


class GoalTargetForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Delmål"),
        queryset=Goal.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Velg et av kommunens delmål.")},
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    key = IndicatorChoiceField(label=_("Indikator"))
    target_value = forms.FloatField(
        label=_("Målverdi"),
        help_text=_("I indikatorens enhet, for eksempel 25 for 25 prosent."),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"class": "ds-input", "step": "any"}),
    )
    target_date = forms.DateField(label=_("Innen"), widget=DateInput())

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
