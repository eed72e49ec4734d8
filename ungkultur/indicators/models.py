from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IndicatorValue(models.Model):
    """One computed figure: an indicator for a municipality and term, in total or one breakdown.

    ``value`` is what may be published; it is None when the figure rests on fewer than
    UNGKULTUR_DISCLOSURE_MIN_N people (``suppressed``) or cannot be computed (no population,
    nobody to divide by). ``numerator``/``denominator``/``n`` are the raw counts behind it and
    are never shown where ``suppressed``.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="indicator_values"
    )
    term = models.CharField(_("semester"), max_length=5)
    key = models.CharField(_("indikator"), max_length=60)
    # '' for the total; otherwise "dimension=value", e.g. "gender=female", "age=14".
    breakdown = models.CharField(_("fordeling"), max_length=60, blank=True, default="")
    numerator = models.FloatField(_("teller"), null=True, blank=True)
    denominator = models.FloatField(_("nevner"), null=True, blank=True)
    value = models.FloatField(_("verdi"), null=True, blank=True)
    n = models.PositiveIntegerField(_("antall personer"), default=0)
    suppressed = models.BooleanField(_("skjult (for få)"), default=False)
    # '' when measured; otherwise why there is no figure (a code of definitions.MISSING_REASONS,
    # e.g. "no_records"): "ingen data" is shown with the reason, never a 0, and no change or
    # trend is computed across it.
    missing = models.CharField(_("mangler"), max_length=30, blank=True, default="")

    class Meta:
        verbose_name = _("indikatorverdi")
        verbose_name_plural = _("indikatorverdier")
        ordering = ["municipality", "term", "key", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "term", "key", "breakdown"],
                name="indicatorvalue_one_per_cell",
            )
        ]
        indexes = [models.Index(fields=["term", "key"])]

    def __str__(self):
        label = f"{self.key}[{self.breakdown}]" if self.breakdown else self.key
        return f"{self.municipality_id} {self.term} {label}: {self.value}"

    @property
    def dimension(self) -> str:
        return self.breakdown.partition("=")[0]

    @property
    def category(self) -> str:
        return self.breakdown.partition("=")[2]


class IndicatorRun(models.Model):
    """One computation: for one municipality, or for all (municipality null)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_runs",
    )
    computed_at = models.DateTimeField(_("beregnet"))
    first_term = models.CharField(_("fra semester"), max_length=5)
    last_term = models.CharField(_("til semester"), max_length=5)
    engine = models.CharField(_("motor"), max_length=10)
    seconds = models.FloatField(_("sekunder"), default=0)

    class Meta:
        verbose_name = _("indikatorberegning")
        verbose_name_plural = _("indikatorberegninger")
        ordering = ["-computed_at"]
        indexes = [models.Index(fields=["municipality", "-computed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(engine__in=["sql", "duckdb"]), name="indicatorrun_known_engine"
            )
        ]

    def __str__(self):
        return (
            f"{self.municipality_id or '*'} {self.first_term}–{self.last_term} {self.computed_at}"
        )


# --- Goals with targets (the dashboard's; kept apart from the computed values above) --------


class GoalTarget(models.Model):
    """A delmål follows one indicator toward a target value by a date, in one municipality."""

    goal = models.ForeignKey(
        "planning.Goal",
        verbose_name=_("delmål"),
        on_delete=models.CASCADE,
        related_name="indicator_targets",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="indicator_targets",
    )
    key = models.CharField(_("indikator"), max_length=60)
    target_value = models.FloatField(_("målverdi"))
    target_date = models.DateField(_("innen"))

    class Meta:
        verbose_name = _("mål for indikator")
        verbose_name_plural = _("mål for indikatorer")
        ordering = ["target_date", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "municipality", "key"], name="goaltarget_one_per_indicator"
            )
        ]

    def __str__(self):
        return f"{self.goal}: {self.key} {self.target_value} ({self.target_date})"

    @property
    def indicator_name(self) -> str:
        from ungkultur.indicators.definitions import BY_KEY

        definition = BY_KEY.get(self.key)
        return definition.name if definition else self.key

    def clean(self):
        from django.core.exceptions import ValidationError

        from ungkultur.indicators.definitions import BY_KEY

        if self.key not in BY_KEY:
            raise ValidationError({"key": _("Ukjent indikator.")})
        if self.goal_id and self.goal.level != "sub":
            raise ValidationError({"goal": _("Mål for indikatorer settes på delmål.")})
        if self.goal_id and self.goal.municipality_id not in (None, self.municipality_id):
            raise ValidationError({"goal": _("Delmålet hører til en annen kommune.")})


class RefreshRequest(models.Model):
    """A refresh of one municipality's figures that waits for the task worker (signals.py).

    Kept in the database, which the web processes and the worker share, so that changes close
    together share one refresh and a change made after the worker took the request enqueues
    a new one, whatever the cache (a per-process memory cache under ``make run``)."""

    # Not a foreign key: a request for a municipality deleted meanwhile is simply dropped.
    municipality_id = models.PositiveIntegerField(unique=True)
    requested_at = models.DateTimeField()

    def __str__(self):
        return f"{self.municipality_id} {self.requested_at}"
