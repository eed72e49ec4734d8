from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(r"^\d{4}$", _("Kommunenummer har fire sifre."))


class County(models.Model):
    code = models.CharField(_("fylkesnummer"), max_length=2, unique=True)
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["code"]

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def kk_active(self):
        return self.filter(kk_active=True)


class Municipality(models.Model):
    """A municipality as a lasting entity. Its number can change (Kongsberg: 3006, then 3303);
    every number it has had is a MunicipalityCode, and ``code`` is the current one."""

    code = models.CharField(
        _("kommunenummer"), max_length=4, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("navn"), max_length=100)
    county = models.ForeignKey(County, verbose_name=_("fylke"), on_delete=models.PROTECT)
    kk_active = models.BooleanField(_("med i koordinert kulturarbeid"), default=False)
    kk_active_since = models.DateField(_("med i KK siden"), null=True, blank=True)
    is_pilot = models.BooleanField(_("pilotkommune"), default=False)
    accessibility_statement_url = models.URLField(_("tilgjengelighetserklæring"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MunicipalityCode(models.Model):
    """A number a municipality had in the period [valid_from, valid_until)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(
        _("kommunenummer"), max_length=4, unique=True, validators=[code_validator]
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_until = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        verbose_name = _("kommunenummer")
        verbose_name_plural = _("kommunenumre")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="municipalitycode_period_order",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.municipality.name}"


class PopulationCell(models.Model):
    """Persons by municipality number, year (1 January), sex and age: SSB table 07459.

    Stored against the number as SSB delivered it; selectors map numbers to municipalities.
    """

    class Sex(models.IntegerChoices):
        MALE = 1, _("menn")
        FEMALE = 2, _("kvinner")

    code = models.CharField(_("kommunenummer"), max_length=4, validators=[code_validator])
    year = models.PositiveSmallIntegerField(_("år"))
    sex = models.PositiveSmallIntegerField(_("kjønn"), choices=Sex.choices)
    age = models.PositiveSmallIntegerField(_("alder"))
    persons = models.PositiveIntegerField(_("personer"))

    class Meta:
        verbose_name = _("befolkningstall")
        verbose_name_plural = _("befolkningstall")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "year", "sex", "age"], name="populationcell_unique_cell"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.year} {self.get_sex_display()} {self.age}: {self.persons}"


class KKPeriod(models.Model):
    """A period [start, end) in which a municipality was in coordinated culture work (KK).

    Switching a municipality off ends its open period; switching it on again opens a new one.
    "Med i KK siden" is the start of the first period, so a pause does not reset it.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="kk_periods"
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    start_reason = models.TextField(_("begrunnelse for å ta med"), blank=True)
    end_reason = models.TextField(_("begrunnelse for å ta ut"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tatt med av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tatt ut av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("periode i KK")
        verbose_name_plural = _("perioder i KK")
        ordering = ["municipality", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="kkperiod_period_order",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(end__isnull=True),
                name="kkperiod_one_open_per_municipality",
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.start}–{self.end or ''}"
