from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self):
        return self.title


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

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")

    def __str__(self):
        return self.title
