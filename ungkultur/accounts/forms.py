from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ungkultur.accounts.models import Gender, User
from ungkultur.accounts.selectors import guardianship_is_awaiting
from ungkultur.lib import throttle
from ungkultur.lib.nicknames import nickname_problem
from ungkultur.municipalities.models import Municipality


class DesignsystemetMixin:
    """Give every widget Designsystemet's input class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")


class LoginForm(DesignsystemetMixin, auth_forms.AuthenticationForm):
    awaiting_guardian = False
    error_messages = {
        "invalid_login": _(
            "Feil e-post eller passord. Prøv igjen, eller velg «Glemt passord?» under."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "inactive": _(
                "Kontoen er ikke aktiv. Er du under %(age)s år, må en foresatt bekrefte "
                "registreringen først. Ta kontakt med oss hvis du trenger hjelp."
            )
            % {"age": settings.UNGKULTUR_AGE_ONLINE_CONSENT},
        }
        self.fields["username"].label = _("E-post")
        self.fields["username"].widget.attrs.update(type="email", autocomplete="email")
        self.fields["password"].label = _("Passord")

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def _limits(self):
        """One count per account and one per address (issue 19), shared by every login form."""
        email = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return [
            ("login", email, settings.UNGKULTUR_LOGIN_ATTEMPTS),
            ("login-address", address, settings.UNGKULTUR_LOGIN_ATTEMPTS_PER_ADDRESS),
        ]

    def clean(self):
        limits = self._limits()
        if any(throttle.is_blocked(scope, key, limit=limit) for scope, key, limit in limits):
            raise ValidationError(
                _(
                    "For mange mislykkede forsøk på å logge inn. Vent %(minutes)s minutter og "
                    "prøv igjen, eller velg «Glemt passord?» under."
                ),
                code="throttled",
                params={"minutes": settings.UNGKULTUR_LOGIN_WAIT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            window = settings.UNGKULTUR_LOGIN_WAIT_MINUTES * 60
            for scope, key, _limit in limits:
                throttle.record_failure(scope, key, window_seconds=window)
            raise
        # Only the account's count starts again: one's own good login must not clear the
        # address's count of guesses at other accounts.
        throttle.forget("login", limits[0][1])
        return cleaned

    def get_invalid_login_error(self):
        # The back end refuses inactive accounts as if the password were wrong. Someone who
        # knows the right password may be told why: usually a guardian has not confirmed yet.
        user = User.objects.filter(email=self.cleaned_data.get("username")).first()
        if user and not user.is_active and user.check_password(self.cleaned_data.get("password")):
            # Only shown to someone who knows the password: offer a new link to the guardian.
            self.awaiting_guardian = guardianship_is_awaiting(child=user)
            return ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


class AdminLoginForm(LoginForm):
    """The admin's login: the same limiter as the site's, and staff only (as Django's own)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(
                _("Denne kontoen har ikke tilgang til administrasjonen."), code="invalid_login"
            )


class GuardianResendForm(DesignsystemetMixin, forms.Form):
    email = forms.EmailField(
        label=_("Barnets e-postadresse"),
        max_length=254,
        help_text=_("Den e-postadressen barnet brukte da det registrerte seg."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PasswordResetForm(DesignsystemetMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-post"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SetPasswordForm(DesignsystemetMixin, auth_forms.SetPasswordForm):
    pass


class PasswordPairMixin:
    """Two password fields that must match and pass the password validators."""

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise ValidationError(_("Passordene er ikke like."))
        return password2

    def validate_password_for(self, user):
        password = self.cleaned_data.get("password2")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password2", error)


def _password_fields():
    return (
        forms.CharField(
            label=_("Passord"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("Minst 8 tegn. Ikke bare tall, og ikke et vanlig passord."),
        ),
        forms.CharField(
            label=_("Gjenta passordet"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


ADULT_GUARDIAN_MESSAGE = _("En foresatt må være 18 år eller eldre.")


def _is_minor(user: User | None, year: int) -> bool:
    age = user.age_in(year) if user is not None else None
    return age is not None and age < 18


NICKNAME_HELP = _(
    "Vises ved forslag og kommentarer du skriver, som det eneste navnet ditt andre kan se. "
    "Står det tomt, vises ikke noe navn. Ikke bruk fornavnet, etternavnet, e-post eller "
    "telefonnummer."
)


class YouthRegistrationForm(PasswordPairMixin, DesignsystemetMixin, forms.Form):
    first_name = forms.CharField(
        label=_("Fornavn"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    nickname = forms.CharField(
        label=_("Kallenavn (valgfritt)"),
        max_length=50,
        required=False,
        help_text=NICKNAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1, password2 = _password_fields()
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        help_text=_("Fire sifre, for eksempel 2011."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "bday-year", "maxlength": "4"}
        ),
        error_messages={"invalid": _("Skriv fødselsåret med fire sifre, for eksempel 2011.")},
    )
    gender = forms.ChoiceField(
        label=_("Kjønn"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        help_text=_("Du velger selv. «Vil ikke oppgi» er helt greit."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Bostedskommune"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Velg kommune"),
    )
    guardian_name = forms.CharField(
        label=_("Navn på foresatt"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    guardian_email = forms.EmailField(
        label=_("E-post til foresatt"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    accept = forms.BooleanField(
        label=_("Jeg har lest teksten om samtykke over og samtykker til den."),
        error_messages={"required": _("Du må samtykke for å registrere deg.")},
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.guardian_age = settings.UNGKULTUR_AGE_ONLINE_CONSENT
        hint = _("Fylles ut hvis du er under %(age)s år.") % {"age": self.guardian_age}
        self.fields["guardian_name"].help_text = hint
        self.fields["guardian_email"].help_text = hint

    def clean_email(self):
        # Whether the address has an account is not told here (issue 19): the view answers
        # as for a new registration and e-mails the address's owner instead.
        return self.cleaned_data["email"].strip().lower()

    def clean_birth_year(self):
        birth_year = self.cleaned_data["birth_year"]
        oldest = self.year - settings.UNGKULTUR_MAX_AGE
        youngest = self.year - settings.UNGKULTUR_MIN_AGE
        if not oldest <= birth_year <= youngest:
            raise ValidationError(
                _("Fødselsåret må være mellom %(oldest)s og %(youngest)s.")
                % {"oldest": oldest, "youngest": youngest}
            )
        return birth_year

    @property
    def needs_guardian(self) -> bool:
        birth_year = self.cleaned_data.get("birth_year")
        return birth_year is not None and self.year - birth_year < self.guardian_age

    def clean(self):
        cleaned = super().clean()
        problem = nickname_problem(
            cleaned.get("nickname", ""), first_name=cleaned.get("first_name", "")
        )
        if problem:
            self.add_error("nickname", problem)
        if self.needs_guardian:
            message = _("Du er under %(age)s år, så vi trenger en foresatt.") % {
                "age": self.guardian_age
            }
            if not cleaned.get("guardian_name", "").strip():
                self.add_error("guardian_name", message)
            guardian_email = cleaned.get("guardian_email", "").strip().lower()
            if not guardian_email and "guardian_email" not in self.errors:
                self.add_error("guardian_email", message)
            elif guardian_email and guardian_email == cleaned.get("email"):
                self.add_error(
                    "guardian_email", _("Foresatt må ha en annen e-postadresse enn deg.")
                )
            elif guardian_email and _is_minor(
                User.objects.filter(email__iexact=guardian_email).first(), self.year
            ):
                self.add_error("guardian_email", ADULT_GUARDIAN_MESSAGE)
        self.validate_password_for(
            User(email=cleaned.get("email", ""), first_name=cleaned.get("first_name", ""))
        )
        return cleaned


class AdultRegistrationForm(PasswordPairMixin, DesignsystemetMixin, forms.Form):
    """A parent or guardian registers to add their children (no birth year: adults have none)."""

    first_name = forms.CharField(
        label=_("Fornavn"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Skriv fornavnet ditt.")},
    )
    last_name = forms.CharField(
        label=_("Etternavn"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Skriv etternavnet ditt.")},
    )
    email = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1, password2 = _password_fields()
    municipality = forms.ModelChoiceField(
        label=_("Bostedskommune"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Velg kommune"),
        error_messages={"required": _("Velg kommunen du bor i.")},
        help_text=_(
            "Kommunen dere bor i. Barna du legger til, får den hvis du ikke velger en annen."
        ),
    )
    accept = forms.BooleanField(
        label=_(
            "Jeg er 18 år eller eldre, har lest teksten om samtykke over og samtykker til den."
        ),
        error_messages={"required": _("Du må krysse av for å registrere deg.")},
    )

    def clean_email(self):
        # As for youth: whether the address has an account is not told here.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        self.validate_password_for(
            User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
        )
        return cleaned


class GuardianConfirmForm(PasswordPairMixin, DesignsystemetMixin, forms.Form):
    password1, password2 = _password_fields()
    accept = forms.BooleanField(
        label=_("Jeg er foresatt, 18 år eller eldre, og samtykker på vegne av barnet."),
        error_messages={"required": _("Du må krysse av for å bekrefte.")},
    )

    def __init__(self, *args, guardian: User, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardian = guardian
        self.year = year
        self.needs_password = not guardian.has_usable_password()
        if not self.needs_password:
            del self.fields["password1"]
            del self.fields["password2"]

    def clean(self):
        cleaned = super().clean()
        if _is_minor(self.guardian, self.year):
            raise ValidationError(ADULT_GUARDIAN_MESSAGE)
        if self.needs_password:
            self.validate_password_for(self.guardian)
        return cleaned
