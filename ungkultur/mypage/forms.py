from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.mypage.selectors import OPTIONAL_PURPOSES


class ConsentGiveForm(forms.Form):
    subject = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    purpose = forms.ChoiceField(
        label=_("Formål"),
        choices=[(p.value, p.label) for p in OPTIONAL_PURPOSES],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Dette samtykket kan ikke gis her.")},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"),
        max_length=100,
        help_text=_("Hva nøkkelen skal brukes til, for eksempel «Rapport i Excel»."),
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
        error_messages={"required": _("Gi nøkkelen et navn.")},
    )
    days = forms.TypedChoiceField(
        label=_("Virker i"),
        coerce=int,
        choices=[(30, _("30 dager")), (90, _("90 dager")), (365, _("ett år"))],
        initial=90,
        required=False,
        empty_value=90,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
