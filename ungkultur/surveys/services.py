"""Writes: building questionnaires, running waves, access codes and anonymous submission.

A questionnaire can change only while it is a draft; opening a wave freezes it for good, so
every wave of a survey has the same variables. Submission validates the answers against the
questionnaire (the same path for the form and the API), then uses up the access code and
stores the response in one transaction. The respondent's path writes no audit row: an audit
row has a time and would link the code's use to the response.
"""

import collections
import datetime
import re
import secrets
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.organisations.models import Group, Membership
from ungkultur.surveys import bank, conditions
from ungkultur.surveys.models import (
    LANGUAGE_CODES,
    AccessCode,
    AccessCodeBatch,
    AnswerDraft,
    Choice,
    ChoiceList,
    GridItem,
    InformationLetter,
    OpenLink,
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
from ungkultur.surveys.selectors import questionnaire_structure

# Variable names that SPSS and Stata take as they are (Stata allows 32 characters).
VARIABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
VARIABLE_NAME_RULE = gettext_lazy(
    "Variabelnavnet må begynne med en bokstav og ha bare bokstavene a–z, tall og _ (høyst 32 "
    "tegn), så det kan brukes i SPSS og Stata."
)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed by hand
CODE_LENGTH = 10
MAX_BATCH = 2000
TEXT_LIMITS = {Question.Type.SHORT_TEXT: 300, Question.Type.LONG_TEXT: 5000}


class Frozen(ValidationError):
    """The questionnaire is frozen (a wave has opened) and cannot change."""


class CodeRefused(ValidationError):
    """The access code is unknown, withdrawn or already used."""


def _ensure_draft(questionnaire):
    if questionnaire.is_frozen:
        raise Frozen(
            _("Spørreskjemaet er låst fordi en runde er åpnet. Lag en kopi for å endre det.")
        )


def _next_position(queryset):
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


# --- Questionnaire ------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_create(*, actor, title, languages=None, now) -> Questionnaire:
    questionnaire = Questionnaire(
        title=title, languages=languages or ["nb", "nn", "en"], created_by=actor, created_at=now
    )
    questionnaire.full_clean()
    questionnaire.save()
    Section.objects.create(
        questionnaire=questionnaire, name="del1", label_nb=_("Del 1"), position=1
    )
    audit_record(actor=actor, action="surveys.questionnaire_create", obj=questionnaire, at=now)
    return questionnaire


@transaction.atomic
def questionnaire_update(*, actor, questionnaire, now, **fields) -> Questionnaire:
    _ensure_draft(questionnaire)
    for key, value in fields.items():
        setattr(questionnaire, key, value)
    questionnaire.full_clean()
    questionnaire.save()
    audit_record(
        actor=actor,
        action="surveys.questionnaire_update",
        obj=questionnaire,
        at=now,
        changes={k: str(v) for k, v in fields.items()},
    )
    return questionnaire


@transaction.atomic
def section_save(*, actor, section, now) -> Section:
    _ensure_draft(section.questionnaire)
    if section.pk is None:
        section.position = _next_position(section.questionnaire.sections.all())
    if section.relevant.strip():
        _check_expression(section.questionnaire, section.relevant, field="relevant")
    section.full_clean()
    section.save()
    audit_record(actor=actor, action="surveys.section_save", obj=section, at=now)
    return section


@transaction.atomic
def section_delete(*, actor, section, now) -> None:
    _ensure_draft(section.questionnaire)
    if section.questionnaire.sections.count() == 1:
        raise ValidationError(_("Et spørreskjema må ha minst én del."))
    audit_record(actor=actor, action="surveys.section_delete", obj=section, at=now)
    section.delete()


def _move(obj, siblings, direction):
    ordered = list(siblings.order_by("position", "pk"))
    index = ordered.index(obj)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def section_move(*, actor, section, direction, now) -> None:
    _ensure_draft(section.questionnaire)
    _move(section, section.questionnaire.sections.all(), direction)
    audit_record(
        actor=actor,
        action="surveys.section_move",
        obj=section,
        at=now,
        changes={"direction": direction},
    )


def _known_variables(questionnaire, exclude_question=None):
    names = set(
        Question.objects.filter(questionnaire=questionnaire)
        .exclude(type=Question.Type.LIKERT_GRID)
        .values_list("name", flat=True)
    )
    names |= set(
        GridItem.objects.filter(question__questionnaire=questionnaire).values_list(
            "name", flat=True
        )
    )
    return names


def _check_expression(questionnaire, text, *, field, extra=()):
    try:
        conditions.check(text, known=_known_variables(questionnaire) | set(extra))
    except conditions.ConditionError as error:
        raise ValidationError({field: str(error)}) from error


def _check_name_free(question_or_item, questionnaire):
    """A variable name is unique among the questionnaire's questions and grid items."""
    name = question_or_item.name
    if not VARIABLE_NAME.match(name):
        raise ValidationError({"name": str(VARIABLE_NAME_RULE)})
    questions = Question.objects.filter(questionnaire=questionnaire, name=name)
    items = GridItem.objects.filter(question__questionnaire=questionnaire, name=name)
    if isinstance(question_or_item, Question):
        questions = questions.exclude(pk=question_or_item.pk)
    else:
        items = items.exclude(pk=question_or_item.pk)
    if questions.exists() or items.exists():
        raise ValidationError(
            {"name": _("Variabelnavnet «%(name)s» er allerede i bruk.") % {"name": name}}
        )


@transaction.atomic
def question_save(*, actor, question, now) -> Question:
    """Create or change a question (the caller fills in the fields)."""
    questionnaire = question.section.questionnaire
    _ensure_draft(questionnaire)
    question.questionnaire = questionnaire
    if question.pk is None:
        question.position = _next_position(question.section.questions.all())
    if question.has_choices and question.choice_list_id is None:
        raise ValidationError({"choice_list": _("Velg en liste med svaralternativer.")})
    if not question.has_choices:
        question.choice_list = None
    if (
        question.pk
        and question.type != Question.Type.LIKERT_GRID
        and GridItem.objects.filter(question=question).exists()
    ):
        raise ValidationError(
            {"type": _("Slett påstandene i rutenettet før du gjør det til en annen type.")}
        )
    if question.choice_list_id and question.choice_list.questionnaire_id != questionnaire.pk:
        raise ValidationError({"choice_list": _("Listen hører til et annet spørreskjema.")})
    _check_name_free(question, questionnaire)
    if question.relevant.strip():
        _check_expression(questionnaire, question.relevant, field="relevant")
    if question.constraint.strip():
        _check_expression(questionnaire, question.constraint, field="constraint")
    if question.type == Question.Type.CALCULATE:
        # Only an imported form has one (the builder has no field for the calculation): the
        # export would not pass pyxform without it.
        if not question.calculation.strip():
            raise ValidationError(
                {"type": _("En beregning kan bare komme fra et importert XLSForm-skjema.")}
            )
        _check_expression(questionnaire, question.calculation, field="type")
    question.full_clean()
    question.save()
    audit_record(actor=actor, action="surveys.question_save", obj=question, at=now)
    return question


def condition_warnings(questionnaire, text: str) -> list[str]:
    """What a condition tests that can never hold: a choice value its question's list does not
    have (``${kjonn} = '7'``, ``selected(${aktiviteter}, '9')``). Warnings, not errors: the
    list may be about to get the value."""
    if not text.strip():
        return []
    try:
        tree = conditions.parse(text)
    except conditions.ConditionError:
        return []
    values = {}
    for q in questionnaire_structure(questionnaire).questions():
        if q.choices:
            for name in q.variables:
                values[name] = [v for v, _labels in q.choices]
    found = []

    def tested(node):
        if not isinstance(node, tuple):
            return
        if node[0] == "selected":
            yield node[1], node[2]
        if node[0] == "cmp" and node[1] in ("=", "!="):
            sides = (node[2], node[3])
            for var, const in (sides, sides[::-1]):
                if var[0] == "var" and const[0] in ("str", "num"):
                    value = const[1]
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    yield var[1], str(value)
        for part in node[1:]:
            yield from tested(part)

    for name, value in tested(tree):
        if name in values and value not in values[name]:
            found.append(
                _(
                    "Vilkåret tester verdien «%(value)s» for «%(name)s», men listen har ikke "
                    "den verdien (den har %(values)s), så det blir aldri sant slik."
                )
                % {"value": value, "name": name, "values": ", ".join(values[name])}
            )
    return found


CONDITION_OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "selected")


@transaction.atomic
def question_condition_add(*, actor, question, variable, operator, value, now) -> Question:
    """Write a condition from the picker (question, operator, value) into ``relevant``,
    joined with "and" to what is there."""
    if operator not in CONDITION_OPERATORS:
        raise ValidationError({"operator": _("Velg en sammenligning.")})
    value = value.strip()
    if not value or "'" in value:
        raise ValidationError({"value": _("Skriv en verdi (uten apostrof).")})
    if operator == "selected":
        part = f"selected(${{{variable}}}, '{value}')"
    elif operator in ("=", "!="):
        part = f"${{{variable}}} {operator} '{value}'"
    elif re.fullmatch(r"-?\d+(\.\d+)?", value):
        part = f"${{{variable}}} {operator} {value}"
    else:
        raise ValidationError({"value": _("Større og mindre enn sammenligner bare tall.")})
    current = question.relevant.strip()
    question.relevant = f"{current} and {part}" if current else part
    return question_save(actor=actor, question=question, now=now)


@transaction.atomic
def choices_add_many(*, actor, choice_list, text: str, now) -> list:
    """Several choices at once, one a line: "value = label" or just the label (the value is
    then the next whole number). All or none."""
    _ensure_draft(choice_list.questionnaire)
    existing = list(choice_list.choices.all())
    taken = {c.value for c in existing}
    numbers = [int(v) for v in taken if re.fullmatch(r"\d{1,9}", v)]
    following = max(numbers, default=0) + 1
    position = _next_position(choice_list.choices.all())
    made, errors = [], []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"lines": _("Skriv minst ett svaralternativ.")})
    for number, line in enumerate(lines, start=1):
        value, sep, label = line.partition("=")
        if not sep:
            value, label = str(following), line
            following += 1
        value, label = value.strip(), label.strip()
        choice = Choice(
            choice_list=choice_list, value=value, label_nb=label, position=position + len(made)
        )
        try:
            choice.full_clean(validate_unique=False)
        except ValidationError as error:
            errors.append(
                _("Linje %(n)s: %(error)s") % {"n": number, "error": " ".join(error.messages)}
            )
            continue
        if value in taken:
            errors.append(
                _("Linje %(n)s: verdien «%(value)s» finnes allerede.")
                % {"n": number, "value": value}
            )
            continue
        taken.add(value)
        made.append(choice)
    if errors:
        raise ValidationError({"lines": errors})
    Choice.objects.bulk_create(made)
    audit_record(
        actor=actor,
        action="surveys.choices_add_many",
        obj=choice_list,
        at=now,
        changes={"values": [c.value for c in made]},
    )
    return made


@transaction.atomic
def question_delete(*, actor, question, now) -> None:
    _ensure_draft(question.questionnaire)
    audit_record(actor=actor, action="surveys.question_delete", obj=question, at=now)
    question.delete()


@transaction.atomic
def question_move(*, actor, question, direction, now) -> None:
    _ensure_draft(question.questionnaire)
    _move(question, question.section.questions.all(), direction)
    audit_record(
        actor=actor,
        action="surveys.question_move",
        obj=question,
        at=now,
        changes={"direction": direction},
    )


@transaction.atomic
def grid_item_save(*, actor, item, now) -> GridItem:
    questionnaire = item.question.questionnaire
    _ensure_draft(questionnaire)
    if item.question.type != Question.Type.LIKERT_GRID:
        raise ValidationError(_("Bare et rutenett har påstander."))
    if item.pk is None:
        item.position = _next_position(item.question.items.all())
    _check_name_free(item, questionnaire)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="surveys.grid_item_save", obj=item, at=now)
    return item


@transaction.atomic
def grid_item_delete(*, actor, item, now) -> None:
    _ensure_draft(item.question.questionnaire)
    audit_record(actor=actor, action="surveys.grid_item_delete", obj=item, at=now)
    item.delete()


@transaction.atomic
def choice_list_create(*, actor, questionnaire, name, now) -> ChoiceList:
    _ensure_draft(questionnaire)
    choice_list = ChoiceList(questionnaire=questionnaire, name=name)
    choice_list.full_clean()
    choice_list.save()
    audit_record(actor=actor, action="surveys.choice_list_create", obj=choice_list, at=now)
    return choice_list


@transaction.atomic
def choice_save(*, actor, choice, now) -> Choice:
    _ensure_draft(choice.choice_list.questionnaire)
    if choice.pk is None:
        choice.position = _next_position(choice.choice_list.choices.all())
    choice.full_clean()
    choice.save()
    audit_record(actor=actor, action="surveys.choice_save", obj=choice, at=now)
    return choice


@transaction.atomic
def choice_move(*, actor, choice, direction, now) -> None:
    _ensure_draft(choice.choice_list.questionnaire)
    _move(choice, choice.choice_list.choices.all(), direction)
    audit_record(
        actor=actor,
        action="surveys.choice_move",
        obj=choice,
        at=now,
        changes={"direction": direction},
    )


@transaction.atomic
def choice_delete(*, actor, choice, now) -> None:
    _ensure_draft(choice.choice_list.questionnaire)
    audit_record(actor=actor, action="surveys.choice_delete", obj=choice, at=now)
    choice.delete()


@transaction.atomic
def question_add_from_bank(*, actor, section, key, now) -> Question:
    """Copy a bank item into a section; its choice list is shared if one of the name exists."""
    item = bank.BY_KEY[key]
    questionnaire = section.questionnaire
    _ensure_draft(questionnaire)
    choice_list = _bank_choice_list(questionnaire, item) if item.list_name else None
    name = _free_name(questionnaire, item.name)
    question = question_save(
        actor=actor,
        question=Question(
            section=section,
            name=name,
            type=item.type,
            label_nb=item.nb,
            label_nn=item.nn,
            label_en=item.en,
            choice_list=choice_list,
            allow_decimals=item.allow_decimals,
            constraint=item.constraint,
            bank_key=item.key,
        ),
        now=now,
    )
    for i, (row_name, nb, nn, en) in enumerate(item.items, start=1):
        GridItem.objects.create(
            question=question,
            name=_free_name(questionnaire, row_name),
            label_nb=nb,
            label_nn=nn,
            label_en=en,
            position=i,
        )
    return question


def _bank_choice_list(questionnaire, item):
    """The questionnaire's list of this name if it holds the same choices, else a new list."""
    wanted = [(c.value, c.nb) for c in item.choices]
    lists = {cl.name: cl for cl in questionnaire.choice_lists.prefetch_related("choices")}
    name, n = item.list_name, 1
    while name in lists:
        if [(c.value, c.label_nb) for c in lists[name].choices.all()] == wanted:
            return lists[name]
        n += 1
        name = f"{item.list_name}_{n}"
    choice_list = ChoiceList.objects.create(questionnaire=questionnaire, name=name)
    Choice.objects.bulk_create(
        Choice(
            choice_list=choice_list,
            value=c.value,
            label_nb=c.nb,
            label_nn=c.nn,
            label_en=c.en,
            position=i,
        )
        for i, c in enumerate(item.choices, start=1)
    )
    return choice_list


def _free_name(questionnaire, name):
    taken = _known_variables(questionnaire) | set(
        Question.objects.filter(questionnaire=questionnaire).values_list("name", flat=True)
    )
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


# --- Youth co-design ----------------------------------------------------------------------------


@transaction.atomic
def questionnaire_share(*, actor, questionnaire, group, now) -> QuestionnaireShare:
    _ensure_draft(questionnaire)
    if group.kind != Group.Kind.YOUTH_RESOURCE_GROUP:
        raise ValidationError(_("Et utkast kan bare deles med en ressursgruppe for ungdom."))
    share, created = QuestionnaireShare.objects.get_or_create(
        questionnaire=questionnaire, group=group, defaults={"shared_by": actor, "shared_at": now}
    )
    if created:
        _notify_group_of_share(questionnaire, group, now)
    audit_record(
        actor=actor,
        action="surveys.questionnaire_share",
        obj=questionnaire,
        at=now,
        changes={"group": group.pk},
    )
    return share


def _notify_group_of_share(questionnaire, group, now):
    url = settings.SITE_URL + reverse("surveys:comments", args=[questionnaire.pk])
    members = Membership.objects.active_on(now.date()).filter(group=group).select_related("user")
    for membership in members:
        subject = _("Si hva dere mener om spørsmålene i «%(title)s»") % {
            "title": questionnaire.title
        }
        body = _(
            "Hei, %(name)s!\n\n%(group)s er bedt om å kommentere et utkast til en "
            "spørreundersøkelse for unge: «%(title)s». Er spørsmålene lette å forstå? Mangler "
            "noe? Skriv en kommentar til hvert spørsmål her: %(url)s\n"
        ) % {
            "name": membership.user.public_name,
            "group": group.name,
            "title": questionnaire.title,
            "url": url,
        }
        transaction.on_commit(
            partial(send_email.enqueue, subject=subject, body=body, to=[membership.user.email])
        )


@transaction.atomic
def question_comment_add(*, actor, question, group, body, now) -> QuestionComment:
    if question.questionnaire.is_frozen:
        raise Frozen(_("Spørreskjemaet er låst, og det kan ikke lenger kommenteres."))
    if not body.strip():
        raise ValidationError({"body": _("Skriv en kommentar.")})
    comment = QuestionComment(
        question=question, group=group, author=actor, body=body.strip(), created_at=now
    )
    comment.full_clean()
    comment.save()
    return comment


REPLY_MAX = 2000


@transaction.atomic
def question_comment_reply(*, actor, comment, reply: str, now) -> QuestionComment:
    """The researchers' answer to a youth comment (shown to its author on Min side). Written
    again, it replaces the earlier answer. Allowed after the questionnaire is locked too."""
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Skriv et svar.")})
    if len(reply) > REPLY_MAX:
        raise ValidationError(
            {"reply": _("Svaret kan ha høyst %(max)s tegn.") % {"max": REPLY_MAX}}
        )
    comment = QuestionComment.objects.select_for_update().get(pk=comment.pk)
    comment.reply, comment.replied_by, comment.replied_at = reply, actor, now
    comment.save(update_fields=["reply", "replied_by", "replied_at"])
    audit_record(
        actor=actor,
        action="surveys.question_comment_reply",
        obj=comment,
        at=now,
        changes={"reply": reply},
    )
    return comment


@transaction.atomic
def question_comment_resolve(*, actor, comment, resolved: bool, now) -> QuestionComment:
    """Mark a youth comment as dealt with (or open it again)."""
    comment = QuestionComment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_resolved == resolved:
        return comment
    comment.resolved_at = now if resolved else None
    comment.save(update_fields=["resolved_at"])
    audit_record(
        actor=actor,
        action="surveys.question_comment_resolve"
        if resolved
        else "surveys.question_comment_reopen",
        obj=comment,
        at=now,
        changes={"resolved": resolved},
    )
    return comment


# --- Surveys and waves --------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, actor, title, questionnaire, description="", title_nn="", title_en="", now
) -> Survey:
    survey = Survey(
        title=title,
        title_nn=title_nn,
        title_en=title_en,
        questionnaire=questionnaire,
        description=description,
        created_by=actor,
        created_at=now,
    )
    survey.full_clean()
    survey.save()
    audit_record(actor=actor, action="surveys.survey_create", obj=survey, at=now)
    return survey


@transaction.atomic
def wave_create(*, actor, survey, identifier, title, opens_on=None, closes_on=None, now) -> Wave:
    wave = Wave(
        survey=survey, identifier=identifier, title=title, opens_on=opens_on, closes_on=closes_on
    )
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("Runden kan ikke stenge før den åpner.")})
    wave.full_clean()
    wave.save()
    audit_record(actor=actor, action="surveys.wave_create", obj=wave, at=now)
    return wave


@transaction.atomic
def wave_open(*, actor, wave, now) -> Wave:
    """Open a wave; its questionnaire is frozen from now on."""
    wave = Wave.objects.select_for_update().select_related("survey__questionnaire").get(pk=wave.pk)
    if wave.status != Wave.Status.PLANNED:
        raise ValidationError(_("Bare en planlagt runde kan åpnes."))
    questionnaire = Questionnaire.objects.select_for_update().get(pk=wave.survey.questionnaire_id)
    if not questionnaire.questions.exists():
        raise ValidationError(_("Spørreskjemaet har ingen spørsmål ennå."))
    if not questionnaire.is_frozen:
        questionnaire.status = Questionnaire.Status.FROZEN
        questionnaire.frozen_at = now
        questionnaire.save(update_fields=["status", "frozen_at"])
        audit_record(actor=actor, action="surveys.questionnaire_freeze", obj=questionnaire, at=now)
    wave.status = Wave.Status.OPEN
    wave.opens_on = wave.opens_on or now.date()
    wave.save(update_fields=["status", "opens_on"])
    audit_record(actor=actor, action="surveys.wave_open", obj=wave, at=now)
    return wave


@transaction.atomic
def wave_close(*, actor, wave, now) -> Wave:
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.status != Wave.Status.OPEN:
        raise ValidationError(_("Bare en åpen runde kan stenges."))
    wave.status = Wave.Status.CLOSED
    wave.closes_on = now.date()
    wave.save(update_fields=["status", "closes_on"])
    audit_record(actor=actor, action="surveys.wave_close", obj=wave, at=now)
    # What still waits is moved now, however few (PendingResponse).
    transaction.on_commit(partial(_enqueue_move, wave_id=wave.pk, leftovers=True))
    return wave


# --- Access codes, open links, information letters ----------------------------------------------


def code_normalise(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def code_hash(raw: str) -> str:
    """Keyed hash of a code: the database alone does not give away unused codes."""
    return salted_hmac(
        "ungkultur.surveys.access_code", code_normalise(raw), algorithm="sha256"
    ).hexdigest()


def code_format(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _code_new():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def code_batch_create(
    *, actor, wave, municipality, count, school="", class_label="", class_size=None, now
) -> tuple[AccessCodeBatch, list[str]]:
    """Make ``count`` one-time codes. The codes in clear are returned once, for printing."""
    wave = Wave.objects.get(pk=wave.pk)
    if wave.status == Wave.Status.CLOSED:
        raise ValidationError(_("Runden er stengt."))
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError(
            {"count": _("Antall koder må være mellom 1 og %(max)s.") % {"max": MAX_BATCH}}
        )
    batch = AccessCodeBatch(
        wave=wave,
        municipality=municipality,
        school=school,
        class_label=class_label,
        count=count,
        class_size=class_size,
        created_by=actor,
        created_at=now,
    )
    batch.full_clean()
    batch.save()
    codes = set()
    while len(codes) < count:
        codes.add(_code_new())
    codes = sorted(codes)
    AccessCode.objects.bulk_create(AccessCode(batch=batch, code_hash=code_hash(c)) for c in codes)
    audit_record(
        actor=actor,
        action="surveys.code_batch_create",
        obj=batch,
        at=now,
        changes={"count": count},
    )
    return batch, [code_format(c) for c in codes]


@transaction.atomic
def code_batch_void(*, actor, batch, now) -> AccessCodeBatch:
    """Withdraw a batch (lost sheets): its unused codes stop working."""
    batch.voided_at = now
    batch.save(update_fields=["voided_at"])
    audit_record(actor=actor, action="surveys.code_batch_void", obj=batch, at=now)
    return batch


@transaction.atomic
def open_link_create(*, actor, wave, municipality, label, now) -> OpenLink:
    wave = Wave.objects.get(pk=wave.pk)
    if wave.status == Wave.Status.CLOSED:
        raise ValidationError(_("Runden er stengt."))
    link = OpenLink(
        wave=wave,
        municipality=municipality,
        label=label,
        token=secrets.token_urlsafe(12),
        created_by=actor,
        created_at=now,
    )
    link.full_clean()
    link.save()
    audit_record(actor=actor, action="surveys.open_link_create", obj=link, at=now)
    return link


@transaction.atomic
def open_link_deactivate(*, actor, link, now) -> OpenLink:
    link.active = False
    link.save(update_fields=["active"])
    audit_record(actor=actor, action="surveys.open_link_deactivate", obj=link, at=now)
    return link


@transaction.atomic
def information_letter_record(
    *, actor, wave, municipality, version, sent_on, batch=None, now
) -> InformationLetter:
    if batch is not None and batch.municipality_id != municipality.pk:
        raise ValidationError({"batch": _("Kodebunken hører til en annen kommune.")})
    letter = InformationLetter(
        wave=wave,
        municipality=municipality,
        batch=batch,
        version=version,
        sent_on=sent_on,
        recorded_by=actor,
    )
    letter.full_clean()
    letter.save()
    audit_record(actor=actor, action="surveys.information_letter_record", obj=letter, at=now)
    return letter


# --- Answering ----------------------------------------------------------------------------------


# Answers in progress are deleted this long after they began (docs/privacy.md: abandoned ones go).
DRAFT_HOURS = 24


def answer_draft_start(*, questionnaire, wave=None, lang, now) -> AnswerDraft:
    """Begin answers in progress under a random id; ``wave`` None is a preview."""
    draft = AnswerDraft(
        id=secrets.token_urlsafe(32),
        questionnaire=questionnaire,
        wave=wave,
        lang=lang,
        # To the hour: enough to purge a day later, too coarse to match a request log.
        started_hour=now.replace(minute=0, second=0, microsecond=0),
    )
    draft.save(force_insert=True)
    if wave is not None:
        _progress_add(wave.pk, WaveProgress.Kind.STARTED, 0, 1)
    return draft


def _progress_add(wave_id, kind, page, n):
    """Add ``n`` to one completion count (created at 0 first; safe when two add at once)."""
    WaveProgress.objects.bulk_create(
        [WaveProgress(wave_id=wave_id, kind=kind, page=page)], ignore_conflicts=True
    )
    WaveProgress.objects.filter(wave_id=wave_id, kind=kind, page=page).update(count=F("count") + n)


def _progress_stopped(rows):
    """Count unsent drafts about to be deleted, ``(wave_id, page)`` each, by the page they
    were on (a preview has no wave and counts nothing)."""
    counts = collections.Counter((wave_id, page) for wave_id, page in rows if wave_id)
    for (wave_id, page), n in sorted(counts.items()):
        _progress_add(wave_id, WaveProgress.Kind.STOPPED, page, n)


def answer_draft_update(*, draft, page, answers=None, more=False) -> AnswerDraft:
    draft.page, draft.more = page, more
    if answers is not None:
        draft.answers = answers
    draft.save(update_fields=["page", "more", "answers"])
    return draft


def answer_draft_discard(*, draft_id: str) -> None:
    """The respondent starts again or gives up: their answers in progress are deleted."""
    if draft_id:
        with transaction.atomic():
            drafts = AnswerDraft.objects.filter(pk=draft_id)
            # Locked first, so that a draft sent meanwhile is not also counted as stopped.
            rows = list(drafts.select_for_update().values_list("wave_id", "page"))
            _progress_stopped(rows)
            drafts.delete()


def answer_draft_purge(*, now) -> int:
    """Delete answers in progress begun a day ago or more (abandoned); the number deleted."""
    cutoff = now - datetime.timedelta(hours=DRAFT_HOURS)
    with transaction.atomic():
        rows = list(
            AnswerDraft.objects.select_for_update()
            .filter(started_hour__lte=cutoff)
            .values_list("pk", "wave_id", "page")
        )
        _progress_stopped((wave_id, page) for _pk, wave_id, page in rows)
        deleted, _kinds = AnswerDraft.objects.filter(pk__in=[pk for pk, *_r in rows]).delete()
    return deleted


@sensitive_variables("raw")
def code_check(raw: str) -> AccessCode:
    """The unused code behind ``raw`` in an open wave, or CodeRefused (no lock: for the start)."""
    code = AccessCode.objects.select_related("batch__wave").filter(code_hash=code_hash(raw)).first()
    _refuse_unless_usable(code)
    return code


def _refuse_unless_usable(code, wave=None):
    if code is None or code.batch.voided_at or (wave and code.batch.wave_id != wave.pk):
        raise CodeRefused(
            _("Vi finner ikke denne koden. Sjekk at du har skrevet den riktig."), code="unknown"
        )
    if code.used:
        raise CodeRefused(
            _("Denne koden er allerede brukt. Hver kode kan bare brukes én gang."), code="used"
        )
    if wave is None and not code.batch.wave.takes_responses_on(timezone.localdate()):
        raise CodeRefused(_("Undersøkelsen er ikke åpen nå."), code="closed")


def _empty(value):
    return value is None or value == "" or value == []


def _clean_value(question, value):
    """The stored form of one answer, or ValidationError with the respondent's message."""
    kind = question.type
    if kind in (Question.Type.SINGLE, Question.Type.LIKERT, Question.Type.LIKERT_GRID):
        value = str(value)
        if value not in question.choice_values:
            raise ValidationError(_("Velg et av svaralternativene."))
        return value
    if kind == Question.Type.MULTIPLE:
        values = value.split() if isinstance(value, str) else value
        if not isinstance(values, list) or not set(map(str, values)) <= set(question.choice_values):
            raise ValidationError(_("Velg blant svaralternativene."))
        chosen = set(map(str, values))
        return [v for v in question.choice_values if v in chosen]
    if kind == Question.Type.NUMBER:
        try:
            number = (
                float(str(value).replace(",", ".").strip())
                if not isinstance(value, int | float)
                else float(value)
            )
        except ValueError:
            raise ValidationError(_("Skriv et tall.")) from None
        if isinstance(value, bool) or number != number or abs(number) > 1e9:
            raise ValidationError(_("Skriv et tall."))
        if not question.allow_decimals:
            if not number.is_integer():
                raise ValidationError(_("Skriv et helt tall."))
            return int(number)
        return number
    if kind in (Question.Type.DATE, Question.Type.TIME):
        return _clean_moment(kind, value)
    text = str(value).strip()
    if len(text) > TEXT_LIMITS[kind]:
        raise ValidationError(
            _("Svaret kan være høyst %(n)s tegn langt.") % {"n": TEXT_LIMITS[kind]}
        )
    return text


def _clean_moment(kind, value):
    """A date as YYYY-MM-DD, a time as HH:MM (what a date or time input sends)."""
    text = str(value).strip()
    try:
        if kind == Question.Type.DATE:
            return datetime.date.fromisoformat(text).isoformat()
        return datetime.time.fromisoformat(text).strftime("%H:%M")
    except ValueError:
        if kind == Question.Type.DATE:
            raise ValidationError(_("Skriv en dato (dd.mm.åååå).")) from None
        raise ValidationError(_("Skriv et klokkeslett (tt:mm).")) from None


def answers_clean(structure, raw: dict, *, lang="nb") -> dict:
    """The answers to store: only relevant questions, values in their stored form.

    Raises ValidationError({variable: message}) for a missing required answer, a value that
    does not fit, a failed constraint or an unknown variable.
    """
    if not isinstance(raw, dict):
        raise ValidationError(_("Svarene må være et objekt med variabelnavn som nøkler."))
    known = set(structure.variables())
    errors = {name: _("Ukjent variabel.") for name in raw if name not in known}
    clean = {}
    for section in structure.sections:
        _clean_section(section, clean, raw, errors, lang)
    if errors:
        raise ValidationError(errors)
    return clean


def page_clean(structure, index: int, *, earlier: dict, raw: dict, shown, lang="nb") -> dict:
    """The clean answers of one page (section ``index``), given the answers before it.

    Only the questions ``shown`` on the page are checked: one that an answer on this very
    page has just made relevant is shown next, not held against the respondent.
    """
    clean, errors = dict(earlier), {}
    _clean_section(structure.sections[index], clean, raw, errors, lang, shown=shown)
    if errors:
        raise ValidationError(errors)
    return {k: v for k, v in clean.items() if k not in earlier}


def page_keep(structure, index: int, *, earlier: dict, raw: dict, shown) -> dict:
    """What the respondent entered on page ``index`` before going back: every value that fits
    its question, without the required and constraint checks (those come on "Neste")."""
    kept = {}
    section = structure.sections[index]
    for question in section.questions:
        if question.name not in shown:
            continue
        for name in question.variables:
            value = raw.get(name)
            if _empty(value):
                continue
            try:
                kept[name] = _clean_value(question, value)
            except ValidationError:
                continue
    return kept


def section_visible(section, answers) -> bool:
    return not section.relevant or conditions.evaluate(section.relevant, answers)


def visible_questions(section, answers):
    """The questions these answers show, each with the choices its choice_filter lets
    through; a filtered question with no choice left is not shown (as if not relevant)."""
    found = []
    for q in section.questions:
        if q.relevant and not conditions.evaluate(q.relevant, answers):
            continue
        q = q.filtered(answers)
        if q.choice_filter is not None and not q.choices:
            continue
        found.append(q)
    return found


def _clean_section(section, clean, raw, errors, lang, shown=None):
    if not section_visible(section, clean):
        return
    for question in section.questions:
        if question.type == Question.Type.CALCULATE:
            # Computed from the answers before it, never taken from what is posted.
            clean.pop(question.name, None)
            if question.calculation is None or (
                question.relevant and not conditions.evaluate(question.relevant, clean)
            ):
                continue
            value = conditions.calculate(question.calculation, clean)
            if value is not None:
                clean[question.name] = value
            continue
        if shown is not None and question.name not in shown:
            continue
        if question.relevant and not conditions.evaluate(question.relevant, clean):
            continue
        question = question.filtered(clean)
        if question.choice_filter is not None and not question.choices:
            continue
        for name in question.variables:
            value = raw.get(name)
            if _empty(value):
                if question.required:
                    errors[name] = _("Du må svare på dette spørsmålet.")
                continue
            try:
                value = _clean_value(question, value)
            except ValidationError as error:
                errors[name] = error.messages[0]
                continue
            if question.constraint and not conditions.evaluate(
                question.constraint, clean, current=value
            ):
                errors[name] = question.constraint_messages.get(lang) or _("Svaret er ikke gyldig.")
                continue
            clean[name] = value


# A response's id is drawn at random, so that ids say nothing about the order of submission
# (which web-server logs could match to people). Below 2**53 so that JSON numbers hold it; a
# clash is about one in 10**10 at a million rows and would fail that one submission only.
RESPONSE_ID_RANGE = (2**40, 2**53)


def _response_id() -> int:
    low, high = RESPONSE_ID_RANGE
    return low + secrets.randbelow(high - low)


# An error report shows no answer and no code (docs/privacy.md).
@sensitive_variables()
def response_submit(
    *,
    wave,
    answers: dict,
    code: str = "",
    code_digest: str = "",
    open_link=None,
    today: datetime.date,
    lang="nb",
    draft=None,
) -> PendingResponse:
    """Store one anonymous response: with a one-time code (used up here) or an open link.
    It waits as a PendingResponse until its group is moved into Response (see there).

    The answer pages keep only the code's hash (``code_digest``) while the respondent answers;
    their ``draft`` is deleted with the same commit that stores the response.
    """
    code_digest = code_digest or (code_hash(code) if code else "")
    if not wave.takes_responses_on(today):
        raise ValidationError(_("Undersøkelsen er ikke åpen nå."))
    structure = questionnaire_structure(wave.survey.questionnaire)
    clean = answers_clean(structure, answers, lang=lang)
    with transaction.atomic():
        if code_digest:
            access = (
                AccessCode.objects.select_for_update(of=("self",))
                .select_related("batch")
                .filter(code_hash=code_digest)
                .first()
            )
            _refuse_unless_usable(access, wave=wave)
            access.used = True
            access.save(update_fields=["used"])
            municipality_id, channel = access.batch.municipality_id, Response.Channel.CODE
        elif open_link is not None and open_link.active and open_link.wave_id == wave.pk:
            municipality_id, channel = open_link.municipality_id, Response.Channel.OPEN_LINK
        else:
            raise CodeRefused(_("Du trenger en kode eller en åpen lenke for å svare."))
        if draft is not None:
            draft.delete()
        # Not a Response yet: on PostgreSQL this row shares its transaction id (xmin) with the
        # code just used; the group is moved on once it is large enough (PendingResponse).
        pending = PendingResponse.objects.create(
            id=_response_id(),
            wave=wave,
            municipality_id=municipality_id,
            submitted_on=today,
            channel=channel,
            language=lang if lang in LANGUAGE_CODES else "",
            answers=clean,
        )
        group = PendingResponse.objects.filter(
            wave=wave, municipality_id=municipality_id, channel=channel
        )
        # Counted only up to n, so that a backlog (a stopped worker) does not slow sending.
        if group[: settings.UNGKULTUR_DISCLOSURE_MIN_N].count() >= (
            settings.UNGKULTUR_DISCLOSURE_MIN_N
        ):
            transaction.on_commit(partial(_enqueue_move, wave_id=wave.pk))
        return pending


def _enqueue_move(*, wave_id, leftovers=False):
    from ungkultur.surveys.tasks import move_pending_responses

    move_pending_responses.enqueue(wave_id=wave_id, leftovers=leftovers)


def pending_responses_move(*, wave_id: int, leftovers: bool = False) -> int:
    """Move the waiting responses of a wave into ``Response``: every group (municipality and
    channel) with at least n, or every group with ``leftovers`` (a wave that no longer takes
    responses). One transaction, so the moved rows share one xmin; in random order with new
    random ids, so neither their place on disk nor their ids tell the order they were sent in.
    Returns how many were moved.

    Safe to run twice at once: movers of a wave take turns on the wave's row (PostgreSQL; SQLite
    writes one at a time), so a second finds only what the first left, and a group is never
    split between two movers. NO KEY, so that sending (which only refers to the wave) does not
    wait for a move.
    """
    minimum = 1 if leftovers else settings.UNGKULTUR_DISCLOSURE_MIN_N
    with transaction.atomic():
        list(Wave.objects.select_for_update(no_key=True).filter(pk=wave_id).values_list("pk"))
        rows = list(
            PendingResponse.objects.select_for_update()
            .filter(wave_id=wave_id)
            .values("id", "municipality_id", "submitted_on", "channel", "language", "answers")
        )
        groups: dict = {}
        for row in rows:
            groups.setdefault((row["municipality_id"], row["channel"]), []).append(row)
        moving = [row for group in groups.values() if len(group) >= minimum for row in group]
        if not moving:
            return 0
        ids = [row.pop("id") for row in moving]
        deleted, _kinds = PendingResponse.objects.filter(pk__in=ids).delete()
        if deleted != len(ids):  # cannot happen under the locks; never store a row twice
            transaction.set_rollback(True)
            return 0
        _shuffle(moving)
        Response.objects.bulk_create(
            [Response(id=_response_id(), wave_id=wave_id, **row) for row in moving],
            batch_size=1000,
        )
    return len(moving)


_shuffle = secrets.SystemRandom().shuffle


def pending_responses_move_all(*, today: datetime.date) -> int:
    """The hourly backstop (``purge_survey_drafts``): move what a lost task left behind, and
    everything still waiting in a wave that no longer takes responses."""
    moved = 0
    for wave in Wave.objects.filter(pending_responses__isnull=False).distinct():
        moved += pending_responses_move(
            wave_id=wave.pk, leftovers=not wave.takes_responses_on(today)
        )
    return moved
