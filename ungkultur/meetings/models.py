from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventQuerySet(models.QuerySet):
    def held(self, *, now):
        """Held = not cancelled and started before ``now`` (the indicators count these)."""
        return self.exclude(status=Event.Status.CANCELLED).filter(starts_at__lt=now)

    def upcoming(self, *, now):
        return self.filter(ends_at__gt=now)

    def national(self):
        return self.filter(municipality__isnull=True)


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
        HELD = "held", pgettext_lazy("meeting status", "gjennomført")

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
    place = models.CharField(_("sted"), max_length=200, blank=True)
    online_url = models.URLField(_("lenke til nettmøte"), blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    capacity = models.PositiveIntegerField(
        _("antall plasser"), null=True, blank=True, help_text=_("Tom for ubegrenset.")
    )
    registration_deadline = models.DateTimeField(_("påmeldingsfrist"), null=True, blank=True)
    open_registration = models.BooleanField(
        _("åpen påmelding"),
        default=False,
        help_text=_("Alle innloggede kan melde seg på, ikke bare de inviterte."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arrangører"),
        blank=True,
        related_name="organised_events",
    )
    cancel_reason = models.TextField(_("grunn til avlysning"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), null=True, blank=True)
    # The iCalendar SEQUENCE: how many times the event has been moved or cancelled.
    sequence = models.PositiveIntegerField(_("endringsnummer"), default=0)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("møte eller arrangement")
        verbose_name_plural = _("møter og arrangementer")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def is_national(self):
        return self.municipality_id is None

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED


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


class EventChange(models.Model):
    """One step in an event's history: created, moved to new dates, cancelled."""

    class Kind(models.TextChoices):
        CREATED = "created", _("planlagt")
        MOVED = "moved", _("flyttet")
        CANCELLED = "cancelled", _("avlyst")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("endring"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("tidspunkt"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    reason = models.TextField(_("begrunnelse"), blank=True)

    class Meta:
        verbose_name = _("endring av arrangement")
        verbose_name_plural = _("endringer av arrangementer")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.event}: {self.get_kind_display()}"


class AgendaItem(models.Model):
    """One item on an event's agenda (saksliste), possibly a youth proposal."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("sak"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    proposal = models.ForeignKey(
        "participation.Proposal",
        verbose_name=_("forslag fra ungdom"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("lagt til"))

    class Meta:
        verbose_name = _("sak")
        verbose_name_plural = _("saksliste")
        ordering = ["event", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "proposal"],
                condition=models.Q(proposal__isnull=False),
                name="agendaitem_proposal_once_per_event",
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class GroupInvitation(models.Model):
    """A whole group invited to an event; its members became invitees at that time."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="group_invitations")
    group = models.ForeignKey(
        "organisations.Group", on_delete=models.PROTECT, related_name="event_invitations"
    )
    invited_at = models.DateTimeField(_("invitert"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitert gruppe")
        verbose_name_plural = _("inviterte grupper")
        constraints = [
            models.UniqueConstraint(fields=["event", "group"], name="groupinvitation_once")
        ]

    def __str__(self):
        return f"{self.group} → {self.event}"


class Registration(models.Model):
    """One person's place in an event: invited, registered, on the waiting list, or not coming."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invitert")
        REGISTERED = "registered", _("påmeldt")
        WAITING = "waiting", _("på venteliste")
        CANCELLED = "cancelled", _("meldt av")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    invited_at = models.DateTimeField(_("invitert"), null=True, blank=True)
    registered_at = models.DateTimeField(_("meldt på"), null=True, blank=True)
    queued_at = models.DateTimeField(_("satt på venteliste"), null=True, blank=True)

    class Meta:
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        ordering = ["event", "status", "queued_at", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_one_per_person")
        ]

    def __str__(self):
        return f"{self.user} @ {self.event}: {self.get_status_display()}"


class Question(models.Model):
    """A question on an event's registration form, such as dietary needs."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("nummer"), default=1)
    text = models.CharField(_("spørsmål"), max_length=200)
    required = models.BooleanField(_("må besvares"), default=False)
    is_sensitive = models.BooleanField(
        _("kan være sensitivt"),
        default=False,
        help_text=_("Svarene vises bare for arrangørene og slettes etter arrangementet."),
    )

    class Meta:
        verbose_name = _("spørsmål ved påmelding")
        verbose_name_plural = _("spørsmål ved påmelding")
        ordering = ["event", "position", "pk"]

    def __str__(self):
        return self.text


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("svar"), blank=True)

    class Meta:
        verbose_name = _("svar ved påmelding")
        verbose_name_plural = _("svar ved påmelding")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="answer_once")
        ]

    def __str__(self):
        return f"{self.question}: {self.text[:40]}"


class Minutes(models.Model):
    """The minutes (referat) of an event: a summary; decisions and actions hang on the event."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="minutes")
    summary = models.TextField(_("referat"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("sist endret"))
    # Once approved the minutes and their decisions can no longer be edited.
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("referat")
        verbose_name_plural = _("referater")

    def __str__(self):
        return f"{self.event}"


class Decision(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("sak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    text = models.TextField(_("vedtak"))
    # On a youth proposal's agenda item: the answer the decision gives (the proposal is answered
    # with the decision's text as justification). Blank for other decisions.
    outcome = models.CharField(
        _("svar på forslaget"),
        max_length=20,
        blank=True,
        choices=[
            ("accepted", _("vedtatt")),
            ("partly_accepted", _("delvis vedtatt")),
            ("rejected", _("avslått")),
        ],
    )
    made_at = models.DateTimeField(_("registrert"))
    edited_at = models.DateTimeField(_("sist endret"), null=True, blank=True)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["event", "made_at", "pk"]

    def __str__(self):
        return self.text[:60]


class ActionItem(models.Model):
    """Who does what by when, decided at an event; open ones follow the owner on Min side."""

    class Status(models.TextChoices):
        OPEN = "open", _("åpen")
        DONE = "done", _("utført")
        DROPPED = "dropped", _("bortfalt")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="action_items")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        on_delete=models.PROTECT,
        related_name="event_actions",
    )
    what = models.CharField(_("hva"), max_length=300)
    due = models.DateField(_("frist"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("opprettet"))
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)

    class Meta:
        verbose_name = _("oppfølgingspunkt")
        verbose_name_plural = _("oppfølgingspunkter")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self):
        return self.what


class ActionItemReminder(models.Model):
    """One row per action item and stage a reminder went out for ("before-2", "late"): the
    database keeps each reminder to one, however often the periodic task runs."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("trinn"), max_length=20)
    sent_at = models.DateTimeField(_("sendt"))

    class Meta:
        verbose_name = _("påminnelse om oppfølgingspunkt")
        verbose_name_plural = _("påminnelser om oppfølgingspunkter")
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="action_reminder_once")
        ]

    def __str__(self):
        return f"{self.item}: {self.stage}"
