from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClubEvening(models.Model):
    """One opening evening of a youth club. Clubs count visitors, never name them."""

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="club_evenings"
    )
    date = models.DateField(_("dato"))
    first_time_visitors = models.PositiveIntegerField(_("førstegangsbesøkende"), default=0)
    note = models.TextField(_("merknad"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrert"))

    class Meta:
        verbose_name = _("klubbkveld")
        verbose_name_plural = _("klubbkvelder")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="clubevening_one_per_day")
        ]

    def __str__(self):
        return f"{self.unit} {self.date}"


class ClubHeadcount(models.Model):
    """Visitors of one age band and gender on one evening."""

    class AgeBand(models.TextChoices):
        UNDER_10 = "under_10", _("under 10 år")
        AGE_10_12 = "10_12", _("10–12 år")
        AGE_13_15 = "13_15", _("13–15 år")
        AGE_16_18 = "16_18", _("16–18 år")
        OVER_18 = "over_18", _("over 18 år")

    class Gender(models.TextChoices):
        FEMALE = "female", _("jenter")
        MALE = "male", _("gutter")
        OTHER = "other", _("annet eller ikke oppgitt")

    evening = models.ForeignKey(ClubEvening, on_delete=models.CASCADE, related_name="headcounts")
    age_band = models.CharField(_("alder"), max_length=10, choices=AgeBand.choices)
    gender = models.CharField(_("kjønn"), max_length=10, choices=Gender.choices)
    count = models.PositiveIntegerField(_("antall"))

    class Meta:
        verbose_name = _("opptelling")
        verbose_name_plural = _("opptellinger")
        constraints = [
            models.UniqueConstraint(
                fields=["evening", "age_band", "gender"], name="clubheadcount_one_per_cell"
            )
        ]

    def __str__(self):
        return f"{self.evening}: {self.age_band} {self.gender} {self.count}"
