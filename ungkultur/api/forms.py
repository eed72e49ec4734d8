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
