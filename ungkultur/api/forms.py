from django import forms
from django.utils.translation import gettext_lazy as _


class MunicipalityListQuery(forms.Form):
    kk = forms.ChoiceField(
        choices=[("true", "true"), ("false", "false")],
        required=False,
        error_messages={
            "invalid_choice": _("Ugyldig verdi for kk: «%(value)s». Bruk true eller false.")
        },
    )

    def kk_active(self) -> bool | None:
        value = self.cleaned_data["kk"]
        return None if value == "" else value == "true"


class BudgetQuery(forms.Form):
    year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Oppgi året, f.eks. ?year=2021."),
            "invalid": _("Året må være et tall, f.eks. 2021."),
            "min_value": _("Året må være mellom 2000 og 2100."),
            "max_value": _("Året må være mellom 2000 og 2100."),
        },
    )
