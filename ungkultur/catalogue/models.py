from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Interests youth search by (the issue's list; kulturskole subject areas map onto them)."""

    MUSIC = "music", _("musikk")
    DANCE = "dance", _("dans")
    THEATRE = "theatre", _("teater")
    VISUAL_ART = "visual_art", _("visuell kunst")
    CREATIVE_WRITING = "creative_writing", _("skapende skriving")
    FILM_MEDIA = "film_media", _("film og medier")
    GAMING = "gaming", _("gaming og datakultur")
    LITERATURE = "literature", _("litteratur")
    OTHER = "other", _("annet")


class Venue(models.Model):
    """A place where offers happen, with what a person needs to know about getting in."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("navn"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    step_free = models.BooleanField(_("trinnfri adkomst"), default=False)
    accessible_toilet = models.BooleanField(_("tilgjengelig toalett"), default=False)
    hearing_loop = models.BooleanField(_("teleslynge"), default=False)
    accessibility_notes = models.TextField(_("mer om tilgjengelighet"), blank=True)

    class Meta:
        verbose_name = _("sted")
        verbose_name_plural = _("steder")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfferQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Offer.Status.PUBLISHED)


class Offer(models.Model):
    """Something a unit offers youth: a course, a workshop, a band, the club's open evenings."""

    class JoinMode(models.TextChoices):
        DROP_IN = "drop_in", _("bare møt opp")
        REGISTRATION = "registration", _("påmelding")
        APPLICATION = "application", _("søknad")

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        PUBLISHED = "published", _("publisert")
        CANCELLED = "cancelled", _("avlyst")

    class SubjectArea(models.TextChoices):
        """Kulturskole subject areas (rammeplanen)."""

        MUSIC = "music", _("musikk")
        DANCE = "dance", _("dans")
        THEATRE = "theatre", _("teater")
        VISUAL_ART = "visual_art", _("visuell kunst")
        CREATIVE_WRITING = "creative_writing", _("skapende skriving")

    class Programme(models.TextChoices):
        """Kulturskole programmes (rammeplanen)."""

        BREADTH = "breadth", _("breddeprogram")
        CORE = "core", _("kjerneprogram")
        ADVANCED = "advanced", _("fordypningsprogram")

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    # The unit's municipality, kept on the offer so that the catalogue filters on one table.
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    category = models.CharField(_("interesse"), max_length=20, choices=Category.choices)
    age_min = models.PositiveSmallIntegerField(_("fra alder"))
    age_max = models.PositiveSmallIntegerField(_("til alder"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("sted"), null=True, blank=True, on_delete=models.PROTECT
    )
    price = models.PositiveIntegerField(_("pris (kr)"), default=0)
    reduced_price = models.PositiveIntegerField(_("redusert pris (kr)"), null=True, blank=True)
    price_note = models.CharField(_("om prisen"), max_length=200, blank=True)
    join_mode = models.CharField(_("slik blir du med"), max_length=20, choices=JoinMode.choices)
    capacity = models.PositiveIntegerField(_("antall plasser"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    subject_area = models.CharField(
        _("fagområde"), max_length=20, choices=SubjectArea.choices, blank=True
    )
    programme = models.CharField(_("program"), max_length=20, choices=Programme.choices, blank=True)
    term_start = models.DateField(_("starter"))
    # The last day (inclusive), as people read it; no end for offers that run on.
    term_end = models.DateField(_("slutter"), null=True, blank=True)
    application_deadline = models.DateField(_("søknadsfrist"), null=True, blank=True)
    how_to_join = models.TextField(_("mer om hvordan du blir med"), blank=True)
    # The unit's teachers who take this offer's attendance and see its participants; the unit's
    # leader runs the offer itself (docs/privacy.md: a teacher is not a rector).
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lærere"),
        blank=True,
        related_name="taught_offers",
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["municipality", "status", "category"]),
            models.Index(fields=["status", "age_min", "age_max"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=F("age_max")), name="offer_age_range_order"
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=F("term_start")),
                name="offer_term_order",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # The same rules as the check constraints, with messages a person can act on.
        errors = {}
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = _("Til-alderen kan ikke være lavere enn fra-alderen.")
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            errors["term_end"] = _("Sluttdatoen må være etter startdatoen.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_free(self):
        return self.price == 0


class Schedule(models.Model):
    """A weekly rule: every ``weekday`` from first_date to last_date (inclusive), at a time."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(
        _("ukedag"),
        choices=[
            (0, _("mandag")),
            (1, _("tirsdag")),
            (2, _("onsdag")),
            (3, _("torsdag")),
            (4, _("fredag")),
            (5, _("lørdag")),
            (6, _("søndag")),
        ],
    )
    start_time = models.TimeField(_("fra klokken"))
    end_time = models.TimeField(_("til klokken"))
    first_date = models.DateField(_("første gang"))
    last_date = models.DateField(_("siste gang"))

    class Meta:
        verbose_name = _("fast tidspunkt")
        verbose_name_plural = _("faste tidspunkter")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="schedule_time_order"
            ),
            models.CheckConstraint(
                condition=Q(last_date__gte=F("first_date")), name="schedule_date_order"
            ),
        ]

    def __str__(self):
        return f"{self.offer}: {self.get_weekday_display()} {self.start_time:%H:%M}"


class Session(models.Model):
    """One meeting of an offer: from a weekly schedule, or a single date."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="sessions")
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    # Monday = 0, in Oslo time: kept so that the catalogue filters by day without date functions.
    weekday = models.PositiveSmallIntegerField(_("ukedag"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("sted"), null=True, blank=True, on_delete=models.PROTECT
    )
    cancelled_at = models.DateTimeField(_("avlyst"), null=True, blank=True)
    cancel_reason = models.CharField(_("grunn til avlysning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("samling")
        verbose_name_plural = _("samlinger")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["offer", "starts_at"]),
            models.Index(fields=["weekday", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_time_order"
            ),
        ]

    def __str__(self):
        return f"{self.offer} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class SchoolHoliday(models.Model):
    """A holiday in a unit's school year (skolerute): no teaching from first_day to last_day
    (inclusive). Weekly schedules make no sessions on these days, and a new holiday removes the
    coming sessions a schedule made for them, without telling anyone: nothing is cancelled."""

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="school_holidays"
    )
    name = models.CharField(_("navn"), max_length=100)
    first_day = models.DateField(_("første dag"))
    last_day = models.DateField(_("siste dag"))

    class Meta:
        verbose_name = _("skoleferie")
        verbose_name_plural = _("skoleferier")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="schoolholiday_day_order"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d}"

    def covers(self, day) -> bool:
        return self.first_day <= day <= self.last_day
