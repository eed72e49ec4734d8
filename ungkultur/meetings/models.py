from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A meeting or an event of any kind in the seed, national or in one municipality."""

    class Kind(models.TextChoices):
        PROJECT_GROUP_MEETING = "project_group_meeting", _("prosjektgruppemøte")
        RESOURCE_GROUP_MEETING = "resource_group_meeting", _("ressursgruppemøte")
        MUNICIPALITY_MEETING = "municipality_meeting", _("kommunemøte")
        THEME_MEETING = "theme_meeting", _("temamøte")
        YOUTH_GATHERING = "youth_gathering", _("nasjonal ungdomssamling")
        CONFERENCE = "conference", _("nasjonal konferanse")
        WEBINAR = "webinar", _("webinar")
        COURSE = "course", _("kurs")
        LECTURE = "lecture", _("foredrag")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        CANCELLED = "cancelled", _("avlyst")
        HELD = "held", _("gjennomført")

    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Tom for nasjonale arrangementer."),
    )
    title = models.CharField(_("tittel"), max_length=200)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        verbose_name = _("møte eller arrangement")
        verbose_name_plural = _("møter og arrangementer")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Who was at an event; youth are marked so that youth presence can be counted."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_attendances"
    )
    is_youth = models.BooleanField(_("ungdom"), default=False)

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøter")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="attendance_one_per_person")
        ]

    def __str__(self):
        return f"{self.user} @ {self.event}"
