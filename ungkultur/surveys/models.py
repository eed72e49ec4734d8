"""Questionnaires, waves, anonymous access codes and responses.

How a questionnaire is stored (it maps 1:1 to XLSForm rows):

    Questionnaire ─┬─ Section (a page; XLSForm ``begin group``/``end group``), ``position`` order
                   │     └─ Question (``name`` = the variable, unique in the questionnaire)
                   │           └─ GridItem (only for ``likert_grid``: each item is its own variable)
                   └─ ChoiceList (``name`` as XLSForm ``list_name``, shared by questions)
                         └─ Choice (``value`` = XLSForm choice ``name``, a string such as "1")

Labels are columns per language (``label_nb``, ``label_nn``, ``label_en``); ``languages`` says
which of them the questionnaire offers. ``relevant`` and ``constraint`` are XLSForm expressions
in the safe subset read by ``surveys/conditions.py`` (parsed and evaluated, never ``eval``).

How a response is stored — one row per response, nothing else:

    Response(wave, municipality, submitted_on: date, channel, language, answers: JSON)

``answers`` maps variable names to values, only for questions the respondent answered:

    single, likert           "2"                 (the choice value, a string)
    multiple                 ["1", "3"]          (choice values, in choice order)
    likert_grid              one key per GridItem name, each like a likert answer
    number                   12 or 3.5           (a JSON number)
    date, time               "2026-05-17", "14:30" (ISO 8601 text)
    short_text, long_text    "free text"
    calculate                12, 2.5 or "text"   (computed from the answers when they are
                                                  cleaned, never posted; no key when empty)

A skipped or not-relevant question has no key. The variables of a questionnaire, in order, are
given by ``Questionnaire.variables()`` (questions, with grid items in place of their grid).

Anonymity by design (docs/privacy.md): a response has no user, no IP, no time finer than the date
and no reference to the access code that let it in. An ``AccessCode`` row knows only its batch
(municipality/school/class) and whether it is used; the code itself is kept as a keyed hash.
Submitting flips ``used`` and inserts the response in one transaction and writes no audit row.
A submitted response's id is random (``services.RESPONSE_ID_RANGE``), not a sequence, so ids do
not give away the order of submission; imported responses may have sequence ids.
Waves freeze their questionnaire when they open, so the variables of every wave of a survey are
the same.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("nb", "nn", "en")
ANSWER_LANGUAGES = [("nb", _("bokmål")), ("nn", _("nynorsk")), ("en", _("engelsk"))]


def default_languages():
    return list(LANGUAGE_CODES)


class Labelled(models.Model):
    """A label in bokmål, nynorsk and English; ``label(lang)`` falls back to bokmål."""

    label_nb = models.TextField(_("tekst (bokmål)"))
    label_nn = models.TextField(_("tekst (nynorsk)"), blank=True)
    label_en = models.TextField(_("tekst (engelsk)"), blank=True)

    class Meta:
        abstract = True

    def label(self, lang="nb"):
        return getattr(self, f"label_{lang}", "") or self.label_nb


class Questionnaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        FROZEN = "frozen", _("låst")

    title = models.CharField(_("tittel"), max_length=200)
    form_id = models.SlugField(_("skjema-ID"), max_length=100, blank=True)
    version = models.CharField(_("versjon"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    languages = models.JSONField(_("språk"), default=default_languages)
    # The language the form was written in (an imported form without bokmål keeps its own);
    # its texts stand in the bokmål columns until a translation is written.
    source_language = models.CharField(_("kildespråk"), max_length=2, default="nb")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"))
    frozen_at = models.DateTimeField(_("låst"), null=True, blank=True)

    class Meta:
        verbose_name = _("spørreskjema")
        verbose_name_plural = _("spørreskjemaer")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_frozen(self):
        return self.status == self.Status.FROZEN

    def variables(self):
        """The variable names in questionnaire order (grid items in place of their grid)."""
        names = []
        questions = Question.objects.filter(section__questionnaire=self).order_by(
            "section__position", "position"
        )
        items = {}
        for item in GridItem.objects.filter(question__section__questionnaire=self):
            items.setdefault(item.question_id, []).append(item)
        for question in questions:
            if question.type == Question.Type.LIKERT_GRID:
                names += [i.name for i in sorted(items.get(question.pk, []), key=_position)]
            elif question.type != Question.Type.NOTE:
                names.append(question.name)
        return names


def _position(obj):
    return (obj.position, obj.pk)


class Section(Labelled):
    """A page of the questionnaire (an XLSForm group)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("spørreskjema"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    name = models.SlugField(_("gruppenavn"), max_length=64)
    position = models.PositiveIntegerField(_("rekkefølge"), default=0)
    relevant = models.TextField(_("vises når"), blank=True)

    class Meta:
        verbose_name = _("del")
        verbose_name_plural = _("deler")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "name"],
                name="section_unique_name",
                violation_error_message=_("Skjemaet har allerede en del med dette navnet."),
            ),
        ]

    def __str__(self):
        return self.label_nb


class ChoiceList(models.Model):
    """A named list of choices, shared by the questions that use it (XLSForm ``list_name``)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("spørreskjema"),
        on_delete=models.CASCADE,
        related_name="choice_lists",
    )
    name = models.SlugField(_("listenavn"), max_length=64)

    class Meta:
        verbose_name = _("svaralternativliste")
        verbose_name_plural = _("svaralternativlister")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "name"],
                name="choicelist_unique",
                violation_error_message=_("Skjemaet har allerede en liste med dette navnet."),
            ),
        ]

    def __str__(self):
        return self.name


class Choice(Labelled):
    choice_list = models.ForeignKey(
        ChoiceList,
        verbose_name=_("svaralternativliste"),
        on_delete=models.CASCADE,
        related_name="choices",
    )
    # No spaces: a multiple-choice answer is written "1 3" (XLSForm, ODK, the exports).
    value = models.CharField(
        _("verdi"),
        max_length=64,
        validators=[
            RegexValidator(
                r"^\S+$", _("Verdien kan ikke ha mellomrom (ODK og Kobo leser den feil).")
            )
        ],
    )
    position = models.PositiveIntegerField(_("rekkefølge"), default=0)
    # The choices sheet's other columns ({column: value}), read by a question's choice_filter
    # and written back on export.
    columns = models.JSONField(_("andre kolonner"), default=dict, blank=True)

    class Meta:
        verbose_name = _("svaralternativ")
        verbose_name_plural = _("svaralternativer")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["choice_list", "value"],
                name="choice_unique_value",
                violation_error_message=_(
                    "Listen har allerede et svaralternativ med denne verdien."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.value}: {self.label_nb}"


class Question(Labelled):
    class Type(models.TextChoices):
        SINGLE = "single", _("ett valg")
        MULTIPLE = "multiple", _("flere valg")
        LIKERT = "likert", _("likertskala")
        LIKERT_GRID = "likert_grid", _("rutenett av likertspørsmål")
        NUMBER = "number", _("tall")
        SHORT_TEXT = "short_text", _("kort tekst")
        LONG_TEXT = "long_text", _("lang tekst")
        NOTE = "note", _("bare tekst (ingen svar)")
        DATE = "date", _("dato")
        TIME = "time", _("klokkeslett")
        CALCULATE = "calculate", _("beregning (ingen spørsmål)")

    CHOICE_TYPES = (Type.SINGLE, Type.MULTIPLE, Type.LIKERT, Type.LIKERT_GRID)

    # Denormalised from the section so that a variable name is unique per questionnaire.
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("spørreskjema"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("del"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("rekkefølge"), default=0)
    name = models.SlugField(_("variabelnavn"), max_length=64)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    hint_nb = models.TextField(_("hjelpetekst (bokmål)"), blank=True)
    hint_nn = models.TextField(_("hjelpetekst (nynorsk)"), blank=True)
    hint_en = models.TextField(_("hjelpetekst (engelsk)"), blank=True)
    choice_list = models.ForeignKey(
        ChoiceList,
        verbose_name=_("svaralternativer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    allow_decimals = models.BooleanField(_("tillat desimaltall"), default=False)
    required = models.BooleanField(_("obligatorisk"), default=False)
    relevant = models.TextField(_("vises når"), blank=True)
    constraint = models.TextField(_("gyldig når"), blank=True)
    constraint_message_nb = models.CharField(_("feilmelding (bokmål)"), max_length=300, blank=True)
    constraint_message_nn = models.CharField(_("feilmelding (nynorsk)"), max_length=300, blank=True)
    constraint_message_en = models.CharField(_("feilmelding (engelsk)"), max_length=300, blank=True)
    bank_key = models.CharField(_("fra spørsmålsbanken"), max_length=64, blank=True)
    # XLSForm ``appearance`` as written in an imported form, written back on export.
    appearance = models.CharField(_("visning (XLSForm appearance)"), max_length=100, blank=True)
    # XLSForm ``calculation`` (type calculate: a value computed from earlier answers, stored
    # with the response) and ``choice_filter`` (which choices a select shows), both in the
    # subset read by ``surveys/conditions.py``.
    calculation = models.TextField(_("beregning (XLSForm calculation)"), blank=True)
    choice_filter = models.TextField(_("filter for svaralternativer"), blank=True)

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "name"],
                name="question_unique_name",
                violation_error_message=_(
                    "Skjemaet har allerede et spørsmål med dette variabelnavnet."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def hint(self, lang="nb"):
        return getattr(self, f"hint_{lang}", "") or self.hint_nb

    def constraint_message(self, lang="nb"):
        return getattr(self, f"constraint_message_{lang}", "") or self.constraint_message_nb

    @property
    def has_choices(self):
        return self.type in self.CHOICE_TYPES


class GridItem(Labelled):
    """One row of a Likert grid: its own variable, answered on the grid's choice list."""

    question = models.ForeignKey(
        Question, verbose_name=_("spørsmål"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.SlugField(_("variabelnavn"), max_length=64)
    position = models.PositiveIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("påstand i rutenett")
        verbose_name_plural = _("påstander i rutenett")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "name"],
                name="griditem_unique_name",
                violation_error_message=_(
                    "Rutenettet har allerede en påstand med dette variabelnavnet."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class QuestionnaireShare(models.Model):
    """A draft shared with a youth resource group for comments (youth co-design)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="shares"
    )
    group = models.ForeignKey(
        "organisations.Group", on_delete=models.CASCADE, related_name="questionnaire_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(_("delt"))

    class Meta:
        verbose_name = _("deling med ressursgruppe")
        verbose_name_plural = _("delinger med ressursgrupper")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "group"], name="share_unique"),
        ]

    def __str__(self):
        return f"{self.questionnaire} → {self.group}"


class QuestionComment(models.Model):
    """A resource-group member's comment on one question of a shared draft."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="comments")
    group = models.ForeignKey(
        "organisations.Group", on_delete=models.CASCADE, related_name="question_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_comments"
    )
    body = models.TextField(_("kommentar"), max_length=2000)
    created_at = models.DateTimeField(_("skrevet"))
    # The researchers' answer, shown to the author on Min side (and to the group on the
    # comments page); who answered is kept for the audit, not shown to the youth.
    reply = models.TextField(_("svar"), max_length=2000, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(_("svart"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("ferdigbehandlet"), null=True, blank=True)

    class Meta:
        verbose_name = _("kommentar til spørsmål")
        verbose_name_plural = _("kommentarer til spørsmål")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.question}: {self.body[:40]}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None


class Survey(models.Model):
    """A survey runs one questionnaire in waves (baseline, follow-ups)."""

    title = models.CharField(_("tittel"), max_length=200)
    title_nn = models.CharField(_("tittel (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=200, blank=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("spørreskjema"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"))

    class Meta:
        verbose_name = _("undersøkelse")
        verbose_name_plural = _("undersøkelser")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title

    def title_in(self, lang: str) -> str:
        """The title the respondent sees, in the language they answer in (bokmål if none)."""
        return getattr(self, f"title_{lang}", "") or self.title


class Wave(models.Model):
    """One round of a survey. Opening it freezes the questionnaire."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        OPEN = "open", _("åpen")
        CLOSED = "closed", _("lukket")

    survey = models.ForeignKey(
        Survey, verbose_name=_("undersøkelse"), on_delete=models.CASCADE, related_name="waves"
    )
    identifier = models.SlugField(
        _("kjennetegn"), max_length=50, help_text=_("Stabilt navn, for eksempel «baseline».")
    )
    title = models.CharField(_("navn"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    opens_on = models.DateField(_("åpner"), null=True, blank=True)
    closes_on = models.DateField(_("stenger"), null=True, blank=True)

    class Meta:
        verbose_name = _("runde")
        verbose_name_plural = _("runder")
        ordering = ["survey", "opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "identifier"],
                name="wave_unique_identifier",
                violation_error_message=_(
                    "Undersøkelsen har allerede en runde med dette kjennetegnet."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.survey}: {self.title}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def takes_responses_on(self, day) -> bool:
        """Open, and not past its closing date (a wave may be left open by mistake)."""
        return self.is_open and (self.closes_on is None or day <= self.closes_on)


class AccessCodeBatch(models.Model):
    """Codes printed for one municipality, school or class. Knows how many, never who."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="code_batches")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    school = models.CharField(_("skole"), max_length=200, blank=True)
    class_label = models.CharField(_("klasse"), max_length=50, blank=True)
    count = models.PositiveIntegerField(_("antall koder"))
    # How many pupils the class has (the codes may be more or fewer): the response rate.
    class_size = models.PositiveIntegerField(
        _("elever i klassen"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("laget"))
    voided_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("kodebunke")
        verbose_name_plural = _("kodebunker")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return " – ".join(x for x in (str(self.municipality), self.school, self.class_label) if x)

    @property
    def response_rate(self):
        """Used codes per pupil in the class, in per cent (None without a class size); needs
        ``used_count`` (``selectors.batches_for_wave``)."""
        if not self.class_size:
            return None
        return round(100 * self.used_count / self.class_size)


class AccessCode(models.Model):
    """A one-time code: a keyed hash and used/unused. No link to any response, no time of use."""

    batch = models.ForeignKey(AccessCodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("tilgangskode")
        verbose_name_plural = _("tilgangskoder")

    def __str__(self):
        return str(_("brukt") if self.used else _("ubrukt"))


class OpenLink(models.Model):
    """An anonymous link for an arena (a festival, a club evening): no code, no limit per person."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="open_links")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("arena"), max_length=200)
    token = models.CharField(max_length=32, unique=True)
    active = models.BooleanField(_("aktiv"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("laget"))

    class Meta:
        verbose_name = _("åpen lenke")
        verbose_name_plural = _("åpne lenker")

    def __str__(self):
        return self.label


class InformationLetter(models.Model):
    """The information letter to guardians of respondents under 18: which version, sent when."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="information_letters")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        AccessCodeBatch,
        verbose_name=_("kodebunke"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="information_letters",
    )
    version = models.CharField(_("versjon"), max_length=50)
    sent_on = models.DateField(_("sendt"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("informasjonsbrev til foresatte")
        verbose_name_plural = _("informasjonsbrev til foresatte")
        ordering = ["-sent_on", "pk"]

    def __str__(self):
        return f"{self.version} ({self.sent_on})"


class Response(models.Model):
    """One anonymous response. See the module docstring for ``answers``."""

    class Channel(models.TextChoices):
        CODE = "code", _("engangskode")
        OPEN_LINK = "open_link", _("åpen lenke")
        IMPORT = "import", _("importert")

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="responses")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("dato"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    # The language the respondent answered in (empty for imported responses). Like the
    # channel, a property of the answering, never of the person: many share each value.
    language = models.CharField(
        _("svarspråk"), max_length=2, choices=ANSWER_LANGUAGES, blank=True, default=""
    )
    answers = models.JSONField(_("svar"), default=dict)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        indexes = [models.Index(fields=["wave", "municipality"], name="response_wave_municipality")]

    def __str__(self):
        return f"{self.wave} #{self.pk}"


class PendingResponse(models.Model):
    """A sent response waiting to be moved into ``Response`` (``services.pending_responses_move``).

    On PostgreSQL every row carries the id of the transaction that wrote it (``xmin``). Sending
    marks the code used and stores the answers in one transaction, so a row written then shares
    its ``xmin`` with the code (and its batch, school and class), and ``xmin`` orders the rows by
    time. The answers wait here until their group (wave, municipality, channel) has at least
    ``UNGKULTUR_DISCLOSURE_MIN_N``; then one transaction moves the group into ``Response`` in
    random order and deletes it here, so a response's ``xmin`` is the move's, shared by the
    whole group. The same fields as ``Response``, nothing more.
    """

    id = models.BigIntegerField(primary_key=True, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="pending_responses")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("dato"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Response.Channel.choices)
    language = models.CharField(
        _("svarspråk"), max_length=2, choices=ANSWER_LANGUAGES, blank=True, default=""
    )
    answers = models.JSONField(_("svar"), default=dict)

    class Meta:
        verbose_name = _("svar som venter")
        verbose_name_plural = _("svar som venter")
        indexes = [
            models.Index(fields=["wave", "municipality", "channel"], name="pending_wave_group")
        ]

    def __str__(self):
        return str(_("svar som venter"))


class AnswerDraft(models.Model):
    """Answers in progress, page by page, until they are sent (then deleted) or abandoned.

    Nothing here leads to a person (docs/privacy.md): no code, no account, no session, and the
    start only to the hour. The random id and the code's hash are held by the respondent's
    browser alone (a signed cookie, ``views_answer``), so no table joins the answers to the code
    or the account. ``services.answer_draft_purge`` deletes drafts a day after they began.
    """

    id = models.CharField(primary_key=True, max_length=64, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    # None in a preview (nothing is sent).
    wave = models.ForeignKey(Wave, null=True, on_delete=models.CASCADE, related_name="+")
    lang = models.CharField(max_length=2, default="nb")
    # The section the respondent is on; the number of sections means the send page.
    page = models.PositiveIntegerField(default=0)
    # The last answer made a question on the same page relevant (told once, on that page).
    more = models.BooleanField(default=False)
    answers = models.JSONField(default=dict)
    started_hour = models.DateTimeField()

    class Meta:
        verbose_name = _("påbegynt svar")
        verbose_name_plural = _("påbegynte svar")

    def __str__(self):
        return str(_("påbegynt svar"))


class WaveProgress(models.Model):
    """How far respondents got, as counts only: how many began answering a wave, and on which
    page those who never sent stopped (counted when their draft is deleted unsent: started
    anew, given up, or purged a day after it began). No draft, code or time is kept here."""

    class Kind(models.TextChoices):
        STARTED = "started", _("begynt")
        STOPPED = "stopped", _("stoppet")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="progress")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The section the respondent was on (the number of sections: the review before sending).
    page = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("framdrift i runde")
        verbose_name_plural = _("framdrift i runder")
        constraints = [
            models.UniqueConstraint(fields=["wave", "kind", "page"], name="waveprogress_unique"),
        ]

    def __str__(self):
        return f"{self.wave_id} {self.kind} {self.page}: {self.count}"


# --- Results, research exports and imports (results.py, exports.py, importers.py) -------------


class ResearchExport(models.Model):
    """A research export of one wave, written by the task worker and kept for download.

    The file lies under ``settings.UNGKULTUR_SURVEY_FILES_DIR`` (never served as media): the
    download view checks the researcher role on every request.
    """

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        PARQUET = "parquet", _("Parquet")
        SAV = "sav", _("SPSS (.sav)")
        DTA = "dta", _("Stata (.dta)")
        CODEBOOK = "codebook", _("Kodebok (XLSX)")
        DATAPACKAGE = "datapackage", _("Datapakke (datapackage.json og CSV i ZIP)")
        SPSS_SYNTAX = "sps", _("SPSS-syntaks (.sps og CSV i ZIP)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("i kø")
        RUNNING = "running", _("lages")
        DONE = "done", _("klar")
        FAILED = "failed", _("feilet")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="research_exports")
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("bestilt"))
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    file_name = models.CharField(_("fil"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rader"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("størrelse"), null=True, blank=True)
    error = models.TextField(_("feil"), blank=True)

    class Meta:
        verbose_name = _("forskningseksport")
        verbose_name_plural = _("forskningseksporter")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.wave}: {self.get_format_display()}"


class ResponseImport(models.Model):
    """A file of earlier responses loaded into a wave; the same file is never loaded twice."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="response_imports")
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(_("filnavn"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rader"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("importert"))

    class Meta:
        verbose_name = _("import av svar")
        verbose_name_plural = _("importer av svar")
        ordering = ["-imported_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "sha256"], name="responseimport_unique_file"),
        ]

    def __str__(self):
        return f"{self.wave}: {self.file_name or self.sha256[:12]}"
