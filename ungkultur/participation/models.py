from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ungkultur.catalogue.models import Category


class Proposal(models.Model):
    """A youth's idea for the municipality's offer (idébank), and the official answer to it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("sendt inn")
        CONSIDERING = "considering", _("til behandling")
        ACCEPTED = "accepted", _("vedtatt")
        PARTLY_ACCEPTED = "partly_accepted", _("delvis vedtatt")
        REJECTED = "rejected", _("avslått")
        IN_PROGRESS = "in_progress", _("under arbeid")
        IMPLEMENTED = "implemented", _("gjennomført")

    ANSWERED = (
        Status.ACCEPTED,
        Status.PARTLY_ACCEPTED,
        Status.REJECTED,
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
    )

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    title = models.CharField(_("tittel"), max_length=140)
    text = models.TextField(_("forslaget"))
    category = models.CharField(_("interesse"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("sendt inn"))
    answer_due = models.DateField(_("svarfrist"))
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("gjennomført"), null=True, blank=True)

    class Meta:
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["municipality", "submitted_at"])]

    def __str__(self):
        return self.title
