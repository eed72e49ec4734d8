from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.municipalities.models import County


class MunicipalityFilterForm(forms.Form):
    q = forms.CharField(label=_("Søk etter kommune"), required=False, max_length=100)
    county = forms.ModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("Alle fylker"),
        to_field_name="code",
    )
    kk = forms.BooleanField(label=_("Bare kommuner med i KK"), required=False)
