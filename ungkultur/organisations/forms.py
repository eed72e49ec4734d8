from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ungkultur.municipalities.models import County
from ungkultur.organisations.models import Group, Membership


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
    page = forms.IntegerField(label=_("Side"), required=False, min_value=1, max_value=1000)


class DateInput(forms.DateInput):
    """The browser's own date picker; the value is always ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "ds-input", **(attrs or {})}, format="%Y-%m-%d")


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadressen til personen"),
        max_length=254,
        help_text=_("Personen må ha en bruker i Ungkultur."),
        widget=forms.EmailInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=Membership.Role.choices,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    start = forms.DateField(label=_("Fra"), widget=DateInput())
    end = forms.DateField(
        label=_("Til (kan stå tomt)"),
        required=False,
        help_text=_("Personen er ikke lenger medlem fra og med denne datoen."),
        widget=DateInput(),
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        if group.kind == Group.Kind.YOUTH_RESOURCE_GROUP:
            self.fields["role"].choices = [
                (Membership.Role.YOUTH_MEMBER, Membership.Role.YOUTH_MEMBER.label)
            ]

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            cleaned["user"] = (
                get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            )
            if cleaned["user"] is None:
                self.add_error("email", _("Fant ingen bruker med denne e-postadressen"))
        return cleaned


class MembershipEndForm(forms.Form):
    end = forms.DateField(
        label=_("Sluttdato"),
        help_text=_("Personen er ikke lenger medlem fra og med denne datoen."),
        widget=DateInput(),
    )
