from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class Gender(models.TextChoices):
    """Self-reported, never inferred (docs/privacy.md)."""

    FEMALE = "female", _("jente/kvinne")
    MALE = "male", _("gutt/mann")
    OTHER = "other", _("annet")
    UNDISCLOSED = "undisclosed", _("vil ikke oppgi")


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: youth, guardians, staff, coordinators, researchers.

    We store birth year rather than birth date, and never a national identity number.
    """

    email = models.EmailField(_("e-post"), unique=True)
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("etternavn"), max_length=100, blank=True)
    nickname = models.CharField(
        _("kallenavn"),
        max_length=50,
        blank=True,
        help_text=_(
            "Det eneste navnet ditt som vises offentlig, ved forslag og kommentarer du skriver. "
            "Står det tomt, vises ikke noe navn."
        ),
    )
    birth_year = models.PositiveSmallIntegerField(_("fødselsår"), null=True, blank=True)
    gender = models.CharField(_("kjønn"), max_length=16, choices=Gender.choices, blank=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("bostedskommune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    is_staff = models.BooleanField(_("tilgang til administrasjon"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registrert"), default=timezone.now)
    # Proof of identity (issue 19): a confirmed e-mail, or an ID-porten/Feide login whose
    # claims gave birth year and municipality (then marked verified). Never a national number.
    email_confirmed_at = models.DateTimeField(_("e-post bekreftet"), null=True, blank=True)
    identity_provider = models.CharField(
        _("verifisert med"), max_length=20, blank=True, help_text=_("ID-porten eller Feide.")
    )
    birth_year_verified = models.BooleanField(_("fødselsår verifisert"), default=False)
    municipality_verified = models.BooleanField(_("bostedskommune verifisert"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name"]

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def public_name(self):
        """What people inside the platform see of a youth (their group, an organiser, an e-mail
        greeting): nickname or first name. Not for open pages or the open API: there a youth is
        shown by the nickname alone, or by nothing (docs/privacy.md; see
        participation.services.shown_name)."""
        return self.nickname or self.first_name

    def age_in(self, year: int) -> int | None:
        return None if self.birth_year is None else year - self.birth_year

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.first_name


class Guardianship(models.Model):
    """A guardian's link to a child. Unconfirmed until the guardian follows the e-mail link."""

    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    child = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_links")
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekreftet"), null=True, blank=True)

    class Meta:
        verbose_name = _("foresatt-kobling")
        verbose_name_plural = _("foresatt-koblinger")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "child"], name="guardianship_unique"),
            models.CheckConstraint(
                condition=~Q(guardian=models.F("child")), name="guardianship_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.guardian} → {self.child}"


class Consent(models.Model):
    """One consent: for what, who gave it, the subject's age then, which text, when, its state."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("registrering og bruk av Ungkultur")
        PHOTO = "photo", _("bilder og film")
        RESEARCH = "research", _("bruk i forskning")
        SHARING = "sharing", _("deling mellom kulturskole, klubb og UKM")
        # Without it, resource-group youth who took part in a decision are shown as a count.
        NAMED = "named", _("navnet mitt vises ved vedtak i ressursgruppa")

    class Status(models.TextChoices):
        GIVEN = "given", _("gitt")
        WITHDRAWN = "withdrawn", _("trukket tilbake")

    class GivenBy(models.TextChoices):
        SELF = "self", _("personen selv")
        GUARDIAN = "guardian", _("foresatt")

    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("formål"), max_length=20, choices=Purpose.choices)
    given_by = models.CharField(_("gitt av"), max_length=10, choices=GivenBy.choices)
    grantor = models.ForeignKey(
        User, verbose_name=_("gitt av person"), on_delete=models.PROTECT, related_name="+"
    )
    age_at_time = models.PositiveSmallIntegerField(
        _("alder da samtykket ble gitt"), null=True, blank=True
    )
    text_version = models.CharField(_("tekstversjon"), max_length=20)
    given_at = models.DateTimeField(_("gitt"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    withdrawn_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        ordering = ["-given_at"]
        constraints = [
            # At most one consent in force per person and purpose.
            models.UniqueConstraint(
                fields=["subject", "purpose"],
                condition=Q(status="given"),
                name="consent_one_given_per_purpose",
                violation_error_message=_("Dette samtykket er allerede gitt."),
            )
        ]

    def __str__(self):
        return f"{self.subject}: {self.get_purpose_display()} ({self.get_status_display()})"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("navn"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    expires_at = models.DateTimeField(_("utløper"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


AGE_LIMITS = {
    Consent.Purpose.REGISTRATION: "UNGKULTUR_AGE_ONLINE_CONSENT",
    Consent.Purpose.PHOTO: "UNGKULTUR_AGE_GUARDIAN_DETAILS",
    Consent.Purpose.RESEARCH: "UNGKULTUR_AGE_RESEARCH_CONSENT",
    Consent.Purpose.SHARING: "UNGKULTUR_AGE_ONLINE_CONSENT",
    # Publishing a child's name, like a photo, is for a guardian to decide under 15.
    Consent.Purpose.NAMED: "UNGKULTUR_AGE_GUARDIAN_DETAILS",
}


def consent_age_limit(purpose: str) -> int:
    """The age from which a person consents alone to this purpose (a setting per purpose)."""
    return getattr(settings, AGE_LIMITS[purpose])
