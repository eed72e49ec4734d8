from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.municipalities.models import Municipality


class ChildAddForm(forms.Form):
    first_name = forms.CharField(
        label=_("Barnets fornavn"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
        error_messages={"required": _("Skriv fornavnet til barnet.")},
    )
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        help_text=_("Fire sifre, for eksempel 2015."),
        widget=forms.TextInput(
            attrs={"class": "ds-input", "inputmode": "numeric", "maxlength": "4"}
        ),
        error_messages={
            "required": _("Skriv fødselsåret til barnet."),
            "invalid": _("Skriv fødselsåret med fire sifre, for eksempel 2015."),
        },
    )
    municipality = forms.ModelChoiceField(
        label=_("Bostedskommune"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Velg kommune"),
        widget=forms.Select(attrs={"class": "ds-input"}),
        error_messages={"required": _("Velg kommunen barnet bor i.")},
    )
    accept = forms.BooleanField(
        label=_("Jeg er foresatt for barnet, 18 år eller eldre, og samtykker på vegne av barnet."),
        error_messages={"required": _("Du må krysse av for å bekrefte.")},
    )


class ChildLoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Barnets egen e-postadresse"),
        help_text=_("Ikke din: barnet logger inn med denne og får lenken for å velge passord."),
        widget=forms.EmailInput(attrs={"class": "ds-input", "autocomplete": "off"}),
        error_messages={
            "required": _("Skriv e-postadressen til barnet."),
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."),
        },
    )
