from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ungkultur.catalogue.models import Category


class Service(models.TextChoices):
    """The three services a proposal can concern."""

    KULTURSKOLE = "kulturskole", _("kulturskolen")
    CLUB = "club", _("fritidsklubben")
    UKM = "ukm", _("UKM")


class Proposal(models.Model):
    """A youth's idea for the municipality's offer (idébank), and the official answer to it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("sendt inn")
        CONSIDERING = "considering", _("til behandling")
        ACCEPTED = "accepted", _("vedtatt")
        PARTLY_ACCEPTED = "partly_accepted", _("delvis vedtatt")
        REJECTED = "rejected", _("avslått")
        IN_PROGRESS = "in_progress", _("under arbeid")
        IMPLEMENTED = "implemented", pgettext_lazy("proposal status", "gjennomført")

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
    implemented_at = models.DateTimeField(
        pgettext_lazy("proposal carried out at", "gjennomført"), null=True, blank=True
    )
    # Added after the scaffold.
    services = models.JSONField(_("gjelder"), default=list, blank=True)
    author_name = models.CharField(_("vist navn"), max_length=100, blank=True)
    answer = models.TextField(_("begrunnelse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    youth_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ungdom som var med på vedtaket"),
        blank=True,
        related_name="proposals_decided",
    )
    outcome_offer = models.ForeignKey(
        "catalogue.Offer",
        verbose_name=_("tilbud som kom ut av det"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    outcome_text = models.TextField(_("hva som kom ut av det"), blank=True)
    outcome_url = models.URLField(_("lenke"), blank=True)

    class Meta:
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["municipality", "submitted_at"])]

    def __str__(self):
        return self.title

    @property
    def is_answered(self):
        return self.status in self.ANSWERED

    def is_overdue(self, today) -> bool:
        return not self.is_answered and self.answer_due < today

    def days_to_answer(self) -> int | None:
        """Whole days from submission to the answer (local dates)."""
        if self.answered_at is None:
            return None
        # The public list has the local dates from the database already.
        answered_on = getattr(self, "answered_on", None) or local_date(self.answered_at)
        submitted_on = getattr(self, "submitted_on", None) or local_date(self.submitted_at)
        return (answered_on - submitted_on).days

    def services_display(self) -> list[str]:
        return [str(Service(value).label) for value in self.services if value in Service.values]


def local_date(moment):
    return timezone.localtime(moment).date()


class MunicipalitySettings(models.Model):
    """A municipality's own rules for participation; without a row the defaults apply."""

    municipality = models.OneToOneField(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="participation_settings",
    )
    answer_days = models.PositiveSmallIntegerField(
        _("svarfrist i dager"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("Så mange dager har prosjektgruppa på å svare på et forslag."),
    )

    class Meta:
        verbose_name = _("innstillinger for medvirkning")
        verbose_name_plural = _("innstillinger for medvirkning")

    def __str__(self):
        return str(self.municipality)


class ParticipantProfile(models.Model):
    """What a youth tells us for participation: where they go to school (self-declared) and
    whether they want the daily e-mail digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant_profile"
    )
    school_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("skolekommune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email_digest = models.BooleanField(_("send meg e-post om nye varsler"), default=True)

    class Meta:
        verbose_name = _("medvirkningsprofil")
        verbose_name_plural = _("medvirkningsprofiler")

    def __str__(self):
        return str(self.user)


class ProposalSupport(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports"
    )
    created_at = models.DateTimeField(_("støttet"))

    class Meta:
        verbose_name = _("støtte")
        verbose_name_plural = _("støtter")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="support_one_per_youth")
        ]

    def __str__(self):
        return f"{self.user} → {self.proposal}"


class ProposalEvent(models.Model):
    """The status trail: every change of a proposal's status, who made it, when and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("ny status"), max_length=20, choices=Proposal.Status.choices)
    previous_status = models.CharField(
        _("forrige status"), max_length=20, choices=Proposal.Status.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("tidspunkt"))
    note = models.TextField(_("merknad"), blank=True)

    class Meta:
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.proposal}: {self.get_status_display()}"

    @property
    def is_correction(self) -> bool:
        """An answer corrected: from one decision to another (the note says why and what was
        answered before)."""
        decisions = (
            Proposal.Status.ACCEPTED,
            Proposal.Status.PARTLY_ACCEPTED,
            Proposal.Status.REJECTED,
        )
        return self.previous_status in decisions and self.status in decisions


class Comment(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", _("synlig")
        HIDDEN = "hidden", _("skjult til en moderator har sett på den")
        KEPT = "kept", _("godkjent av moderator")
        REMOVED = "removed", _("fjernet av moderator")

    SHOWN = (State.VISIBLE, State.KEPT)

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The nickname, or blank: youth are not named in public (docs/privacy.md).
    author_name = models.CharField(_("vist navn"), max_length=100, blank=True)
    text = models.TextField(_("kommentar"), max_length=2000)
    created_at = models.DateTimeField(_("skrevet"))
    state = models.CharField(
        _("tilstand"), max_length=10, choices=State.choices, default=State.VISIBLE
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderert"), null=True, blank=True)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:50]

    @property
    def is_shown(self):
        return self.state in self.SHOWN


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("hvorfor"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("rapportert"))

    class Meta:
        verbose_name = _("rapportert kommentar")
        verbose_name_plural = _("rapporterte kommentarer")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_one_per_person")
        ]

    def __str__(self):
        return f"{self.reporter} → {self.comment}"


class Notification(models.Model):
    """An in-app notice to one person: about a proposal, a youth budget round, a meeting, an
    action item from minutes, a competence order or an evaluation round."""

    class Kind(models.TextChoices):
        STATUS = "status", _("ny status")
        COMMENT = "comment", _("ny kommentar")
        BUDGET_RESULT = "budget_result", _("resultat i ungdomsbudsjettet")
        # To the project group: a proposal to answer, its deadline coming up, its deadline passed.
        NEW_PROPOSAL = "new_proposal", _("nytt forslag")
        ANSWER_SOON = "answer_soon", _("svarfristen nærmer seg")
        ANSWER_LATE = "answer_late", _("svarfristen er passert")
        # To the municipalities' project leaders: the project's final report (evaluations).
        FINAL_REPORT = "final_report", _("sluttrapporten er distribuert")
        # Meetings: an invitation, and a change of time, title, place or link, or a cancellation.
        EVENT_INVITED = "event_invited", _("invitasjon til møte")
        EVENT_MOVED = "event_moved", _("møtet er flyttet")
        EVENT_CHANGED = "event_changed", _("møtet er endret")
        EVENT_CANCELLED = "event_cancelled", _("møtet er avlyst")
        # To an action item's owner: its due date coming up, or passed.
        ACTION_SOON = "action_soon", _("frist for oppfølgingspunkt nærmer seg")
        ACTION_LATE = "action_late", _("frist for oppfølgingspunkt er passert")
        # To an organisation's coordinators: a competence order waiting for an answer or a date.
        ORDER_UNANSWERED = "order_unanswered", _("bestilling venter på svar")
        ORDER_UNSCHEDULED = "order_unscheduled", _("bestilling venter på dato")
        # To a KK municipality's project leaders: an evaluation round's deadline is near and the
        # project group's part is not sent in (evaluations, once per round).
        EVALUATION_DUE = "evaluation_due", _("svarfristen for evalueringen nærmer seg")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    budget_round = models.ForeignKey(
        "BudgetRound", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "meetings.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action_item = models.ForeignKey(
        "meetings.ActionItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.ForeignKey(
        "planning.CompetenceOrder",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    evaluation_round = models.ForeignKey(
        "evaluations.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The municipality an evaluation notice is about (a leader may lead in more than one).
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Proposal.Status.choices, blank=True
    )
    created_at = models.DateTimeField(_("opprettet"))
    read_at = models.DateTimeField(_("lest"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("sendt på e-post"), null=True, blank=True)

    class Meta:
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"


class DigestSent(models.Model):
    """One row per person and day a digest went out: the database keeps it to one a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("dag"))

    class Meta:
        verbose_name = _("sendt sammendrag")
        verbose_name_plural = _("sendte sammendrag")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_one_per_day")]

    def __str__(self):
        return f"{self.user}: {self.day}"


class ProposalReminder(models.Model):
    """One row per proposal and stage a reminder went out for ("new", "before-7", "late"): the
    database keeps each reminder to one, however often the periodic task runs."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("trinn"), max_length=20)
    sent_at = models.DateTimeField(_("sendt"))

    class Meta:
        verbose_name = _("påminnelse om forslag")
        verbose_name_plural = _("påminnelser om forslag")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "stage"], name="proposal_reminder_once")
        ]

    def __str__(self):
        return f"{self.proposal}: {self.stage}"


# --- Youth budget (ungdomsbudsjett) ---------------------------------------------------------


class BudgetRound(models.Model):
    """A sum youth decide over. Periods are [start, end): proposing, then checking, then voting."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("ikke startet")
        PROPOSING = "proposing", _("forslag")
        CHECKING = "checking", _("vurdering")
        VOTING = "voting", _("avstemning")
        CLOSED = "closed", _("avsluttet")
        PUBLISHED = "published", _("resultat publisert")

    class Proof(models.TextChoices):
        """What a youth must have shown to propose and vote (set by the municipality)."""

        EMAIL = "email", _("bekreftet e-post")
        EID = "eid", _("ID-porten eller Feide, med alder og bostedskommune derfra")

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="budget_rounds"
    )
    title = models.CharField(_("navn"), max_length=140)
    description = models.TextField(_("beskrivelse"), blank=True)
    amount = models.PositiveIntegerField(_("beløp (kr)"))
    propose_opens = models.DateTimeField(_("forslag fra"))
    propose_closes = models.DateTimeField(_("forslag til"))
    vote_opens = models.DateTimeField(_("avstemning fra"))
    vote_closes = models.DateTimeField(_("avstemning til"))
    age_min = models.PositiveSmallIntegerField(_("laveste alder"), default=13)
    age_max = models.PositiveSmallIntegerField(_("høyeste alder"), default=19)
    proof = models.CharField(
        _("krav til innlogging"), max_length=10, choices=Proof.choices, default=Proof.EMAIL
    )
    published_at = models.DateTimeField(_("resultat publisert"), null=True, blank=True)

    class Meta:
        verbose_name = _("ungdomsbudsjett")
        verbose_name_plural = _("ungdomsbudsjett")
        ordering = ["-vote_closes"]
        constraints = [
            models.CheckConstraint(
                condition=Q(propose_closes__gt=F("propose_opens"))
                & Q(vote_opens__gte=F("propose_closes"))
                & Q(vote_closes__gt=F("vote_opens")),
                name="budgetround_periods_in_order",
            ),
            models.CheckConstraint(
                condition=Q(age_max__gte=F("age_min")), name="budgetround_ages_in_order"
            ),
        ]

    def __str__(self):
        return self.title

    def phase(self, now) -> str:
        if self.published_at is not None:
            return self.Phase.PUBLISHED
        if now < self.propose_opens:
            return self.Phase.UPCOMING
        if now < self.propose_closes:
            return self.Phase.PROPOSING
        if now < self.vote_opens:
            return self.Phase.CHECKING
        if now < self.vote_closes:
            return self.Phase.VOTING
        return self.Phase.CLOSED


class BudgetProject(models.Model):
    class Feasibility(models.TextChoices):
        PENDING = "pending", _("ikke vurdert")
        FEASIBLE = "feasible", _("gjennomførbart")
        NOT_FEASIBLE = "not_feasible", _("ikke gjennomførbart")

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="projects")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The nickname, or blank: youth are not named in public (docs/privacy.md).
    author_name = models.CharField(_("vist navn"), max_length=100, blank=True)
    title = models.CharField(_("tittel"), max_length=140)
    description = models.TextField(_("beskrivelse"))
    cost = models.PositiveIntegerField(_("kostnad (kr)"))
    created_at = models.DateTimeField(_("foreslått"))
    feasibility = models.CharField(
        _("vurdering"), max_length=20, choices=Feasibility.choices, default=Feasibility.PENDING
    )
    feasibility_reason = models.TextField(_("begrunnelse"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    votes = models.PositiveIntegerField(_("stemmer"), null=True, blank=True)
    funded = models.BooleanField(_("får penger"), default=False)
    progress = models.PositiveSmallIntegerField(
        _("framdrift (prosent)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_note = models.TextField(_("status for arbeidet"), blank=True)

    class Meta:
        verbose_name = _("prosjekt i ungdomsbudsjettet")
        verbose_name_plural = _("prosjekter i ungdomsbudsjettet")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max_100")
        ]

    def __str__(self):
        return self.title


class Ballot(models.Model):
    """One youth's choice of projects in a round: one per youth, changeable until voting closes."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_ballots"
    )
    projects = models.ManyToManyField(BudgetProject, related_name="ballots")
    cast_at = models.DateTimeField(_("stemt"))

    class Meta:
        verbose_name = _("stemmeseddel")
        verbose_name_plural = _("stemmesedler")
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_youth")
        ]

    def __str__(self):
        return f"{self.voter} → {self.round}"


# --- Quick polls at an arena ----------------------------------------------------------------


class Poll(models.Model):
    """A short anonymous poll at a club evening or a workshop, open for a limited time."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("tittel"), max_length=140)
    slug = models.CharField(_("kort lenke"), max_length=12, unique=True)
    opens_at = models.DateTimeField(_("åpner"))
    closes_at = models.DateTimeField(_("stenger"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hurtigmåling")
        verbose_name_plural = _("hurtigmålinger")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gte=F("opens_at")), name="poll_period_order"
            )
        ]

    def __str__(self):
        return self.title

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at


class PollQuestion(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("spørsmål"), max_length=200)
    choices = models.JSONField(_("svaralternativer"), default=list)

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="pollquestion_position")
        ]

    def __str__(self):
        return self.text


class PollResponse(models.Model):
    """One anonymous answer sheet: no user, no IP address, only the date (docs/privacy.md)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    answered_on = models.DateField(_("dato"))

    class Meta:
        verbose_name = _("svar på hurtigmåling")
        verbose_name_plural = _("svar på hurtigmålinger")

    def __str__(self):
        return f"{self.poll} ({self.answered_on})"


class PollAnswer(models.Model):
    response = models.ForeignKey(PollResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(PollQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(_("valgt alternativ"))

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="pollanswer_one_each")
        ]

    def __str__(self):
        return f"{self.question}: {self.choice}"
