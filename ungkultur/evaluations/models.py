"""Evaluation rounds with the municipalities and their youth, success stories, the project's
final report, and the project's money (frames, allocations, payments, reported use, positions).

Amounts are whole kroner (``PositiveIntegerField``): the project's books never hold øre.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Round(models.Model):
    """One evaluation round, opened by the national coordinators (midtveis-, slutt- or egen)."""

    class Kind(models.TextChoices):
        MIDWAY = "midway", _("midtveisevaluering")
        FINAL = "final", _("sluttevaluering")
        OWN = "own", _("egen evaluering")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("tittel"), max_length=200)
    intro = models.TextField(_("innledning"), blank=True)
    deadline = models.DateField(_("svarfrist"), null=True, blank=True)
    opened_at = models.DateTimeField(_("åpnet"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    # Set when the project leaders were reminded of the deadline (once per round).
    reminded_at = models.DateTimeField(_("påminnelse sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("evalueringsrunde")
        verbose_name_plural = _("evalueringsrunder")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.closed_at is None

    def past_deadline(self, today) -> bool:
        """The deadline is the last day answers may be sent in (Oslo date)."""
        return self.deadline is not None and today > self.deadline


class Question(models.Model):
    class Topic(models.TextChoices):
        NEEDS = "needs", _("Behov")
        GOOD_EXAMPLES = "good_examples", _("Gode eksempler og suksesshistorier")
        FOCUS_AREAS = "focus_areas", _("Fokusområdene kommunen har valgt")
        OWNER_SUPPORT = "owner_support", _("Støtte ønsket fra eierorganisasjonene")
        OBSTACLES = "obstacles", _("Hindringer")
        YOUTH_CHANGE = "youth_change", _("Hva ungdomsmedvirkningen har endret")
        OTHER = "other", _("Annet")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("rekkefølge"))
    topic = models.CharField(_("tema"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("spørsmål"))

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="eval_question_position")
        ]

    def __str__(self):
        return self.text[:80]


class Answer(models.Model):
    """One municipality's part of a round: the project group's, or the youth resource group's.

    The youth part is shown as the group's voice: who wrote it is kept only in the audit log.
    """

    class Part(models.TextChoices):
        PROJECT_GROUP = "project_group", _("prosjektgruppen")
        YOUTH = "youth", _("ressursgruppe ungdom")

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        SUBMITTED = "submitted", _("sendt inn")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="evaluation_answers"
    )
    part = models.CharField(_("del"), max_length=20, choices=Part.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    meeting = models.ForeignKey(
        "meetings.Event",
        verbose_name=_("evalueringsmøte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluation_answers",
    )
    published = models.BooleanField(
        _("kan publiseres"),
        default=False,
        help_text=_("Innsendte svar som kan publiseres, vises i API-et og i sluttrapporten."),
    )
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    reopen_requested_at = models.DateTimeField(_("bedt om å åpne"), null=True, blank=True)
    reopen_reason = models.TextField(_("hvorfor åpne igjen"), blank=True)
    # A national role opened this part for the municipality (also after the deadline).
    reopened_at = models.DateTimeField(_("åpnet igjen"), null=True, blank=True)
    updated_at = models.DateTimeField(_("sist endret"))

    class Meta:
        verbose_name = _("evalueringssvar")
        verbose_name_plural = _("evalueringssvar")
        ordering = ["round", "municipality__name", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality", "part"], name="eval_one_answer_per_part"
            )
        ]

    def __str__(self):
        return f"{self.round} – {self.municipality} – {self.get_part_display()}"


class NamedInYouthPart(models.Model):
    """One resource-group youth's consent to be named with the group's part of a round.

    The part is the group's voice: without this, nobody is named. Given by the youth from the
    age limit of ``Consent.Purpose.NAMED`` (a setting, 15), below it by a confirmed guardian;
    withdrawn (the row deleted) at any time by either, and the name leaves the page, the PDF and
    the API at once, as they are made when asked for.
    """

    class GivenBy(models.TextChoices):
        SELF = "self", _("personen selv")
        GUARDIAN = "guardian", _("foresatt")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="named")
    youth = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    given_by = models.CharField(_("gitt av"), max_length=10, choices=GivenBy.choices)
    grantor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    age_at_time = models.PositiveSmallIntegerField(
        _("alder da samtykket ble gitt"), null=True, blank=True
    )
    given_at = models.DateTimeField(_("gitt"))

    class Meta:
        verbose_name = _("samtykke til navn i ressursgruppas svar")
        verbose_name_plural = _("samtykker til navn i ressursgruppas svar")
        constraints = [models.UniqueConstraint(fields=["answer", "youth"], name="eval_named_once")]

    def __str__(self):
        return f"{self.answer} – {self.youth_id}"


class AnswerText(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="texts")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="texts")
    text = models.TextField(_("svar"), blank=True)
    themes = models.JSONField(_("temaer"), default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="eval_one_text_per_q")
        ]

    def __str__(self):
        return self.text[:80]


class Comment(models.Model):
    """A national role's comment on one answer (not shown to the public)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("kommentar"))
    at = models.DateTimeField(_("tidspunkt"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:80]


class Story(models.Model):
    """A success story a municipality publishes: public as soon as it is saved."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="success_stories"
    )
    title = models.CharField(_("tittel"), max_length=200)
    what = models.TextField(_("hva som skjedde"))
    who = models.TextField(_("hvem som var med"))
    collaboration_model = models.ForeignKey(
        "planning.CollaborationModel",
        verbose_name=_("samarbeidsmodell"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="success_stories",
    )
    outcome = models.TextField(_("hva det førte til"))
    tags = models.JSONField(_("stikkord"), default=list, blank=True)
    shows_people = models.BooleanField(
        _("historien navngir eller viser bilde av personer"), default=False
    )
    consent = models.TextField(
        _("samtykke"),
        blank=True,
        help_text=_("Hvem har samtykket, og hvordan (for barn under 15: foresatte)."),
    )
    # Saved again without metadata (evaluations/pictures.py), under a random name in MEDIA_ROOT,
    # and served by ``story_picture`` only while the story exists.
    picture = models.FileField(_("bilde"), upload_to="stories/", blank=True)
    picture_alt = models.CharField(_("bildetekst (alt-tekst)"), max_length=300, blank=True)
    picture_shows_people = models.BooleanField(_("bildet viser personer"), default=False)
    published_at = models.DateTimeField(_("publisert"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("suksesshistorie")
        verbose_name_plural = _("suksesshistorier")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shows_people=False) | ~Q(consent=""), name="eval_story_needs_consent"
            ),
            models.CheckConstraint(
                condition=Q(picture="") | ~Q(picture_alt=""), name="eval_story_picture_has_alt"
            ),
            models.CheckConstraint(
                condition=Q(picture_shows_people=False) | Q(shows_people=True),
                name="eval_story_picture_people_consent",
            ),
        ]

    def __str__(self):
        return self.title


class FinalReport(models.Model):
    """The project's report: the editorial sections national roles write; the rest is read live."""

    title = models.CharField(_("tittel"), max_length=200)
    summary = models.TextField(_("sammendrag"), blank=True)
    lessons = models.TextField(_("erfaringer og læring"), blank=True)
    recommendations = models.TextField(_("anbefalinger videre"), blank=True)
    updated_at = models.DateTimeField(_("sist endret"))
    distributed_at = models.DateTimeField(_("distribuert"), null=True, blank=True)

    class Meta:
        verbose_name = _("sluttrapport")
        verbose_name_plural = _("sluttrapporter")
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title


class Frame(models.Model):
    """The project's economic frame for one year (650 000 kr a year in the pilot)."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    amount = models.PositiveIntegerField(_("ramme (kr)"))
    earmarked = models.PositiveIntegerField(
        _("øremerket kommunene (kr)"), help_text=_("Halvparten av rammen hvis ikke annet settes.")
    )
    updated_at = models.DateTimeField(_("sist endret"))

    class Meta:
        verbose_name = _("ramme")
        verbose_name_plural = _("rammer")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(earmarked__lte=models.F("amount")), name="eval_earmarked_within_frame"
            )
        ]

    def __str__(self):
        return f"{self.year}"


class Allocation(models.Model):
    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="allocations")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.PositiveIntegerField(_("tildelt (kr)"))

    class Meta:
        verbose_name = _("tildeling")
        verbose_name_plural = _("tildelinger")
        ordering = ["frame", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "municipality"], name="eval_one_allocation")
        ]

    def __str__(self):
        return f"{self.frame.year} {self.municipality}"


class Payment(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("utbetalt"))
    amount = models.PositiveIntegerField(_("beløp (kr)"))

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.allocation} {self.paid_on}"


class UseEntry(models.Model):
    """One line of a municipality's report of what the money was used for."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="uses")
    description = models.CharField(_("brukt til"), max_length=300)
    amount = models.PositiveIntegerField(_("beløp (kr)"))
    reported_at = models.DateTimeField(_("rapportert"))

    class Meta:
        ordering = ["reported_at", "pk"]

    def __str__(self):
        return self.description


class PositionShare(models.Model):
    """An owner organisation's share of the project-management positions in a year."""

    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("stillingsprosent"))
    # Null for shares recorded before the cost was asked for ("ikke oppgitt").
    yearly_cost = models.PositiveIntegerField(_("årlig kostnad (kr)"), null=True, blank=True)

    class Meta:
        ordering = ["frame", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "organisation"], name="eval_one_position"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="eval_percent_max_100"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.percent} %"
