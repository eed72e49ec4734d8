"""Writes for evaluations, success stories, the final report and the project's money.

An answer (one municipality's project-group part or youth part of a round) moves DRAFT →
SUBMITTED; the municipality may ask to have it reopened, and a national role reopens it (back
to DRAFT). Every service is keyword-only, runs in one transaction, calls ``full_clean()`` and
writes an audit row. Permission checks are the views'.
"""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.accounts.models import Consent, consent_age_limit
from ungkultur.accounts.selectors import age_at, consent_acting_as
from ungkultur.core.money import kroner
from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.evaluations.models import (
    Allocation,
    Answer,
    AnswerText,
    Comment,
    FinalReport,
    Frame,
    NamedInYouthPart,
    Payment,
    PositionShare,
    Question,
    Round,
    Story,
    UseEntry,
)
from ungkultur.evaluations.pictures import clean_picture
from ungkultur.organisations.models import Membership
from ungkultur.organisations.selectors import LEADER_ROLES, roles_for
from ungkultur.participation.cache import notices_changed
from ungkultur.participation.models import Notification

User = get_user_model()

Topic = Question.Topic

# The questions a round asks unless the coordinators write their own (the KK project
# description's spring 2021 municipality meetings).
DEFAULT_QUESTIONS = {
    Topic.NEEDS: gettext_lazy(
        "Hvilke behov har kommunen nå i arbeidet med koordinert kulturarbeid?"
    ),
    Topic.GOOD_EXAMPLES: gettext_lazy(
        "Hvilke gode eksempler eller suksesshistorier vil dere løfte fram?"
    ),
    Topic.FOCUS_AREAS: gettext_lazy("Hvilke fokusområder har kommunen valgt, og hvorfor?"),
    Topic.OWNER_SUPPORT: gettext_lazy("Hvilken støtte ønsker dere fra eierorganisasjonene videre?"),
    Topic.OBSTACLES: gettext_lazy("Hva har vært de største hindringene?"),
    Topic.YOUTH_CHANGE: gettext_lazy("Hva har ungdomsmedvirkningen endret?"),
}


def _save(obj, *, actor, action: str, now, **changes):
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, at=now, changes=changes)
    return obj


def _whole_kroner(amount, field: str) -> None:
    if amount is None or amount < 0:
        raise ValidationError({field: _("Beløpet kan ikke være negativt.")})


# --- Evaluation rounds ----------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor,
    kind: str,
    title: str,
    intro: str = "",
    deadline: datetime.date | None = None,
    topics: list[str],
    own_question: str = "",
    now: datetime.datetime,
) -> Round:
    """Open a round with the chosen standard questions (and one of the coordinators' own)."""
    if not topics and not own_question.strip():
        raise ValidationError({"topics": _("Velg minst ett spørsmål, eller skriv et eget.")})
    round_ = _save(
        Round(kind=kind, title=title, intro=intro, deadline=deadline, opened_at=now,
              opened_by=actor),
        actor=actor, action="evaluations.round_open", now=now, kind=kind,
    )  # fmt: skip
    texts = [(topic, str(DEFAULT_QUESTIONS[topic])) for topic in topics]
    if own_question.strip():
        texts.append((Topic.OTHER, own_question.strip()))
    Question.objects.bulk_create(
        Question(round=round_, position=i, topic=topic, text=text)
        for i, (topic, text) in enumerate(texts, start=1)
    )
    return round_


@transaction.atomic
def round_close(*, actor, round: Round, now: datetime.datetime) -> Round:
    round.closed_at = now
    return _save(round, actor=actor, action="evaluations.round_close", now=now)


def _editable(answer: Answer) -> None:
    if not answer.round.is_open:
        raise ValidationError(_("Runden er lukket. Svar kan ikke endres."))
    if answer.status != Answer.Status.DRAFT:
        raise ValidationError(
            _("Svaret er sendt inn. Be om at det åpnes igjen hvis noe må endres.")
        )


@transaction.atomic
def answer_save(
    *,
    actor,
    round: Round,
    municipality,
    part: str,
    texts: dict[int, str],
    meeting=None,
    published: bool = False,
    now: datetime.datetime,
) -> Answer:
    """Save a draft of one part (the texts keyed by question id)."""
    answer, _created = Answer.objects.select_for_update().get_or_create(
        round=round, municipality=municipality, part=part, defaults={"updated_at": now}
    )
    _editable(answer)
    if meeting is not None and meeting.municipality_id != municipality.pk:
        raise ValidationError({"meeting": _("Velg et møte i egen kommune.")})
    questions = {q.pk for q in round.questions.all()}
    for question_id, text in texts.items():
        if question_id not in questions:
            raise ValidationError(_("Spørsmålet hører ikke til denne runden."))
        AnswerText.objects.update_or_create(
            answer=answer, question_id=question_id, defaults={"text": text.strip()}
        )
    answer.meeting = meeting
    answer.published = published
    answer.updated_at = now
    return _save(answer, actor=actor, action="evaluations.answer_save", now=now, part=part)


def _late(answer: Answer, now: datetime.datetime) -> bool:
    """Past the round's deadline, and not opened again for this municipality by a national
    role: such a part may be saved as a draft but not sent in."""
    return answer.round.past_deadline(timezone.localdate(now)) and answer.reopened_at is None


@transaction.atomic
def answer_submit(*, actor, answer: Answer, now: datetime.datetime) -> Answer:
    _editable(answer)
    if _late(answer, now):
        raise ValidationError(
            _(
                "Svarfristen var %(day)s. Be de nasjonale koordinatorene om å åpne runden for "
                "dere, så kan dere sende inn."
            )
            % {"day": date_format(answer.round.deadline, "DATE_FORMAT")}
        )
    if not answer.texts.exclude(text="").exists():
        raise ValidationError(_("Skriv svar på minst ett spørsmål før dere sender inn."))
    answer.status = Answer.Status.SUBMITTED
    answer.submitted_at = now
    answer.reopen_requested_at = None
    answer.reopen_reason = ""
    answer.updated_at = now
    return _save(answer, actor=actor, action="evaluations.answer_submit", now=now)


@transaction.atomic
def answer_request_reopen(*, actor, answer: Answer, reason: str, now: datetime.datetime) -> Answer:
    """Ask to have a submitted part opened again, or a draft opened after the deadline."""
    if answer.status != Answer.Status.SUBMITTED and not _late(answer, now):
        raise ValidationError(_("Bare innsendte svar kan åpnes igjen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor svaret må åpnes igjen.")})
    answer.reopen_requested_at = now
    answer.reopen_reason = reason.strip()
    return _save(answer, actor=actor, action="evaluations.answer_request_reopen", now=now)


@transaction.atomic
def answer_reopen(*, actor, answer: Answer, now: datetime.datetime) -> Answer:
    """Open a part again for its municipality: a submitted part goes back to draft; a draft
    past the deadline may be sent in. Either may then be sent in after the deadline."""
    if answer.status != Answer.Status.SUBMITTED and not _late(answer, now):
        raise ValidationError(_("Svaret er ikke sendt inn."))
    if not answer.round.is_open:
        raise ValidationError(_("Runden er lukket. Svar kan ikke åpnes igjen."))
    answer.reopened_at = now
    answer.status = Answer.Status.DRAFT
    answer.submitted_at = None
    answer.reopen_requested_at = None
    answer.updated_at = now
    return _save(answer, actor=actor, action="evaluations.answer_reopen", now=now)


@transaction.atomic
def comment_add(*, actor, answer: Answer, text: str, now: datetime.datetime) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Skriv en kommentar.")})
    return _save(
        Comment(answer=answer, author=actor, text=text.strip(), at=now),
        actor=actor, action="evaluations.comment_add", now=now, answer=answer.pk,
    )  # fmt: skip


@transaction.atomic
def themes_mark(
    *, actor, answer_text: AnswerText, themes: list[str], now: datetime.datetime
) -> AnswerText:
    cleaned = sorted({t.strip().lower() for t in themes if t.strip()})
    if any(len(t) > 60 for t in cleaned):
        raise ValidationError({"themes": _("Et tema kan ha høyst 60 tegn.")})
    before = answer_text.themes
    answer_text.themes = cleaned
    return _save(
        answer_text, actor=actor, action="evaluations.themes_mark", now=now,
        before=before, after=cleaned,
    )  # fmt: skip


def deadline_reminders_send(*, now: datetime.datetime) -> int:
    """Remind, once per round, the project leaders of the KK municipalities that have not sent
    in their project group's part, ``UNGKULTUR_EVALUATION_REMINDER_DAYS`` days before the
    deadline: an e-mail (sent when the transaction commits) and a notice on Min side per
    leader and municipality. Safe to run as often as wanted: a round is claimed by setting
    ``reminded_at`` before anything is sent."""
    today = timezone.localdate(now)
    due = today + datetime.timedelta(days=settings.UNGKULTUR_EVALUATION_REMINDER_DAYS)
    sent = 0
    rounds = Round.objects.filter(
        closed_at__isnull=True, reminded_at__isnull=True, deadline__gte=today, deadline__lte=due
    )
    for round_id in rounds.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Round.objects.filter(pk=round_id, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            round_ = Round.objects.get(pk=round_id)
            done = set(
                round_.answers.filter(
                    part=Answer.Part.PROJECT_GROUP, status=Answer.Status.SUBMITTED
                ).values_list("municipality_id", flat=True)
            )
            leaders = [
                (user, municipality)
                for user, municipality in _kk_project_leaders_by_municipality(now)
                if municipality.pk not in done
            ]
            for user, municipality in leaders:
                values = {
                    "name": user.public_name,
                    "title": round_.title,
                    "day": date_format(round_.deadline, "DATE_FORMAT"),
                    "url": settings.SITE_URL
                    + reverse("evaluations:municipality_rounds", args=[municipality.code]),
                }
                subject = _("Svarfristen for «%(title)s» er %(day)s") % values
                body = (
                    _(
                        "Hei, %(name)s!\n\nSvarfristen for evalueringen «%(title)s» er "
                        "%(day)s, og prosjektgruppen har ikke sendt inn svaret ennå. Etter "
                        "fristen kan dere bare sende inn hvis de nasjonale koordinatorene åpner "
                        "for dere.\n\n"
                        "Svar her: %(url)s\n"
                    )
                    % values
                )
                transaction.on_commit(
                    partial(send_email.enqueue, subject=subject, body=body, to=[user.email])
                )
            # And a notice on Min side, linking to the municipality's rounds (the e-mail above
            # says the same, so the daily digest leaves it out).
            Notification.objects.bulk_create(
                Notification(
                    user=user, kind=Notification.Kind.EVALUATION_DUE, evaluation_round=round_,
                    municipality=municipality, created_at=now, emailed_at=now,
                )
                for user, municipality in leaders
            )  # fmt: skip
            notices_changed(sorted({user.pk for user, _m in leaders}))
            audit_record(
                actor=None, action="evaluations.deadline_reminder", obj=round_, at=now,
                changes={"recipients": [user.pk for user, _m in leaders]},
            )  # fmt: skip
            sent += len(leaders)
    return sent


def _naming_as(*, actor, answer: Answer, youth, now: datetime.datetime) -> str:
    """As whom ``actor`` may name ``youth`` with the resource group's part: the youth from the
    age limit of ``Consent.Purpose.NAMED`` (15, a setting), below it a confirmed guardian."""
    if answer.part != Answer.Part.YOUTH:
        raise ValidationError(_("Bare ressursgruppas svar kan vise navn."))
    if answer.municipality_id not in roles_for(youth).youth_member_municipalities:
        raise ValidationError(_("Bare ungdom i kommunens ressursgruppe kan navngis med svaret."))
    given_by = consent_acting_as(actor=actor, subject=youth, purpose=Consent.Purpose.NAMED, now=now)
    if given_by is None:
        if actor.pk == youth.pk:
            raise ValidationError(
                _("Du er under %(age)s år, så en foresatt må samtykke til at navnet ditt vises.")
                % {"age": consent_age_limit(Consent.Purpose.NAMED)}
            )
        raise PermissionDenied
    return given_by


@transaction.atomic
def youth_name_give(*, actor, answer: Answer, youth, now: datetime.datetime) -> NamedInYouthPart:
    """Consent to name ``youth`` with the group's part (the youth, or a guardian under 15)."""
    given_by = _naming_as(actor=actor, answer=answer, youth=youth, now=now)
    named, created = NamedInYouthPart.objects.get_or_create(
        answer=answer,
        youth=youth,
        defaults={"given_by": given_by, "grantor": actor, "given_at": now,
                  "age_at_time": age_at(youth, now)},
    )  # fmt: skip
    if created:
        audit_record(
            actor=actor, action="evaluations.youth_name_give", obj=answer, at=now,
            changes={"youth": youth.pk, "given_by": given_by},
        )  # fmt: skip
    return named


@transaction.atomic
def youth_name_withdraw(*, actor, answer: Answer, youth, now: datetime.datetime) -> None:
    """Withdraw the consent: the youth always may, a guardian while deciding for the child."""
    if actor.pk != youth.pk and (
        consent_acting_as(actor=actor, subject=youth, purpose=Consent.Purpose.NAMED, now=now)
        is None
    ):
        raise PermissionDenied
    deleted, _rows = NamedInYouthPart.objects.filter(answer=answer, youth=youth).delete()
    if deleted:
        audit_record(
            actor=actor, action="evaluations.youth_name_withdraw", obj=answer, at=now,
            changes={"youth": youth.pk},
        )  # fmt: skip


# --- Success stories ------------------------------------------------------------------------------


@transaction.atomic
def story_publish(
    *,
    actor,
    municipality,
    title: str,
    what: str,
    who: str,
    outcome: str,
    collaboration_model=None,
    tags: list[str],
    shows_people: bool,
    consent: str = "",
    picture=None,
    picture_alt: str = "",
    picture_shows_people: bool = False,
    picture_consent: bool = False,
    now: datetime.datetime,
) -> Story:
    """Publish a story. A story that names or shows a person needs their recorded consent; a
    picture needs a text for those who cannot see it, and a picture of people the confirmation
    that everyone on it consented (a guardian for a child under 15) besides the written
    consent. The picture is saved without its metadata (pictures.py)."""
    clean = None
    if picture is not None:
        if not picture_alt.strip():
            raise ValidationError(
                {"picture_alt": _("Skriv hva bildet viser, for dem som ikke kan se det.")}
            )
        if picture_shows_people and not picture_consent:
            raise ValidationError(
                {
                    "picture_consent": _(
                        "Bildet viser personer. Bekreft at alle på bildet har samtykket (for "
                        "barn under 15: foresatte), eller velg et annet bilde."
                    )
                }
            )
        clean = clean_picture(picture)
        shows_people = shows_people or picture_shows_people
    if shows_people and not consent.strip():
        raise ValidationError(
            {
                "consent": _(
                    "Historien navngir eller viser personer. Skriv hvem som har samtykket og "
                    "hvordan, eller fjern navn og bilder."
                )
            }
        )
    story = Story(
        municipality=municipality, title=title, what=what, who=who, outcome=outcome,
        collaboration_model=collaboration_model,
        tags=sorted({t.strip().lower() for t in tags if t.strip()}),
        shows_people=shows_people, consent=consent.strip() if shows_people else "",
        picture_alt=picture_alt.strip() if clean else "",
        picture_shows_people=bool(clean) and picture_shows_people,
        published_at=now, published_by=actor,
    )  # fmt: skip
    story.full_clean()  # before the file is written: a refused story leaves no file behind
    if clean is not None:
        story.picture.save(clean.name, clean, save=False)
    try:
        return _save(
            story, actor=actor, action="evaluations.story_publish", now=now,
            picture=bool(clean), picture_shows_people=story.picture_shows_people,
        )  # fmt: skip
    except Exception:
        if clean is not None:
            story.picture.delete(save=False)
        raise


@transaction.atomic
def story_withdraw(*, actor, story: Story, now: datetime.datetime) -> None:
    audit_record(actor=actor, action="evaluations.story_withdraw", obj=story, at=now)
    name = story.picture.name
    story.delete()
    if name:  # the picture goes with the story, once the deletion is committed
        storage = story.picture.storage
        transaction.on_commit(partial(storage.delete, name))


# --- The final report -----------------------------------------------------------------------------


@transaction.atomic
def report_save(
    *, actor, report: FinalReport | None, title: str, summary: str = "", lessons: str = "",
    recommendations: str = "", now: datetime.datetime,
) -> FinalReport:  # fmt: skip
    report = report or FinalReport()
    report.title, report.summary = title, summary
    report.lessons, report.recommendations = lessons, recommendations
    report.updated_at = now
    return _save(report, actor=actor, action="evaluations.report_save", now=now)


@transaction.atomic
def report_distribute(*, actor, report: FinalReport, now: datetime.datetime) -> FinalReport:
    """Distribute the report to the municipalities, once: the project leaders of every
    municipality in KK get a notice on Min side and an e-mail (sent when the transaction
    commits). A second call changes and sends nothing."""
    report = FinalReport.objects.select_for_update().get(pk=report.pk)
    if report.distributed_at is not None:
        return report
    report.distributed_at = now
    leaders = _kk_project_leaders(now)
    _save(
        report, actor=actor, action="evaluations.report_distribute", now=now,
        recipients=[user.pk for user in leaders],
    )  # fmt: skip
    Notification.objects.bulk_create(
        Notification(user=user, kind=Notification.Kind.FINAL_REPORT, created_at=now, emailed_at=now)
        for user in leaders
    )
    notices_changed([user.pk for user in leaders])
    url = settings.SITE_URL + reverse("evaluations:report")
    for user in leaders:
        subject = _("Sluttrapporten «%(title)s» er klar") % {"title": report.title}
        body = _(
            "Hei, %(name)s!\n\nSluttrapporten for koordinert kulturarbeid, «%(title)s», er "
            "distribuert til kommunene. Les den her: %(url)s\n"
        ) % {"name": user.public_name, "title": report.title, "url": url}
        transaction.on_commit(
            partial(send_email.enqueue, subject=subject, body=body, to=[user.email])
        )
    return report


def _kk_project_leaders_by_municipality(now: datetime.datetime) -> list[tuple]:
    """(user, municipality) for today's project leaders in KK with an address."""
    memberships = (
        Membership.objects.active_on(timezone.localdate(now))
        .filter(role__in=LEADER_ROLES, group__municipality__kk_active=True)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "group__municipality")
        .order_by("group__municipality__name", "user_id")
    )
    seen, found = set(), []
    for membership in memberships:
        key = (membership.user_id, membership.group.municipality_id)
        if key not in seen:
            seen.add(key)
            found.append((membership.user, membership.group.municipality))
    return found


def _kk_project_leaders(now: datetime.datetime) -> list:
    """The project leaders today of the municipalities in KK, each once, with an address."""
    ids = (
        Membership.objects.active_on(timezone.localdate(now))
        .filter(role__in=LEADER_ROLES, group__municipality__kk_active=True)
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk"))


# --- Money ----------------------------------------------------------------------------------------


@transaction.atomic
def frame_set(
    *, actor, year: int, amount: int, earmarked: int | None = None, now: datetime.datetime
) -> Frame:
    """Set a year's frame; half of it is earmarked to the municipalities unless said otherwise."""
    _whole_kroner(amount, "amount")
    if earmarked is None:
        earmarked = amount // 2
    _whole_kroner(earmarked, "earmarked")
    if earmarked > amount:
        raise ValidationError({"earmarked": _("Det øremerkede kan ikke være mer enn rammen.")})
    frame = Frame.objects.select_for_update().filter(year=year).first() or Frame(year=year)
    allocated = (frame.allocations.aggregate(s=Sum("amount"))["s"] or 0) if frame.pk else 0
    if allocated > earmarked:
        raise ValidationError(
            {
                "earmarked": _(
                    "Kommunene er allerede tildelt %(allocated)s, mer enn %(earmarked)s."
                )
                % {"allocated": kroner(allocated), "earmarked": kroner(earmarked)}
            }
        )
    before = {"amount": frame.amount, "earmarked": frame.earmarked} if frame.pk else {}
    frame.amount, frame.earmarked, frame.updated_at = amount, earmarked, now
    return _save(
        frame, actor=actor, action="evaluations.frame_set", now=now,
        before=before, after={"amount": amount, "earmarked": earmarked},
    )  # fmt: skip


@transaction.atomic
def allocation_set(
    *, actor, frame: Frame, municipality, amount: int, now: datetime.datetime
) -> Allocation:
    """Allocate to a municipality; all allocations of a year stay within the earmarked part."""
    _whole_kroner(amount, "amount")
    frame = Frame.objects.select_for_update().get(pk=frame.pk)
    others = (
        frame.allocations.exclude(municipality=municipality).aggregate(s=Sum("amount"))["s"] or 0
    )
    if others + amount > frame.earmarked:
        raise ValidationError(
            {
                "amount": _(
                    "Tildelingene blir %(total)s, mer enn de %(earmarked)s som er "
                    "øremerket kommunene i %(year)s."
                )
                % {
                    "total": kroner(others + amount),
                    "earmarked": kroner(frame.earmarked),
                    "year": frame.year,
                }
            }
        )
    allocation = Allocation.objects.filter(frame=frame, municipality=municipality).first()
    before = allocation.amount if allocation else None
    allocation = allocation or Allocation(frame=frame, municipality=municipality)
    allocation.amount = amount
    return _save(
        allocation, actor=actor, action="evaluations.allocation_set", now=now,
        before=before, after=amount,
    )  # fmt: skip


@transaction.atomic
def payment_record(
    *, actor, allocation: Allocation, paid_on: datetime.date, amount: int, now: datetime.datetime
) -> Payment:
    _whole_kroner(amount, "amount")
    paid = allocation.payments.aggregate(s=Sum("amount"))["s"] or 0
    if paid + amount > allocation.amount:
        raise ValidationError(
            {
                "amount": _("Utbetalingene blir mer enn de %(amount)s som er tildelt.")
                % {"amount": kroner(allocation.amount)}
            }
        )
    return _save(
        Payment(allocation=allocation, paid_on=paid_on, amount=amount),
        actor=actor, action="evaluations.payment_record", now=now, amount=amount,
    )  # fmt: skip


@transaction.atomic
def use_report(
    *, actor, allocation: Allocation, description: str, amount: int, now: datetime.datetime
) -> UseEntry:
    _whole_kroner(amount, "amount")
    if not description.strip():
        raise ValidationError({"description": _("Skriv hva pengene ble brukt til.")})
    return _save(
        UseEntry(allocation=allocation, description=description.strip(), amount=amount,
                 reported_at=now),
        actor=actor, action="evaluations.use_report", now=now, amount=amount,
    )  # fmt: skip


@transaction.atomic
def position_set(
    *,
    actor,
    frame: Frame,
    organisation,
    percent: int,
    yearly_cost: int,
    now: datetime.datetime,
) -> PositionShare:
    """An owner organisation's share of the positions in a year and what it costs a year."""
    if percent is None or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Stillingsprosenten må være mellom 0 og 100.")})
    _whole_kroner(yearly_cost, "yearly_cost")
    share = PositionShare.objects.filter(frame=frame, organisation=organisation).first()
    before = {"percent": share.percent, "yearly_cost": share.yearly_cost} if share else {}
    share = share or PositionShare(frame=frame, organisation=organisation)
    share.percent, share.yearly_cost = percent, yearly_cost
    return _save(
        share, actor=actor, action="evaluations.position_set", now=now,
        before=before, after={"percent": percent, "yearly_cost": yearly_cost},
    )  # fmt: skip
