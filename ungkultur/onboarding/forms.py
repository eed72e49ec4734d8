from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.organisations.forms import DateInput
from ungkultur.organisations.models import Organisation, Unit
from ungkultur.organisations.services import UNIT_FIELDS


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type enhet"), choices=Unit.Kind.choices)
    name = forms.CharField(label=_("Navn"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Nasjonal organisasjon"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Ingen"),
        help_text=_("Kulturskolen hører til Norsk kulturskoleråd, klubben til Ungdom og Fritid."),
    )
    description = forms.CharField(
        label=_("Beskrivelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": False}),
    )
    website = forms.URLField(
        label=_("Nettsted"), required=False, assume_scheme="https", max_length=200
    )
    email = forms.EmailField(label=_("E-post"), required=False)
    contact_name = forms.CharField(label=_("Kontaktperson"), required=False, max_length=200)
    phone = forms.RegexField(
        label=_("Telefon"),
        required=False,
        max_length=30,
        regex=r"^\+?[0-9 ]{8,20}$",
        error_messages={
            "invalid": _("Skriv et telefonnummer med 8 sifre, for eksempel 400 00 000.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    @staticmethod
    def initial_for(unit: Unit) -> dict:
        return {name: getattr(unit, name) for name in UNIT_FIELDS}


class UnitCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Lagt ned fra og med"),
        help_text=_("Enheten vises ikke lenger på kommunens sider fra denne dagen."),
        widget=DateInput(),
    )


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil fra SSB (tabell 07459)"),
        help_text=_("JSON-stat 2.0 slik SSB leverer den, eller CSV (UTF-8)."),
        widget=forms.FileInput(
            attrs={"class": "ds-input", "accept": ".json,.csv,application/json,text/csv"}
        ),
        error_messages={
            "required": _("Velg filen du vil laste opp."),
            "empty": _("Filen er tom."),
        },
    )
