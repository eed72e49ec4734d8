from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class InnslagType(models.TextChoices):
    """UKM's entry types (string keys, as UKM's own data recommends)."""

    MUSIC = "music", _("musikk")
    DANCE = "dance", _("dans")
    THEATRE = "theatre", _("teater")
    LITERATURE = "literature", _("litteratur")
    STAGE = "stage", _("noe annet på scene")
    FILM = "film", _("film")
    EXHIBITION = "exhibition", _("utstilling")
    FOOD_CULTURE = "food_culture", _("matkultur")
    COSPLAY = "cosplay", _("cosplay")
    GAMES = "games", _("dataspill")
    ORGANISER = "organiser", _("arrangør")
    MEDIA = "media", _("media")
    HOST = "host", _("konferansier")
    DATA_CULTURE = "data_culture", _("datakultur")


# "Jobbe med" (working behind the scenes) as opposed to "vise frem" (showing).
WORKING_WITH_TYPES = (
    InnslagType.ORGANISER,
    InnslagType.MEDIA,
    InnslagType.HOST,
    InnslagType.DATA_CULTURE,
)


class UkmEvent(models.Model):
    """A local UKM event (lokalmønstring) with its sign-up window."""

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="ukm_events"
    )
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    starts_at = models.DateTimeField(_("starter"))
    venue = models.ForeignKey(
        "catalogue.Venue", verbose_name=_("sted"), null=True, blank=True, on_delete=models.PROTECT
    )
    signup_opens = models.DateTimeField(_("påmeldingen åpner"))
    signup_closes = models.DateTimeField(_("påmeldingsfrist"))

    class Meta:
        verbose_name = _("UKM-arrangement")
        verbose_name_plural = _("UKM-arrangementer")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signup_closes__gt=F("signup_opens")), name="ukmevent_signup_order"
            )
        ]

    def __str__(self):
        return self.name

    def signup_is_open(self, now) -> bool:
        """Sign-up is open in [signup_opens, signup_closes)."""
        return self.signup_opens <= now < self.signup_closes


class Innslag(models.Model):
    """An entry: a group or one person, and what they show or work with."""

    event = models.ForeignKey(UkmEvent, on_delete=models.PROTECT, related_name="innslag")
    type = models.CharField(_("type"), max_length=20, choices=InnslagType.choices)
    name = models.CharField(_("navn på innslaget"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        on_delete=models.PROTECT,
        related_name="innslag",
    )
    created_at = models.DateTimeField(_("meldt på"))
    forwarded_at = models.DateTimeField(
        _("videresendt til fylkesfestivalen"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("innslag")
        verbose_name_plural = _("innslag")
        ordering = ["created_at"]

    def __str__(self):
        return self.name

    @property
    def is_working_with(self):
        return self.type in WORKING_WITH_TYPES


class InnslagPerson(models.Model):
    """Someone in an entry. Under 15, a guardian's name and mobile number are required."""

    innslag = models.ForeignKey(Innslag, on_delete=models.CASCADE, related_name="persons")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("etternavn"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("fødselsår"))
    role = models.CharField(_("rolle eller instrument"), max_length=100, blank=True)
    mobile = models.CharField(_("mobilnummer"), max_length=20, blank=True)
    guardian_name = models.CharField(_("navn på foresatt"), max_length=200, blank=True)
    guardian_mobile = models.CharField(_("mobilnummer til foresatt"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("person i innslag")
        verbose_name_plural = _("personer i innslag")

    def __str__(self):
        return f"{self.first_name} ({self.innslag})"


class InnslagTitle(models.Model):
    """A work in an entry: a song, a dance, a film, an exhibited piece."""

    innslag = models.ForeignKey(Innslag, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(_("tittel"), max_length=200)
    duration_seconds = models.PositiveIntegerField(_("varighet (sekunder)"), null=True, blank=True)
    self_made = models.BooleanField(_("selvlaget"), default=False)
    credits = models.CharField(_("laget av"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tittel")
        verbose_name_plural = _("titler")

    def __str__(self):
        return self.title

    @property
    def duration_display(self) -> str:
        """Minutes and seconds, as people write them: 3:30."""
        if self.duration_seconds is None:
            return ""
        return f"{self.duration_seconds // 60}:{self.duration_seconds % 60:02d}"
