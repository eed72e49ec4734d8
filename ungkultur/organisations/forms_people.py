"""Forms for switching KK on and off, inviting people and ending unit roles."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ungkultur.accounts.models import User
from ungkultur.organisations.forms import DateInput
from ungkultur.organisations.invitations import group_roles_for
from ungkultur.organisations.models import Group, Membership, Unit, UnitStaff
from ungkultur.organisations.staff import unit_roles_for


class KKSwitchForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=2000,
        help_text=_("Lagres i historikken for kommunen og i revisjonsloggen."),
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3, "cols": False}),
        error_messages={"required": _("Skriv en begrunnelse.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Skriv en begrunnelse."))
        return reason


def _select():
    return forms.Select(attrs={"class": "ds-input"})


class InvitationForm(forms.Form):
    """Whom to invite, to which group or unit of the municipality, with which role.

    The choices are only what ``actor`` may give here: another municipality's unit, or a role the
    actor may not give, is no valid choice and the form says so.
    """

    email = forms.EmailField(
        label=_("E-postadresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("Fornavn (kan stå tomt)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Etternavn (kan stå tomt)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )
    target = forms.ChoiceField(label=_("Til"), widget=_select())
    role = forms.ChoiceField(label=_("Rolle"), widget=_select())

    def __init__(self, *args, actor, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["target"].error_messages["invalid_choice"] = _(
            "Velg en gruppe eller enhet i %(municipality)s som du kan invitere til."
        ) % {"municipality": municipality.name}
        self.fields["role"].error_messages["invalid_choice"] = _("Velg en rolle du kan gi.")
        self.allowed: dict[str, list[str]] = {}
        group_choices = []
        for kind in Group.LOCAL_KINDS:
            roles = group_roles_for(actor, municipality, kind)
            if roles:
                self.allowed[f"group:{kind}"] = [f"group:{r}" for r in roles]
                group_choices.append((f"group:{kind}", Group.Kind(kind).label.capitalize()))
        self.units = {
            str(unit.pk): unit
            for unit in Unit.objects.filter(municipality=municipality, closed_on__isnull=True)
        }
        unit_choices = []
        for pk, unit in self.units.items():
            roles = unit_roles_for(actor, unit)
            if roles:
                self.allowed[f"unit:{pk}"] = [f"unit:{r}" for r in roles]
                unit_choices.append((f"unit:{pk}", unit.name))
        self.fields["target"].choices = [
            choice
            for choice in (
                (_("Grupper"), group_choices) if group_choices else None,
                (_("Enheter"), unit_choices) if unit_choices else None,
            )
            if choice
        ]
        group_roles = {
            r for key, roles in self.allowed.items() if key[:6] == "group:" for r in roles
        }
        unit_roles = {r for key, roles in self.allowed.items() if key[:5] == "unit:" for r in roles}
        self.fields["role"].choices = [
            choice
            for choice in (
                (
                    _("Roller i gruppe"),
                    [
                        (f"group:{r}", r.label)
                        for r in Membership.Role
                        if f"group:{r}" in group_roles
                    ],
                )
                if group_roles
                else None,
                (
                    _("Roller i enhet"),
                    [(f"unit:{r}", r.label) for r in UnitStaff.Role if f"unit:{r}" in unit_roles],
                )
                if unit_roles
                else None,
            )
            if choice
        ]

    def clean(self):
        cleaned = super().clean()
        target, role = cleaned.get("target"), cleaned.get("role")
        if not target or not role:
            return cleaned
        if role not in self.allowed.get(target, []):
            self.add_error(
                "role",
                _(
                    "Rollen passer ikke til gruppen eller enheten du har valgt, "
                    "eller du kan ikke gi den der."
                ),
            )
            return cleaned
        kind, value = target.split(":", 1)
        role_value = role.split(":", 1)[1]
        if kind == "group":
            cleaned.update(group_kind=value, membership_role=role_value, unit=None, unit_role="")
        else:
            cleaned.update(
                group_kind=None, membership_role="", unit=self.units[value], unit_role=role_value
            )
        return cleaned


class InvitationAcceptForm(forms.Form):
    """Making the account while accepting (the e-mail is the invitation's)."""

    first_name = forms.CharField(
        label=_("Fornavn"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Etternavn"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Velg passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "ds-input", "autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Gjenta passordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "ds-input", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Passordene er ikke like."))
        elif password1:
            # The account gets a staff role as it is made, so its password is checked as staff's
            # (the stricter length for staff applies to an is_staff stand-in; it is not saved).
            candidate = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                is_staff=True,
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UnitStaffEndForm(forms.Form):
    end = forms.DateField(
        label=_("Sluttdato"),
        help_text=_("Personen har ikke lenger rollen fra og med denne datoen."),
        widget=DateInput(),
    )
