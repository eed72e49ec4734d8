import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Goal(models.Model):
    """An effektmål or a delmål: national (no municipality) or one municipality's own."""

    class Level(models.TextChoices):
        EFFECT = "effect", _("effektmål")
        SUB = "sub", _("delmål")

    level = models.CharField(_("nivå"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="effect", parent__isnull=True)
                | Q(level="sub", parent__isnull=False),
                name="goal_sub_has_parent",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_national(self):
        return self.municipality_id is None


class GoalAdoption(models.Model):
    """A municipality takes a national effektmål (and its delmål) into its own plan."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="goal_adoptions"
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="adoptions")
    adopted_at = models.DateTimeField(_("vedtatt"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vedtatt mål")
        verbose_name_plural = _("vedtatte mål")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "goal"], name="goaladoption_one_per_goal"
            )
        ]

    def __str__(self):
        return f"{self.municipality}: {self.goal}"


class Measure(models.Model):
    """A tiltak under a delmål, carried out by one municipality (or nationally)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        ONGOING = "ongoing", _("pågår")
        DONE = "done", _("fullført")
        CANCELLED = "cancelled", _("avlyst")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="measures")
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    title = models.CharField(_("tittel"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_measures",
    )
    units = models.ManyToManyField(
        "organisations.Unit", verbose_name=_("enheter"), blank=True, related_name="measures"
    )
    start = models.DateField(_("fra"), null=True, blank=True)
    end = models.DateField(_("til"), null=True, blank=True)
    events = models.ManyToManyField(
        "meetings.Event", verbose_name=_("møter"), blank=True, related_name="measures"
    )
    offers = models.ManyToManyField(
        "catalogue.Offer", verbose_name=_("tilbud"), blank=True, related_name="measures"
    )
    proposals = models.ManyToManyField(
        "participation.Proposal", verbose_name=_("forslag"), blank=True, related_name="measures"
    )

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gt=models.F("start")),
                name="measure_period_order",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Sluttdatoen må være etter startdatoen.")})


class ProjectPeriod(models.Model):
    """A national project period of coordinated culture work (KK), such as 2020/21: its milestone
    plan, and the municipalities' progress and action plans for it."""

    title = models.CharField(_("navn"), max_length=100, unique=True)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til og med"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"), null=True, blank=True)

    class Meta:
        verbose_name = _("prosjektperiode")
        verbose_name_plural = _("prosjektperioder")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="projectperiod_end_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


class Plan(models.Model):
    """The national milestone plan, or one municipality's progress plan or action plan."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("milepælsplan")
        PROGRESS = "progress", _("fremdriftsplan")
        ACTION = "action", _("tiltaksplan")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    period = models.ForeignKey(
        ProjectPeriod,
        verbose_name=_("prosjektperiode"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    rolled_from = models.ForeignKey(
        "self",
        verbose_name=_("videreført fra"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rolled_into",
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="milestone", municipality__isnull=True)
                | (~Q(kind="milestone") & Q(municipality__isnull=False)),
                name="plan_scope_matches_kind",
            ),
            # One of each kind per municipality and period, one milestone plan per period; a
            # plan without a period (from before periods) counts as period 0.
            models.UniqueConstraint(
                models.F("kind"),
                models.F("municipality"),
                Coalesce(models.F("period"), models.Value(0)),
                condition=Q(municipality__isnull=False),
                name="plan_one_of_each_kind_per_municipality_period",
            ),
            models.UniqueConstraint(
                models.F("kind"),
                Coalesce(models.F("period"), models.Value(0)),
                condition=Q(municipality__isnull=True),
                name="plan_one_milestone_plan_per_period",
            ),
        ]

    def __str__(self):
        return self.title


class PlanItemQuerySet(models.QuerySet):
    def late(self, today: datetime.date):
        """Items whose end has passed (the end day is the last day) and that are still open."""
        return self.filter(end__lt=today, status__in=PlanItem.OPEN)


class PlanItem(models.Model):
    """One line of a plan: what, from when to when (both days included), and how it stands."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        ONGOING = "ongoing", _("pågår")
        DONE = "done", _("fullført")
        POSTPONED = "postponed", _("utsatt")
        CANCELLED = "cancelled", _("avlyst")

    OPEN = (Status.PLANNED, Status.ONGOING, Status.POSTPONED)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("innhold"), blank=True)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til og med"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("tiltak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("punkt i plan")
        verbose_name_plural = _("punkter i plan")
        ordering = ["start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="planitem_end_not_before_start"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Sluttdatoen kan ikke være før startdatoen.")})

    def is_late(self, today: datetime.date) -> bool:
        return self.end < today and self.status in self.OPEN


WEEKDAY_NAMES = [
    _("mandag"),
    _("tirsdag"),
    _("onsdag"),
    _("torsdag"),
    _("fredag"),
    _("lørdag"),
    _("søndag"),
]


class WheelActivity(models.Model):
    """A yearly activity in the annual wheel (årshjul), on a date given for each year by its rule:
    the same day every year, a weekday in the N-th week of a month ("uke 2 i februar"), or a
    date set for each year (no date for a year: not that year).

    National activities (no municipality) show in every municipality's wheel.
    """

    class Service(models.TextChoices):
        KULTURSKOLE = "kulturskole", _("kulturskole")
        YOUTH_CLUB = "youth_club", _("fritidsklubb")
        UKM = "ukm", _("UKM")
        PARTNER = "partner", _("samarbeidspartner")
        NATIONAL = "national", _("nasjonalt")

    class Rule(models.TextChoices):
        FIXED = "fixed", _("samme dato hvert år")
        WEEK = "week", _("en ukedag i en bestemt uke av måneden")
        YEARLY = "yearly", _("dato settes for hvert år")

    class Week(models.IntegerChoices):
        FIRST = 1, _("første uke")
        SECOND = 2, _("andre uke")
        THIRD = 3, _("tredje uke")
        FOURTH = 4, _("fjerde uke")
        LAST = -1, _("siste uke")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wheel_activities",
    )
    service = models.CharField(_("tjeneste"), max_length=20, choices=Service.choices)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wheel_activities",
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    rule = models.CharField(_("gjentas"), max_length=10, choices=Rule.choices, default=Rule.FIXED)
    month = models.PositiveSmallIntegerField(
        _("måned"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("dag"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    week = models.SmallIntegerField(_("uke i måneden"), null=True, blank=True, choices=Week.choices)
    weekday = models.PositiveSmallIntegerField(
        _("ukedag"), null=True, blank=True, validators=[MaxValueValidator(6)]
    )
    days = models.PositiveSmallIntegerField(
        _("antall dager"), default=1, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    age_min = models.PositiveSmallIntegerField(_("alder fra"))
    age_max = models.PositiveSmallIntegerField(_("alder til"))

    class Meta:
        verbose_name = _("aktivitet i årshjulet")
        verbose_name_plural = _("aktiviteter i årshjulet")
        ordering = ["month", "day", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_max__gte=models.F("age_min")), name="wheelactivity_age_order"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="wheelactivity_month_day",
            ),
            models.CheckConstraint(
                condition=Q(rule="fixed", month__isnull=False, day__isnull=False)
                | Q(
                    rule="week",
                    month__isnull=False,
                    week__in=[1, 2, 3, 4, -1],
                    weekday__gte=0,
                    weekday__lte=6,
                )
                | Q(rule="yearly"),
                name="wheelactivity_rule_has_its_fields",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.rule == self.Rule.FIXED and self.month and self.day:
            try:
                # A day that exists every year: no 29 February, no 31 April.
                datetime.date(2023, self.month, self.day)
            except ValueError:
                errors["day"] = _("Datoen finnes ikke hvert år.")
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = _("Høyeste alder kan ikke være lavere enn laveste alder.")
        if errors:
            raise ValidationError(errors)

    def rule_text(self) -> str:
        """How the date repeats, in words ("andre uke i februar, mandag")."""
        if self.rule == self.Rule.WEEK:
            return _("%(week)s i %(month)s, %(weekday)s") % {
                "week": self.get_week_display(),
                "month": MONTHS[self.month],
                "weekday": WEEKDAY_NAMES[self.weekday],
            }
        return self.get_rule_display()

    def _dates_by_year(self) -> dict[int, datetime.date]:
        # Prefetched (selectors.wheel_activities) or read once.
        return {d.year: d.start for d in self.dates.all()}

    def starts_in(self, year: int) -> datetime.date | None:
        """The first day in ``year``, or None when the activity is not held that year."""
        if self.rule == self.Rule.FIXED:
            return datetime.date(year, self.month, self.day)
        if self.rule == self.Rule.WEEK:
            return week_of_month_day(year, self.month, self.week, self.weekday)
        return self._dates_by_year().get(year)

    def ends_in(self, year: int) -> datetime.date | None:
        """The last day (included)."""
        start = self.starts_in(year)
        return None if start is None else start + datetime.timedelta(days=self.days - 1)


def week_of_month_day(year: int, month: int, week: int, weekday: int) -> datetime.date:
    """A weekday (0 Monday … 6 Sunday) of the N-th week of a month; the weeks of a month are
    those (Monday to Sunday) whose Monday is in the month, so "the last week of February" may
    end in March. ``week`` -1 is the last."""
    if week == -1:
        last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        monday = last - datetime.timedelta(days=last.weekday())
    else:
        first = datetime.date(year, month, 1)
        first_monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
        monday = first_monday + datetime.timedelta(weeks=week - 1)
    return monday + datetime.timedelta(days=weekday)


class WheelActivityDate(models.Model):
    """The date of an activity in one year, for an activity whose date is set for each year."""

    activity = models.ForeignKey(WheelActivity, on_delete=models.CASCADE, related_name="dates")
    year = models.PositiveSmallIntegerField(_("år"))
    start = models.DateField(_("dato"))

    class Meta:
        verbose_name = _("dato for et år")
        verbose_name_plural = _("datoer for hvert år")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "year"], name="wheelactivitydate_one_a_year"
            )
        ]

    def __str__(self):
        return f"{self.activity}: {self.start}"


class CompetenceOrder(models.Model):
    """A municipality's order of a course, webinar, lecture or advice from a national
    organisation ("behov for kompetanse bestilles direkte til de tre organisasjoner")."""

    class Kind(models.TextChoices):
        COURSE = "course", _("kurs")
        WEBINAR = "webinar", _("webinar")
        LECTURE = "lecture", _("foredrag")
        ADVICE = "advice", _("rådgivning")

    class Status(models.TextChoices):
        ORDERED = "ordered", _("bestilt")
        ACCEPTED = "accepted", _("akseptert")
        DECLINED = "declined", _("avslått")
        SCHEDULED = "scheduled", _("planlagt")
        DELIVERED = "delivered", pgettext_lazy("competence order status", "gjennomført")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="competence_orders",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisasjon"),
        on_delete=models.PROTECT,
        related_name="competence_orders",
    )
    kind = models.CharField(_("hva"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("tema"), max_length=200)
    target_group = models.CharField(_("målgruppe"), max_length=200)
    wanted_from = models.DateField(_("ønsket fra"))
    wanted_to = models.DateField(_("ønsket til"))
    expected_participants = models.PositiveSmallIntegerField(
        _("forventet antall deltakere"), validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("mer om behovet"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ORDERED
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="competence_orders",
    )
    ordered_at = models.DateTimeField(_("bestilt"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    decline_reason = models.TextField(_("begrunnelse"), blank=True)
    event = models.ForeignKey(
        "meetings.Event",
        verbose_name=_("arrangement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competence_orders",
    )
    delivered_at = models.DateTimeField(
        pgettext_lazy("competence order delivered at", "gjennomført"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("kompetansebestilling")
        verbose_name_plural = _("kompetansebestillinger")
        ordering = ["-ordered_at"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(wanted_to__gte=models.F("wanted_from")),
                name="competenceorder_period_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="competenceorder_declined_has_reason",
            ),
        ]

    def __str__(self):
        return self.topic

    def clean(self):
        if self.wanted_from and self.wanted_to and self.wanted_to < self.wanted_from:
            raise ValidationError(
                {"wanted_to": _("Slutten av perioden kan ikke være før starten.")}
            )


class OrderReminder(models.Model):
    """One row per order and stage a reminder went out for ("unanswered", "unscheduled"): the
    database keeps each reminder to one, however often the periodic task runs."""

    order = models.ForeignKey(CompetenceOrder, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("trinn"), max_length=20)
    sent_at = models.DateTimeField(_("sendt"))

    class Meta:
        verbose_name = _("påminnelse om bestilling")
        verbose_name_plural = _("påminnelser om bestillinger")
        constraints = [
            models.UniqueConstraint(fields=["order", "stage"], name="order_reminder_once")
        ]

    def __str__(self):
        return f"{self.order}: {self.stage}"


class OrderEvaluation(models.Model):
    """A participant's short evaluation of a delivered order: a score 1–5 and a text."""

    order = models.ForeignKey(CompetenceOrder, on_delete=models.CASCADE, related_name="evaluations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("karakter"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("kommentar"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("levert"))

    class Meta:
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")
        constraints = [
            models.UniqueConstraint(fields=["order", "user"], name="orderevaluation_one_per_user"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="orderevaluation_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.order}: {self.score}"


class Collaboration(models.Model):
    """Units of a municipality that worked together on an offer, an event or a measure, in a
    term (``2024H`` = 1 August–31 December 2024, ``2025V`` = 1 January–31 July 2025)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="collaborations"
    )
    term = models.CharField(_("halvår"), max_length=5)
    title = models.CharField(_("hva"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    units = models.ManyToManyField(
        "organisations.Unit", verbose_name=_("enheter"), related_name="collaborations"
    )
    offer = models.ForeignKey(
        "catalogue.Offer",
        verbose_name=_("tilbud"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborations",
    )
    event = models.ForeignKey(
        "meetings.Event",
        verbose_name=_("møte eller arrangement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborations",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("tiltak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("samarbeid")
        verbose_name_plural = _("samarbeid")
        ordering = ["-term", "title"]
        indexes = [models.Index(fields=["municipality", "term"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(term__regex=r"^[0-9]{4}[HV]$"), name="collaboration_term_format"
            )
        ]

    def __str__(self):
        return self.title


class CollaborationModel(models.Model):
    """A described way of working together, shared with every municipality (samarbeidsmodell)."""

    title = models.CharField(_("navn på modellen"), max_length=200)
    what = models.TextField(_("hva samarbeidet gjelder"))
    who = models.TextField(_("hvem som er med"))
    how = models.TextField(_("hvordan det er organisert"))
    agreements = models.TextField(_("avtaler"), blank=True)
    experiences = models.TextField(_("erfaringer"), blank=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="collaboration_models",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("delt"))

    class Meta:
        verbose_name = _("samarbeidsmodell")
        verbose_name_plural = _("samarbeidsmodeller")
        ordering = ["title"]

    def __str__(self):
        return self.title
