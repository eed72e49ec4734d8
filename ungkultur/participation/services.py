"""Writes of participation: proposals and their answers, supports, comments, notifications and
digests, the youth budget and quick polls. Every function takes an explicit ``now``."""

import datetime
import secrets
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ungkultur.core.money import kroner
from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.lib.nicknames import nickname_problem
from ungkultur.organisations.models import Group, Membership
from ungkultur.organisations.selectors import roles_for
from ungkultur.participation.cache import notices_changed, proposals_changed
from ungkultur.participation.models import (
    Ballot,
    BudgetProject,
    BudgetRound,
    Comment,
    CommentReport,
    DigestSent,
    MunicipalitySettings,
    Notification,
    ParticipantProfile,
    Poll,
    PollAnswer,
    PollQuestion,
    PollResponse,
    Proposal,
    ProposalEvent,
    ProposalReminder,
    ProposalSupport,
    Service,
    local_date,
)

Status = Proposal.Status
DECISIONS = (Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.REJECTED)
# Where a proposal may go next. An answer is final; accepted ones move on to be carried out.
NEXT = {
    Status.SUBMITTED: (Status.CONSIDERING, *DECISIONS),
    Status.CONSIDERING: DECISIONS,
    Status.ACCEPTED: (Status.IN_PROGRESS, Status.IMPLEMENTED),
    Status.PARTLY_ACCEPTED: (Status.IN_PROGRESS, Status.IMPLEMENTED),
    Status.IN_PROGRESS: (Status.IMPLEMENTED,),
    Status.REJECTED: (),
    Status.IMPLEMENTED: (),
}
POLL_MAX_QUESTIONS = 5
POLL_MAX_CHOICES = 6
# No 0/O or 1/l/I: the short link is read off a screen and typed on a phone.
SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def _validate(obj):
    obj.full_clean()
    return obj


# --- Settings and profile -------------------------------------------------------------------


def answer_days_for(municipality) -> int:
    row = MunicipalitySettings.objects.filter(municipality=municipality).first()
    return row.answer_days if row else settings.UNGKULTUR_PARTICIPATION_ANSWER_DAYS


@transaction.atomic
def municipality_settings_update(*, actor, municipality, answer_days: int, now):
    row, _created = MunicipalitySettings.objects.get_or_create(municipality=municipality)
    before = row.answer_days
    row.answer_days = answer_days
    _validate(row).save()
    audit_record(
        actor=actor,
        action="participation.settings_update",
        obj=row,
        changes={"answer_days": [before, answer_days]},
        at=now,
    )
    return row


def shown_name(actor, *, municipality_id: int) -> str:
    """The name stored beside a comment on an open page (``author_name``).

    A youth is shown by the nickname they chose, or by no name at all (docs/privacy.md). Staff of
    the municipality and national roles answer for the municipality and keep their name.
    Proposals and budget projects come from youth only and store the nickname alone.
    """
    roles = roles_for(actor)
    if roles.national or municipality_id in roles.staff_municipalities:
        return actor.public_name
    return actor.nickname


def _shown_names_refresh(actor) -> None:
    """After a change of nickname: what the person wrote shows the new one (or none)."""
    for municipality_id in set(
        Proposal.objects.filter(author=actor).values_list("municipality_id", flat=True)
    ):
        proposals_changed(municipality_id)  # the cached public list shows the name
    Proposal.objects.filter(author=actor).update(author_name=actor.nickname)
    BudgetProject.objects.filter(author=actor).update(author_name=actor.nickname)
    comments = Comment.objects.filter(author=actor)
    for municipality_id in set(comments.values_list("proposal__municipality_id", flat=True)):
        comments.filter(proposal__municipality_id=municipality_id).update(
            author_name=shown_name(actor, municipality_id=municipality_id)
        )


@transaction.atomic
def profile_update(
    *, actor, school_municipality, email_digest: bool, nickname: str | None = None, now
) -> ParticipantProfile:
    """The youth's own choices: where they go to school (self-declared), e-mail digests and the
    nickname shown on open pages (``None`` leaves it as it is)."""
    changes = {
        "school_municipality": school_municipality.pk if school_municipality else None,
        "email_digest": email_digest,
    }
    if nickname is not None and nickname.strip() != actor.nickname:
        nickname = nickname.strip()
        problem = nickname_problem(nickname, first_name=actor.first_name, last_name=actor.last_name)
        if problem:
            raise ValidationError({"nickname": problem})
        changes["nickname"] = [actor.nickname, nickname]
        actor.nickname = nickname
        actor.save(update_fields=["nickname"])
        _shown_names_refresh(actor)
    profile, _created = ParticipantProfile.objects.get_or_create(user=actor)
    profile.school_municipality = school_municipality
    profile.email_digest = email_digest
    _validate(profile).save()
    audit_record(
        actor=actor,
        action="participation.profile_update",
        obj=profile,
        changes=changes,
        at=now,
    )
    actor.__dict__.pop("_ungkultur_school", None)
    return profile


# --- Proposals ------------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *, actor, municipality, title: str, text: str, category: str, services: list[str], now
) -> Proposal:
    unknown = set(services) - set(Service.values)
    if unknown:
        raise ValidationError({"services": _("Velg blant tjenestene i listen.")})
    proposal = Proposal(
        municipality=municipality,
        author=actor,
        # Only youth propose (participation.propose): shown by nickname or not at all.
        author_name=actor.nickname,
        title=title.strip(),
        text=text.strip(),
        category=category,
        services=[s for s in Service.values if s in services],
        submitted_at=now,
        answer_due=local_date(now) + datetime.timedelta(days=answer_days_for(municipality)),
    )
    _validate(proposal).save()
    ProposalEvent.objects.create(proposal=proposal, status=proposal.status, actor=actor, at=now)
    proposals_changed(municipality.pk)
    audit_record(
        actor=actor,
        action="participation.proposal_create",
        obj=proposal,
        changes={"municipality": municipality.pk, "answer_due": proposal.answer_due.isoformat()},
        at=now,
    )
    _remind(proposal, stage="new", kind=Notification.Kind.NEW_PROPOSAL, now=now)
    return proposal


def _change_status(*, actor, proposal: Proposal, status: str, note: str, now, changes=None):
    """Move the proposal on, leave a trail row and an audit row, tell author and supporters."""
    if status not in NEXT[proposal.status]:
        raise ValidationError(
            _("Et forslag med status «%(from)s» kan ikke få status «%(to)s».")
            % {"from": proposal.get_status_display(), "to": Status(status).label}
        )
    before = proposal.status
    proposal.status = status
    _validate(proposal).save()
    ProposalEvent.objects.create(
        proposal=proposal, status=status, previous_status=before, actor=actor, at=now, note=note
    )
    proposals_changed(proposal.municipality_id)
    audit_record(
        actor=actor,
        action=f"participation.proposal_{status}",
        obj=proposal,
        changes={"status": [before, status], **(changes or {})},
        at=now,
    )
    _notify_followers(proposal, kind=Notification.Kind.STATUS, status=status, now=now, skip=actor)


def _followers(proposal: Proposal) -> set[int]:
    ids = set(proposal.supports.values_list("user_id", flat=True))
    if proposal.author_id:
        ids.add(proposal.author_id)
    return ids


def _notify_followers(proposal, *, kind, now, skip=None, status="", only_author=False):
    ids = {proposal.author_id} if only_author else _followers(proposal)
    ids.discard(None)
    if skip is not None:
        ids.discard(skip.pk)
    Notification.objects.bulk_create(
        Notification(user_id=pk, kind=kind, proposal=proposal, status=status, created_at=now)
        for pk in sorted(ids)
    )
    notices_changed(ids)


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_consider(*, actor, proposal: Proposal, note: str = "", now) -> Proposal:
    """The project group takes the proposal up (for example on a meeting's agenda)."""
    proposal = _lock(proposal)
    _change_status(
        actor=actor, proposal=proposal, status=Status.CONSIDERING, note=note.strip(), now=now
    )
    return proposal


def resource_group_youth(municipality, *, day):
    """The youth members of the municipality's resource group on this day."""
    return (
        Membership.objects.active_on(day)
        .filter(
            group__municipality=municipality,
            group__kind=Group.Kind.YOUTH_RESOURCE_GROUP,
            role=Membership.Role.YOUTH_MEMBER,
        )
        .select_related("user")
        .order_by("user__first_name")
    )


@transaction.atomic
def proposal_answer(
    *, actor, proposal: Proposal, status: str, answer: str, youth_participants, now
) -> Proposal:
    """The official answer: accepted, partly accepted or rejected, always with a justification
    in plain language, and which youth of the resource group took part in the decision."""
    proposal = _lock(proposal)
    errors = {}
    if status not in DECISIONS:
        errors["status"] = _("Velg vedtatt, delvis vedtatt eller avslått.")
    if not answer.strip():
        errors["answer"] = _("Skriv en begrunnelse som ungdommen forstår.")
    allowed = {m.user_id for m in resource_group_youth(proposal.municipality, day=local_date(now))}
    participants = list(youth_participants)
    if any(user.pk not in allowed for user in participants):
        errors["youth_participants"] = _("Velg bare ungdom fra ressursgruppa.")
    if errors:
        raise ValidationError(errors)
    proposal.answer = answer.strip()
    proposal.answered_at = now
    proposal.answered_by = actor
    _change_status(
        actor=actor,
        proposal=proposal,
        status=status,
        note=proposal.answer,
        now=now,
        changes={"youth_participants": sorted(u.pk for u in participants)},
    )
    proposal.youth_participants.set(participants)
    return proposal


@transaction.atomic
def proposal_answer_correct(
    *, actor, proposal: Proposal, status: str, answer: str, youth_participants, reason: str, now
) -> Proposal:
    """Correct a wrong answer (a decision recorded wrongly, a typing error). Only an answer not
    yet carried out can be corrected, always with a reason; the trail keeps both the old and
    the corrected answer, and the author and supporters are told."""
    proposal = _lock(proposal)
    errors = {}
    if proposal.status not in DECISIONS:
        raise ValidationError(_("Bare et svar som ennå ikke er satt i gang, kan rettes."))
    if status not in DECISIONS:
        errors["status"] = _("Velg vedtatt, delvis vedtatt eller avslått.")
    if not answer.strip():
        errors["answer"] = _("Skriv en begrunnelse som ungdommen forstår.")
    if not reason.strip():
        errors["reason"] = _("Skriv hvorfor svaret rettes.")
    allowed = {m.user_id for m in resource_group_youth(proposal.municipality, day=local_date(now))}
    participants = list(youth_participants)
    if any(user.pk not in allowed for user in participants):
        errors["youth_participants"] = _("Velg bare ungdom fra ressursgruppa.")
    if errors:
        raise ValidationError(errors)
    before = {"status": proposal.status, "answer": proposal.answer}
    proposal.status = status
    proposal.answer = answer.strip()
    proposal.answered_at = now
    proposal.answered_by = actor
    _validate(proposal).save()
    proposal.youth_participants.set(participants)
    ProposalEvent.objects.create(
        proposal=proposal,
        status=status,
        previous_status=before["status"],
        actor=actor,
        at=now,
        note=_("Svaret er rettet: %(reason)s. Før: %(status)s – «%(answer)s».")
        % {
            "reason": reason.strip().rstrip("."),
            "status": Status(before["status"]).label,
            "answer": before["answer"],
        },
    )
    proposals_changed(proposal.municipality_id)
    audit_record(
        actor=actor,
        action="participation.proposal_answer_correct",
        obj=proposal,
        changes={
            "status": [before["status"], status],
            "answer": [before["answer"], proposal.answer],
            "reason": reason.strip(),
            "youth_participants": sorted(u.pk for u in participants),
        },
        at=now,
    )
    _notify_followers(proposal, kind=Notification.Kind.STATUS, status=status, now=now, skip=actor)
    return proposal


@transaction.atomic
def proposal_follow_up(
    *,
    actor,
    proposal: Proposal,
    status: str,
    note: str = "",
    outcome_offer=None,
    outcome_text: str = "",
    outcome_url: str = "",
    now,
) -> Proposal:
    """An accepted proposal is being carried out, or has been: with a link to what came of it."""
    proposal = _lock(proposal)
    if status not in (Status.IN_PROGRESS, Status.IMPLEMENTED):
        raise ValidationError({"status": _("Velg under arbeid eller gjennomført.")})
    if outcome_offer is not None and outcome_offer.municipality_id != proposal.municipality_id:
        raise ValidationError({"outcome_offer": _("Velg et tilbud i samme kommune.")})
    proposal.outcome_offer = outcome_offer or proposal.outcome_offer
    proposal.outcome_text = outcome_text.strip() or proposal.outcome_text
    proposal.outcome_url = outcome_url.strip() or proposal.outcome_url
    if status == Status.IMPLEMENTED:
        if not (proposal.outcome_offer or proposal.outcome_text or proposal.outcome_url):
            raise ValidationError(
                {"outcome_text": _("Fortell hva som kom ut av forslaget, eller velg et tilbud.")}
            )
        proposal.implemented_at = now
    _change_status(actor=actor, proposal=proposal, status=status, note=note.strip(), now=now)
    return proposal


@transaction.atomic
def proposal_support(*, actor, proposal: Proposal, now) -> ProposalSupport:
    if proposal.author_id == actor.pk:
        raise ValidationError(_("Du kan ikke støtte ditt eget forslag."))
    try:
        with transaction.atomic():
            support = ProposalSupport.objects.create(proposal=proposal, user=actor, created_at=now)
    except IntegrityError:
        raise ValidationError(_("Du støtter allerede dette forslaget.")) from None
    audit_record(actor=actor, action="participation.support", obj=proposal, at=now)
    proposals_changed(proposal.municipality_id)
    return support


@transaction.atomic
def proposal_unsupport(*, actor, proposal: Proposal, now) -> None:
    deleted, _rows = ProposalSupport.objects.filter(proposal=proposal, user=actor).delete()
    if not deleted:
        raise ValidationError(_("Du støtter ikke dette forslaget."))
    audit_record(actor=actor, action="participation.unsupport", obj=proposal, at=now)
    proposals_changed(proposal.municipality_id)


# --- Comments and moderation ----------------------------------------------------------------


@transaction.atomic
def comment_create(*, actor, proposal: Proposal, text: str, now) -> Comment:
    comment = Comment(
        proposal=proposal,
        author=actor,
        author_name=shown_name(actor, municipality_id=proposal.municipality_id),
        text=text.strip(),
        created_at=now,
    )
    _validate(comment).save()
    audit_record(actor=actor, action="participation.comment_create", obj=comment, at=now)
    _notify_followers(
        proposal, kind=Notification.Kind.COMMENT, now=now, skip=actor, only_author=True
    )
    return comment


@transaction.atomic
def comment_report(*, actor, comment: Comment, reason: str = "", now) -> Comment:
    """Report a comment; after enough reports (setting) it is hidden until a moderator decides.
    A comment a moderator has kept stays visible."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    try:
        with transaction.atomic():
            CommentReport.objects.create(
                comment=comment, reporter=actor, reason=reason.strip()[:200], created_at=now
            )
    except IntegrityError:
        raise ValidationError(_("Du har allerede rapportert denne kommentaren.")) from None
    reports = comment.reports.count()
    if (
        comment.state == Comment.State.VISIBLE
        and reports >= settings.UNGKULTUR_PARTICIPATION_REPORTS_TO_HIDE
    ):
        comment.state = Comment.State.HIDDEN
        comment.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="participation.comment_report",
        obj=comment,
        changes={"reports": reports, "state": comment.state},
        at=now,
    )
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, keep: bool, now) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    before = comment.state
    comment.state = Comment.State.KEPT if keep else Comment.State.REMOVED
    comment.moderated_by = actor
    comment.moderated_at = now
    comment.save(update_fields=["state", "moderated_by", "moderated_at"])
    audit_record(
        actor=actor,
        action="participation.comment_moderate",
        obj=comment,
        changes={"state": [before, comment.state]},
        at=now,
    )
    return comment


# --- Reminders to the project group -------------------------------------------------------


def project_group_staff(municipality_id, *, day):
    """The project leader and the other adult members of the municipality's local project group
    on this day: those who answer the youth's proposals."""
    from ungkultur.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active_on(day)
            .filter(
                group__municipality_id=municipality_id,
                group__kind=Group.Kind.LOCAL_PROJECT_GROUP,
            )
            .exclude(role=Membership.Role.YOUTH_MEMBER),
        )
        .distinct()
        .order_by("pk")
    )


REMINDER_SUBJECTS = {
    Notification.Kind.NEW_PROPOSAL: _("Nytt forslag fra ungdom: %(title)s"),
    Notification.Kind.ANSWER_SOON: _("Svarfristen nærmer seg: %(title)s"),
    Notification.Kind.ANSWER_LATE: _("Svarfristen er passert: %(title)s"),
}


def _remind(proposal: Proposal, *, stage: str, kind: str, now) -> bool:
    """Tell the project group once per proposal and stage: a notice each and an e-mail each,
    sent after commit. False if this stage was already sent (the unique row refuses it)."""
    try:
        with transaction.atomic():
            ProposalReminder.objects.create(proposal=proposal, stage=stage, sent_at=now)
    except IntegrityError:
        return False
    today = local_date(now)
    people = list(project_group_staff(proposal.municipality_id, day=today))
    # The e-mail goes now: the notices are marked e-mailed so the digest does not repeat them.
    Notification.objects.bulk_create(
        Notification(user=user, kind=kind, proposal=proposal, created_at=now, emailed_at=now)
        for user in people
    )
    notices_changed([user.pk for user in people])
    days_left = (proposal.answer_due - today).days
    for user in people:
        if not user.email:
            continue
        body = render_to_string(
            "participation/email/reminder.txt",
            {
                "user": user,
                "proposal": proposal,
                "kind": kind,
                "days_left": days_left,
                "days_late": -days_left,
                "site_url": settings.SITE_URL,
                "url": reverse("participation:proposal_detail", args=[proposal.pk]),
            },
        )
        transaction.on_commit(
            partial(
                send_email.enqueue,
                subject=REMINDER_SUBJECTS[kind] % {"title": proposal.title},
                body=body,
                to=[user.email],
            )
        )
    return True


def proposal_reminders_send(*, now) -> int:
    """Remind the project groups of unanswered proposals: once at each of
    ``UNGKULTUR_PARTICIPATION_REMINDER_DAYS`` before the deadline and once when it has passed.
    A run that missed a day sends only the nearest stage. Safe to run as often as wanted."""
    today = local_date(now)
    stages = sorted(settings.UNGKULTUR_PARTICIPATION_REMINDER_DAYS)
    horizon = today + datetime.timedelta(days=max(stages, default=0))
    sent = 0
    waiting = Proposal.objects.filter(
        status__in=(Status.SUBMITTED, Status.CONSIDERING), answer_due__lte=horizon
    ).order_by("pk")
    for proposal in waiting:
        days_left = (proposal.answer_due - today).days
        if days_left < 0:
            stage, kind = "late", Notification.Kind.ANSWER_LATE
        else:
            days = next((d for d in stages if days_left <= d), None)
            if days is None:
                continue
            # A later stage already sent (a setting changed, a run missed) is not undone.
            done = set(proposal.reminders.values_list("stage", flat=True))
            if "late" in done or any(f"before-{d}" in done for d in stages if d < days):
                continue
            stage, kind = f"before-{days}", Notification.Kind.ANSWER_SOON
        with transaction.atomic():
            sent += _remind(proposal, stage=stage, kind=kind, now=now)
    return sent


# --- Notifications and the daily digest -----------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, actor, now) -> int:
    notices_changed([actor.pk])
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=now)


def digest_send(*, user, now) -> bool:
    """Send the person one e-mail with every notice not yet e-mailed; at most one a day (the
    database refuses a second DigestSent row for the same day). True if a mail was sent."""
    day = local_date(now)
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=day)
        except IntegrityError:
            return False
        notices = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(user=user, emailed_at__isnull=True)
            .select_related(
                "proposal",
                "budget_round",
                "event",
                "action_item",
                "order",
                "evaluation_round",
                "municipality",
            )
            .order_by("created_at", "pk")
        )
        if not notices:
            transaction.set_rollback(True)
            return False
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
        body = render_to_string(
            "participation/email/digest.txt",
            {
                "user": user,
                "notices": notices,
                "site_url": settings.SITE_URL,
                "notices_url": reverse("participation:notifications"),
                "settings_url": reverse("participation:profile"),
            },
        )
        transaction.on_commit(
            partial(
                send_email.enqueue,
                subject=_("Nytt om forslagene dine i Ungkultur"),
                body=body,
                to=[user.email],
            )
        )
    return True


def digests_send(*, now) -> int:
    """The daily digest for everyone with new notices who has not opted out of e-mail."""
    from ungkultur.accounts.models import User

    users = (
        User.objects.filter(
            is_active=True, notifications__emailed_at__isnull=True, notifications__isnull=False
        )
        .exclude(participant_profile__email_digest=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return sum(digest_send(user=user, now=now) for user in users)


# --- Youth budget ---------------------------------------------------------------------------


@transaction.atomic
def budget_round_create(*, actor, municipality, now, **fields) -> BudgetRound:
    round_ = BudgetRound(municipality=municipality, **fields)
    errors = []
    if round_.propose_closes <= round_.propose_opens:
        errors.append(_("Forslagsperioden må slutte etter at den begynner."))
    if round_.vote_opens < round_.propose_closes:
        errors.append(_("Avstemningen kan ikke begynne før forslagsperioden er over."))
    if round_.vote_closes <= round_.vote_opens:
        errors.append(_("Avstemningen må slutte etter at den begynner."))
    if round_.age_max < round_.age_min:
        errors.append(_("Høyeste alder kan ikke være lavere enn laveste alder."))
    if errors:
        raise ValidationError(errors)
    _validate(round_).save()
    audit_record(
        actor=actor,
        action="participation.budget_round_create",
        obj=round_,
        changes={"amount": round_.amount, "proof": round_.proof},
        at=now,
    )
    return round_


@transaction.atomic
def budget_project_create(
    *, actor, round: BudgetRound, title: str, description: str, cost: int, now
) -> BudgetProject:
    if round.phase(now) != BudgetRound.Phase.PROPOSING:
        raise ValidationError(_("Det er ikke tid for å foreslå prosjekter nå."))
    if cost > round.amount:
        raise ValidationError(
            {
                "cost": _("Prosjektet koster mer enn hele budsjettet (%(amount)s).")
                % {"amount": kroner(round.amount)}
            }
        )
    project = BudgetProject(
        round=round,
        author=actor,
        author_name=actor.nickname,  # only youth propose projects
        title=title.strip(),
        description=description.strip(),
        cost=cost,
        created_at=now,
    )
    _validate(project).save()
    audit_record(actor=actor, action="participation.budget_project_create", obj=project, at=now)
    return project


@transaction.atomic
def budget_project_check(
    *, actor, project: BudgetProject, feasible: bool, reason: str, now
) -> BudgetProject:
    if now >= project.round.vote_opens:
        raise ValidationError(_("Avstemningen har begynt; vurderingen kan ikke endres."))
    if not feasible and not reason.strip():
        raise ValidationError({"reason": _("Forklar hvorfor prosjektet ikke kan gjennomføres.")})
    project.feasibility = (
        BudgetProject.Feasibility.FEASIBLE if feasible else BudgetProject.Feasibility.NOT_FEASIBLE
    )
    project.feasibility_reason = reason.strip()
    project.checked_by = actor
    project.save(update_fields=["feasibility", "feasibility_reason", "checked_by"])
    audit_record(
        actor=actor,
        action="participation.budget_project_check",
        obj=project,
        changes={"feasibility": project.feasibility},
        at=now,
    )
    return project


def ballot_errors(round: BudgetRound, projects) -> list[str]:
    errors = []
    if not projects:
        errors.append(_("Velg minst ett prosjekt."))
    if any(
        p.round_id != round.pk or p.feasibility != BudgetProject.Feasibility.FEASIBLE
        for p in projects
    ):
        errors.append(_("Du kan bare stemme på prosjekter som er vurdert som gjennomførbare."))
    total = sum(p.cost for p in projects)
    if total > round.amount:
        errors.append(
            _("Prosjektene du valgte koster %(total)s, men budsjettet er %(amount)s.")
            % {"total": kroner(total), "amount": kroner(round.amount)}
        )
    return errors


@transaction.atomic
def ballot_cast(*, actor, round: BudgetRound, projects, now) -> Ballot:
    """One ballot per youth and round (the database enforces it); voting again replaces the
    choice until the vote closes. Two votes at the same moment end as one ballot: the row is
    created once, then locked while its projects are replaced."""
    if round.phase(now) != BudgetRound.Phase.VOTING:
        raise ValidationError(_("Avstemningen er ikke åpen."))
    projects = list(projects)
    errors = ballot_errors(round, projects)
    if errors:
        raise ValidationError(errors)
    ballot, created = Ballot.objects.get_or_create(
        round=round, voter=actor, defaults={"cast_at": now}
    )
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    ballot.cast_at = now
    ballot.save(update_fields=["cast_at"])
    ballot.projects.set(projects)
    audit_record(
        actor=actor,
        action="participation.vote_cast" if created else "participation.vote_change",
        obj=ballot,
        changes={"projects": sorted(p.pk for p in projects)},
        at=now,
    )
    return ballot


def budget_result(round: BudgetRound):
    """Feasible projects with their votes, in the order that decides funding: most votes
    first, then the cheaper, then the earlier proposed; each funded while money remains."""
    projects = list(
        round.projects.filter(feasibility=BudgetProject.Feasibility.FEASIBLE)
        .annotate(vote_count=Count("ballots"))
        .order_by("-vote_count", "cost", "pk")
    )
    left = round.amount
    result = []
    for project in projects:
        funded = project.vote_count > 0 and project.cost <= left
        if funded:
            left -= project.cost
        result.append((project, project.vote_count, funded))
    return result


@transaction.atomic
def budget_round_publish(*, actor, round: BudgetRound, now) -> BudgetRound:
    round = BudgetRound.objects.select_for_update().get(pk=round.pk)
    if round.phase(now) != BudgetRound.Phase.CLOSED:
        raise ValidationError(_("Resultatet kan publiseres når avstemningen er over."))
    for project, votes, funded in budget_result(round):
        project.votes = votes
        project.funded = funded
        project.save(update_fields=["votes", "funded"])
    round.published_at = now
    round.save(update_fields=["published_at"])
    audit_record(
        actor=actor,
        action="participation.budget_round_publish",
        obj=round,
        changes={"funded": list(round.projects.filter(funded=True).values_list("pk", flat=True))},
        at=now,
    )
    people = set(round.ballots.values_list("voter_id", flat=True))
    people |= set(round.projects.exclude(author=None).values_list("author_id", flat=True))
    Notification.objects.bulk_create(
        Notification(
            user_id=pk, kind=Notification.Kind.BUDGET_RESULT, budget_round=round, created_at=now
        )
        for pk in sorted(people)
    )
    notices_changed(people)
    return round


@transaction.atomic
def budget_project_progress(*, actor, project: BudgetProject, progress: int, note: str, now):
    if not project.funded:
        raise ValidationError(_("Bare prosjekter som fikk penger, følges opp."))
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Skriv et tall fra 0 til 100.")})
    before = project.progress
    project.progress = progress
    project.progress_note = note.strip()
    project.save(update_fields=["progress", "progress_note"])
    audit_record(
        actor=actor,
        action="participation.budget_project_progress",
        obj=project,
        changes={"progress": [before, progress]},
        at=now,
    )
    return project


# --- Quick polls ----------------------------------------------------------------------------


def _new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(8))


@transaction.atomic
def poll_create(*, actor, unit, title: str, minutes: int, questions, now) -> Poll:
    """A poll of one to five questions, open from now for the given minutes.

    ``questions`` is a list of (text, [choice, ...]) with two to six choices each."""
    questions = [
        (text.strip(), [c.strip() for c in choices if c.strip()]) for text, choices in questions
    ]
    questions = [(text, choices) for text, choices in questions if text]
    if not 1 <= len(questions) <= POLL_MAX_QUESTIONS:
        raise ValidationError(_("En hurtigmåling har fra ett til fem spørsmål."))
    for text, choices in questions:
        if not 2 <= len(choices) <= POLL_MAX_CHOICES:
            raise ValidationError(
                _("«%(question)s» trenger fra to til seks svaralternativer.") % {"question": text}
            )
    poll = Poll(
        unit=unit,
        title=title.strip(),
        slug=_new_slug(),
        opens_at=now,
        closes_at=now + datetime.timedelta(minutes=minutes),
        created_by=actor,
    )
    _validate(poll).save()
    PollQuestion.objects.bulk_create(
        PollQuestion(poll=poll, position=n, text=text, choices=choices)
        for n, (text, choices) in enumerate(questions, start=1)
    )
    audit_record(actor=actor, action="participation.poll_create", obj=poll, at=now)
    return poll


@transaction.atomic
def poll_close(*, actor, poll: Poll, now) -> Poll:
    if not poll.is_open(now):
        raise ValidationError(_("Målingen er ikke åpen."))
    poll.closes_at = now
    poll.save(update_fields=["closes_at"])
    audit_record(actor=actor, action="participation.poll_close", obj=poll, at=now)
    return poll


@transaction.atomic
def poll_answer(*, poll: Poll, answers: dict[int, int], now) -> PollResponse:
    """One anonymous answer sheet. Nothing about who answered is stored, only the date."""
    if not poll.is_open(now):
        raise ValidationError(_("Målingen er stengt."))
    questions = list(poll.questions.all())
    for question in questions:
        choice = answers.get(question.pk)
        if choice is None or not 0 <= choice < len(question.choices):
            raise ValidationError(_("Svar på alle spørsmålene."))
    response = PollResponse.objects.create(poll=poll, answered_on=local_date(now))
    PollAnswer.objects.bulk_create(
        PollAnswer(response=response, question=q, choice=answers[q.pk]) for q in questions
    )
    return response
