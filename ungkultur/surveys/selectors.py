"""Reads: the questionnaire as one plain structure (for answering, validating and XLSForm),
and the lists the pages show."""

import re
from dataclasses import dataclass, field, replace

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from ungkultur.lib.disclosure import hidden_label, suppress, suppress_total
from ungkultur.organisations.selectors import roles_for
from ungkultur.surveys import conditions
from ungkultur.surveys.models import (
    AccessCodeBatch,
    AnswerDraft,
    Choice,
    ChoiceList,
    GridItem,
    PendingResponse,
    Question,
    QuestionComment,
    Questionnaire,
    QuestionnaireShare,
    Response,
    Section,
    Survey,
    Wave,
    WaveProgress,
)


@dataclass
class QuestionDef:
    name: str
    type: str
    labels: dict
    hints: dict
    required: bool
    relevant: tuple | None
    constraint: tuple | None
    constraint_messages: dict
    allow_decimals: bool = False
    list_name: str = ""
    choices: list = field(default_factory=list)  # [(value, {lang: label})]
    items: list = field(default_factory=list)  # [(name, {lang: label})]
    pk: int | None = None
    relevant_text: str = ""
    constraint_text: str = ""
    appearance: str = ""
    calculation: tuple | None = None  # type calculate: the parsed XLSForm calculation
    calculation_text: str = ""
    choice_filter: tuple | None = None  # parsed with the choices sheet's columns
    choice_filter_text: str = ""
    choice_columns: dict = field(default_factory=dict)  # value -> {column: value}

    def label(self, lang):
        return self.labels.get(lang) or self.labels["nb"]

    def filtered(self, answers: dict):
        """The question with only the choices its choice_filter lets through for these
        answers (itself when it has no filter)."""
        if self.choice_filter is None:
            return self
        kept = [
            (value, labels)
            for value, labels in self.choices
            if conditions.evaluate(
                self.choice_filter,
                answers,
                row={**self.choice_columns.get(value, {}), "name": value},
            )
        ]
        return replace(self, choices=kept)

    @property
    def variables(self):
        if self.type == Question.Type.NOTE:
            return []
        if self.type == Question.Type.LIKERT_GRID:
            return [name for name, _labels in self.items]
        return [self.name]

    @property
    def choice_values(self):
        return [value for value, _labels in self.choices]


@dataclass
class SectionDef:
    name: str
    labels: dict
    relevant: tuple | None
    questions: list
    relevant_text: str = ""

    def label(self, lang):
        return self.labels.get(lang) or self.labels["nb"]


PIPED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")


@dataclass
class Structure:
    pk: int
    title: str
    languages: list
    sections: list

    def questions(self):
        return [q for section in self.sections for q in section.questions]

    def piped(self, text: str, answers: dict, lang: str) -> str:
        """The text with each ``${name}`` replaced by the answer given (a choice by its label
        in ``lang``); "…" for a question not answered. The caller escapes it as any text."""
        if "${" not in text:
            return text
        by_variable = {name: q for q in self.questions() for name in q.variables}

        def answer(match):
            value = answers.get(match.group(1))
            if value is None or value == "" or value == []:
                return "…"
            question = by_variable.get(match.group(1))
            if question is not None and question.choices:
                names = {v: labels.get(lang) or labels["nb"] for v, labels in question.choices}
                values = value if isinstance(value, list) else [value]
                return ", ".join(names.get(str(v), str(v)) for v in values)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return str(value)

        return PIPED.sub(answer, text)

    def variables(self):
        return [name for q in self.questions() for name in q.variables]


def _labels(obj, prefix="label"):
    return {lang: getattr(obj, f"{prefix}_{lang}") for lang in ("nb", "nn", "en")}


def _tree(text, *, columns=False):
    return conditions.parse(text, columns=columns) if text.strip() else None


# A frozen questionnaire never changes, so its structure is kept per process (submission
# at several hundred per second must not read six tables each time).
_FROZEN: dict[tuple, Structure] = {}


def questionnaire_structure(questionnaire: Questionnaire) -> Structure:
    key = (questionnaire.pk, questionnaire.frozen_at)
    if questionnaire.is_frozen and key in _FROZEN:
        return _FROZEN[key]
    structure = _load_structure(questionnaire)
    if questionnaire.is_frozen:
        _FROZEN[key] = structure
    return structure


def _load_structure(questionnaire):
    choices = {}
    for choice in Choice.objects.filter(choice_list__questionnaire=questionnaire):
        choices.setdefault(choice.choice_list_id, []).append(choice)
    items = {}
    for item in GridItem.objects.filter(question__questionnaire=questionnaire):
        items.setdefault(item.question_id, []).append(item)
    lists = dict(ChoiceList.objects.filter(questionnaire=questionnaire).values_list("pk", "name"))
    by_section = {}
    for q in Question.objects.filter(questionnaire=questionnaire):
        by_section.setdefault(q.section_id, []).append(q)
    sections = []
    for section in Section.objects.filter(questionnaire=questionnaire):
        questions = []
        for q in sorted(by_section.get(section.pk, []), key=lambda q: (q.position, q.pk)):
            questions.append(
                QuestionDef(
                    pk=q.pk,
                    name=q.name,
                    type=q.type,
                    labels=_labels(q),
                    hints=_labels(q, "hint"),
                    required=q.required,
                    relevant=_tree(q.relevant),
                    constraint=_tree(q.constraint),
                    constraint_messages=_labels(q, "constraint_message"),
                    allow_decimals=q.allow_decimals,
                    list_name=lists.get(q.choice_list_id, ""),
                    choices=[
                        (c.value, _labels(c))
                        for c in sorted(choices.get(q.choice_list_id, []), key=_pos)
                    ],
                    items=[(i.name, _labels(i)) for i in sorted(items.get(q.pk, []), key=_pos)],
                    relevant_text=q.relevant,
                    constraint_text=q.constraint,
                    appearance=q.appearance,
                    calculation=_tree(q.calculation),
                    calculation_text=q.calculation,
                    choice_filter=_tree(q.choice_filter, columns=True),
                    choice_filter_text=q.choice_filter,
                    choice_columns={
                        c.value: c.columns for c in choices.get(q.choice_list_id, []) if c.columns
                    },
                )
            )
        sections.append(
            SectionDef(
                section.name, _labels(section), _tree(section.relevant), questions, section.relevant
            )
        )
    return Structure(questionnaire.pk, questionnaire.title, questionnaire.languages, sections)


def _pos(obj):
    return (obj.position, obj.pk)


# --- Pages ---------------------------------------------------------------------------------------


def questionnaires_for_builder():
    return Questionnaire.objects.annotate(
        question_count=Count("questions", distinct=True),
        survey_count=Count("surveys", distinct=True),
    ).order_by("status", "title")


def questionnaire_for_builder_page(pk):
    sections = Section.objects.prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("choice_list").prefetch_related("items"),
        )
    )
    return Questionnaire.objects.prefetch_related(
        Prefetch("sections", queryset=sections),
        Prefetch("choice_lists", queryset=ChoiceList.objects.prefetch_related("choices")),
        Prefetch(
            "shares", queryset=QuestionnaireShare.objects.select_related("group__municipality")
        ),
    ).get(pk=pk)


def questionnaires_shared_with(user):
    """Draft questionnaires shared with a resource group the user sits in."""
    group_ids = roles_for(user).group_ids
    return Questionnaire.objects.filter(shares__group_id__in=group_ids).distinct().order_by("title")


def surveys_with_waves():
    return Survey.objects.select_related("questionnaire").prefetch_related(
        Prefetch("waves", queryset=Wave.objects.order_by("opens_on", "pk"))
    )


def open_waves():
    return Wave.objects.filter(status=Wave.Status.OPEN).select_related("survey")


def batches_for_wave(wave, user):
    """The wave's code batches the user may see, with how many codes are used."""
    batches = AccessCodeBatch.objects.filter(wave=wave).select_related("municipality")
    roles = roles_for(user)
    if not (roles.is_admin or roles.is_coordinator or roles.is_researcher):
        batches = batches.filter(municipality_id__in=roles.staff_municipalities)
    return batches.annotate(used_count=Count("codes", filter=Q(codes__used=True))).order_by(
        "-created_at", "-pk"
    )


def wave_completion(wave, *, n: int) -> dict:
    """Completion as counts only, under the disclosure rules (docs/privacy.md): how many began,
    how many sent (by code or open link), how many are answering now, and on which page those
    who gave up stopped. A count from 1 to n − 1 is hidden, and one more where a single hidden
    count could be worked out from the total."""
    structure = questionnaire_structure(wave.survey.questionnaire)
    channels = (Response.Channel.CODE, Response.Channel.OPEN_LINK)
    sent = (
        Response.objects.filter(wave=wave, channel__in=channels).count()
        + PendingResponse.objects.filter(wave=wave, channel__in=channels).count()
    )
    started, stopped = 0, {}
    for row in WaveProgress.objects.filter(wave=wave):
        if row.kind == WaveProgress.Kind.STARTED:
            started += row.count
        else:
            stopped[row.page] = stopped.get(row.page, 0) + row.count
    answering = AnswerDraft.objects.filter(wave=wave).count()
    pages = len(structure.sections)
    cells = {page: stopped.get(page, 0) for page in range(pages + 1)}
    cells["answering"] = answering
    shown = suppress(cells, n=n)

    def cell(key, label):
        return {
            "label": label,
            "count": shown[key],
            "hidden": hidden_label(cells[key], shown[key], n=n),
        }

    rows = [cell(index, section.label("nb")) for index, section in enumerate(structure.sections)]
    rows.append(cell(pages, _("Oversikten før innsending")))
    started_shown = suppress_total(started, n=n)
    sent_shown = suppress_total(sent, n=n)
    return {
        "started": started_shown,
        "started_hidden": hidden_label(started, started_shown, n=n),
        "sent": sent_shown,
        "sent_hidden": hidden_label(sent, sent_shown, n=n),
        "answering": cell("answering", _("Svarer nå")),
        "stopped": rows,
    }


def school_response_rates(wave, user) -> list[dict]:
    """Per school (municipality and school name), of the batches with a class size and not
    withdrawn: pupils, used codes and the response rate in per cent. Only used/unused codes are
    counted, never responses, so nothing here leads to an answer."""
    schools = {}
    for batch in batches_for_wave(wave, user).filter(
        class_size__isnull=False, voided_at__isnull=True
    ):
        key = (batch.municipality.name, batch.school or "–")
        entry = schools.setdefault(
            key, {"municipality": key[0], "school": key[1], "pupils": 0, "used": 0}
        )
        entry["pupils"] += batch.class_size
        entry["used"] += batch.used_count
    for entry in schools.values():
        entry["rate"] = round(100 * entry["used"] / entry["pupils"])
    return [schools[key] for key in sorted(schools)]


def mypage_section(user, *, now) -> dict | None:
    """What Min side shows of surveys: drafts a youth resource group is asked to comment on,
    and for staff the open waves to hand out codes in (None when there is nothing)."""
    drafts = list(questionnaires_shared_with(user).filter(status=Questionnaire.Status.DRAFT))
    waves = []
    if user.has_perm("surveys.view_waves"):
        waves = list(open_waves().order_by("survey__title", "pk"))
    replies = comment_replies_for(user)
    if not drafts and not waves and not replies:
        return None
    return {
        "template": "surveys/includes/mypage.html",
        "drafts": drafts,
        "waves": waves,
        "replies": replies,
    }


MYPAGE_REPLIES = 10


def comment_replies_for(user) -> list:
    """The user's own comments that the researchers have answered, newest answer first (who
    answered is not shown; nobody else's comments)."""
    return list(
        QuestionComment.objects.filter(author=user)
        .exclude(reply="")
        .select_related("question__questionnaire")
        .order_by("-replied_at", "-pk")[:MYPAGE_REPLIES]
    )
