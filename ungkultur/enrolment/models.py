from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ungkultur.accounts.models import Gender


class Participant(models.Model):
    """A person taking part in a municipality's offers.

    Either a user with an account, or someone known only from an import, by a keyed hash of
    the other system's reference (never the reference itself). Birth year and gender are kept
    here so that indicators need no personal data beyond them.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    ref_hash = models.CharField(max_length=64, blank=True)
    # Someone staff added by hand (a phone call, a sibling) without an account: the first name
    # and, if given, one address to tell (a guardian's under 13). Nothing more is kept.
    first_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    contact_email = models.EmailField(_("e-post for beskjeder"), blank=True)
    birth_year = models.PositiveSmallIntegerField(_("fødselsår"), null=True, blank=True)
    gender = models.CharField(_("kjønn"), max_length=16, choices=Gender.choices, blank=True)

    class Meta:
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"],
                condition=Q(user__isnull=False),
                name="participant_one_per_user_and_municipality",
            ),
            models.UniqueConstraint(
                fields=["municipality", "ref_hash"],
                condition=~Q(ref_hash=""),
                name="participant_one_per_reference",
            ),
        ]

    def __str__(self):
        if self.user_id:
            return str(self.user)
        if self.first_name:
            return self.first_name
        return f"#{self.ref_hash[:8]}"


class EndReason(models.TextChoices):
    """Why an enrolment ended (retention leaves out completed, aged_out, moved)."""

    COMPLETED = "completed", _("fullført")
    AGED_OUT = "aged_out", _("for gammel for tilbudet")
    MOVED = "moved", _("flyttet")
    DROPPED_OUT = "dropped_out", _("sluttet")
    UNKNOWN = "unknown", _("ukjent")


class DropoutReason(models.TextChoices):
    LOST_INTEREST = "lost_interest", _("mistet interessen")
    TIME = "time", _("hadde ikke tid")
    COST = "cost", _("for dyrt")
    SOCIAL = "social", _("trivdes ikke sosialt")
    OTHER = "other", _("annet")


class Enrolment(models.Model):
    """One person's relation to one offer, from application or sign-up to its end.

    Waiting list order is ``queued_at`` (then ``priority`` for applications, highest first).
    An enrolment is *active* in a period if start <= period end and (no end or end >= period
    start): the definition the indicators use.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("søkt")
        WAITING = "waiting", _("på venteliste")
        OFFERED = "offered", _("tilbudt plass")
        ACTIVE = "active", _("deltar")
        DECLINED = "declined", _("takket nei")
        EXPIRED = "expired", _("svarte ikke i tide")
        WITHDRAWN = "withdrawn", _("trukket")
        ENDED = "ended", _("avsluttet")

    OPEN_STATUSES = ("applied", "waiting", "offered", "active")

    offer = models.ForeignKey(
        "catalogue.Offer", on_delete=models.PROTECT, related_name="enrolments"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    queued_at = models.DateTimeField(_("påmeldt"))
    priority = models.SmallIntegerField(_("prioritet"), default=0)
    offered_at = models.DateTimeField(_("tilbudt plass"), null=True, blank=True)
    answer_by = models.DateTimeField(_("svarfrist"), null=True, blank=True)
    start = models.DateField(_("startet"), null=True, blank=True)
    end = models.DateField(_("sluttet"), null=True, blank=True)
    end_reason = models.CharField(
        _("grunn til at det ble avsluttet"), max_length=20, choices=EndReason.choices, blank=True
    )
    dropout_reason = models.CharField(
        _("hvorfor sluttet du"), max_length=20, choices=DropoutReason.choices, blank=True
    )
    reregistration_deadline = models.DateField(
        _("frist for å melde seg på igjen"), null=True, blank=True
    )
    reregistered_at = models.DateTimeField(_("meldt på igjen"), null=True, blank=True)
    # When the last deadline reminder went out; cleared when a new answer_by or
    # reregistration_deadline is set, so each deadline is reminded of once.
    reminded_at = models.DateTimeField(_("påminnelse sendt"), null=True, blank=True)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("meldt på av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set by imports: the line in the other system, so that importing again changes nothing.
    import_key = models.CharField(max_length=64, blank=True)
    # What the last import said about the end (docs/imports.md, "Who owns what"): an end
    # recorded in Ungkultur differs from it, and a later file may not silently undo it.
    imported_end = models.DateField(null=True, blank=True)
    imported_end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    # A later file that disagrees with an end recorded in Ungkultur: {"end", "end_reason"},
    # waiting for staff to choose. Nothing changes until they do.
    import_conflict = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        ordering = ["queued_at"]
        indexes = [
            models.Index(fields=["offer", "status", "queued_at"]),
            models.Index(fields=["start", "end"]),
        ]
        constraints = [
            # One open enrolment per person and offer; after it ends, a new one may start.
            models.UniqueConstraint(
                fields=["offer", "participant"],
                condition=Q(status__in=["applied", "waiting", "offered", "active"]),
                name="enrolment_one_open_per_participant",
            ),
            models.UniqueConstraint(
                fields=["offer", "import_key"],
                condition=~Q(import_key=""),
                name="enrolment_import_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="enrolment_period_order",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", end__isnull=False, end_reason__gt="")
                | ~Q(status="ended"),
                name="enrolment_ended_has_end_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.offer} ({self.get_status_display()})"

    @property
    def is_imported(self) -> bool:
        return bool(self.import_key)


class Attendance(models.Model):
    """Whether an enrolled person was there at one session, and if not, whether the absence
    was excused (gyldig fravær). Rows from before ``excused`` existed read as unexcused."""

    session = models.ForeignKey(
        "catalogue.Session", on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("til stede"))
    # Only for an absence; the database default keeps bulk writers that name only ``present``
    # (the national data generator) working.
    excused = models.BooleanField(_("gyldig fravær"), default=False, db_default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrert"))

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøte")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_one_per_session"
            ),
            models.CheckConstraint(
                condition=Q(present=False) | Q(excused=False),
                name="attendance_excused_only_when_absent",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.participant} {self.session}: {self.state}"

    @property
    def state(self) -> str:
        """One of present, excused (gyldig fravær) or unexcused (ugyldig fravær)."""
        if self.present:
            return "present"
        return "excused" if self.excused else "unexcused"


class OfferRef(models.Model):
    """The identifier another system gives an offer of a unit: how an import finds it again.

    Kept here rather than on the offer, so that one offer can be known under the references
    of several systems and the catalogue knows nothing of imports.
    """

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    ref = models.CharField(_("referanse i fagsystemet"), max_length=100)
    offer = models.ForeignKey(
        "catalogue.Offer", on_delete=models.CASCADE, related_name="import_refs"
    )

    class Meta:
        verbose_name = _("tilbudsreferanse fra import")
        verbose_name_plural = _("tilbudsreferanser fra import")
        constraints = [
            models.UniqueConstraint(fields=["unit", "ref"], name="offerref_one_per_unit_and_ref")
        ]

    def __str__(self):
        return f"{self.ref} → {self.offer}"


class CalendarFeed(models.Model):
    """A person's private calendar link. Only the SHA-256 of the token is kept; the link is
    shown once, and making a new one or revoking it makes the old link answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("opprettet"))
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderlenke")
        verbose_name_plural = _("kalenderlenker")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_live_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class ImportColumns(models.Model):
    """How a unit's files name their columns, where the import does not know a header: the
    header (lower case, single spaces) → the field it holds, or "" to leave it out. Chosen
    once in the column step of the import page and used for every later file."""

    unit = models.OneToOneField(
        "organisations.Unit", on_delete=models.CASCADE, related_name="import_columns"
    )
    columns = models.JSONField(_("kolonner"), default=dict)
    updated_at = models.DateTimeField(_("endret"))

    class Meta:
        verbose_name = _("kolonnevalg for import")
        verbose_name_plural = _("kolonnevalg for import")

    def __str__(self):
        return str(self.unit)


class ImportJob(models.Model):
    """An uploaded file imported by the task worker (``tasks.run_enrolment_import``), its
    progress and its report. The file is kept in the row only until the task has read it (it
    may name pupils): the task empties ``content`` when it finishes, however it ends."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("i kø")
        RUNNING = "running", _("importeres")
        DONE = "done", _("ferdig")
        # The file has errors: nothing was imported (``errors`` says why).
        REJECTED = "rejected", _("ikke importert")
        # The task stopped unexpectedly: nothing was imported.
        FAILED = "failed", _("feilet")

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="enrolment_import_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("lastet opp"))
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    # The language the report is written in: the uploader's.
    language = models.CharField(max_length=10, blank=True)
    file_name = models.CharField(_("filnavn"), max_length=200, blank=True)
    content = models.BinaryField(blank=True)
    # The column step's choice, remembered for the unit once the file was read with it.
    columns = models.JSONField(default=dict, blank=True)
    save_columns = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(max_length=10, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # Runs started: a run stopped by a transient database error (a lock) is tried again, up to
    # core.tasks.RETRY_ATTEMPTS times, with the file kept until then.
    attempts = models.PositiveSmallIntegerField(default=0)
    # ImportReport's fields when it is done; the errors (the first ones of errors_total) if
    # nothing was imported.
    report = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    errors_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobber")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.unit}: {self.file_name or self.pk}"
