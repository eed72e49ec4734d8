"""Reads of participation: the public proposal list and its figures, a proposal's page, the
project leader's follow-up list, notifications, the youth budget and poll results."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ungkultur.accounts.models import Consent
from ungkultur.lib.disclosure import hidden_label, suppress, suppress_total
from ungkultur.lib.terms import Term
from ungkultur.participation.models import (
    BudgetProject,
    Comment,
    Notification,
    PollAnswer,
    Proposal,
    ProposalEvent,
    ProposalSupport,
    local_date,
)

Status = Proposal.Status
# Accepted in full or in part, whether or not it has been carried out yet.
ACCEPTED = (Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.IN_PROGRESS, Status.IMPLEMENTED)


# --- Figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalFigures:
    """The youth influence figures (docs/indicators.md) over a set of proposals, as of ``today``.

    - answered within the deadline: answered_at (local date) ≤ answer_due;
    - its share is of the proposals that are due: answered, or unanswered past answer_due
      (proposals still within their deadline count for neither);
    - accepted: answered accepted or partly accepted (also when later in progress or
      implemented), as a share of the answered;
    - implemented: status implemented, as a share of the accepted;
    - median days to answer: whole local days from submitted_at to answered_at.
    """

    total: int
    answered: int
    due: int
    answered_in_time: int
    overdue: int
    accepted: int
    implemented: int
    median_days: float | None

    @staticmethod
    def _share(part, whole):
        return None if not whole else part / whole

    @property
    def share_in_time(self):
        return self._share(self.answered_in_time, self.due)

    @property
    def share_accepted(self):
        return self._share(self.accepted, self.answered)

    @property
    def share_implemented(self):
        return self._share(self.implemented, self.accepted)

    def as_dict(self) -> dict:
        return {
            "proposals": self.total,
            "answered": self.answered,
            "due": self.due,
            "answered_within_deadline": self.answered_in_time,
            "overdue": self.overdue,
            "accepted": self.accepted,
            "implemented": self.implemented,
            "share_answered_within_deadline": _round(self.share_in_time),
            "share_accepted": _round(self.share_accepted),
            "share_implemented": _round(self.share_implemented),
            "median_days_to_answer": self.median_days,
        }


def _round(value):
    return None if value is None else round(value, 3)


def _with_local_dates(proposals):
    """Submission and answer as local dates, computed by the database (no per-row time zone
    work in Python: the public page counts 900 proposals on every request)."""
    tz = timezone.get_current_timezone()
    return proposals.annotate(
        submitted_on=TruncDate("submitted_at", tzinfo=tz),
        answered_on=TruncDate("answered_at", tzinfo=tz),
    )


def proposal_figures(proposals, *, today: datetime.date) -> ProposalFigures:
    """The figures over any queryset of proposals, in two queries (counts, then the days to
    answer for the median)."""
    rows = _with_local_dates(proposals.order_by())
    answered = Q(status__in=Proposal.ANSWERED, answered_at__isnull=False)
    counts = rows.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=answered),
        in_time=Count("pk", filter=answered & Q(answered_on__lte=F("answer_due"))),
        overdue=Count("pk", filter=~answered & Q(answer_due__lt=today)),
        accepted=Count("pk", filter=Q(status__in=ACCEPTED)),
        implemented=Count("pk", filter=Q(status=Status.IMPLEMENTED)),
    )
    days = [
        delta.days
        for delta in rows.filter(answered)
        .annotate(
            days=ExpressionWrapper(
                F("answered_on") - F("submitted_on"), output_field=DurationField()
            )
        )
        .values_list("days", flat=True)
    ]
    return ProposalFigures(
        total=counts["total"],
        answered=counts["answered"],
        due=counts["answered"] + counts["overdue"],
        answered_in_time=counts["in_time"],
        overdue=counts["overdue"],
        accepted=counts["accepted"],
        implemented=counts["implemented"],
        median_days=statistics.median(days) if days else None,
    )


def proposals_in_term(municipality, term: str):
    start, end = Term.parse(term).start, Term.parse(term).end
    return Proposal.objects.filter(
        municipality=municipality,
        submitted_at__date__gte=start,
        submitted_at__date__lte=end,
    )


def figures_by_term(municipality, *, today: datetime.date) -> list[tuple[str, ProposalFigures]]:
    """The figures for every term with proposals, newest first (one query per term)."""
    dates = Proposal.objects.filter(municipality=municipality).values_list(
        "submitted_at", flat=True
    )
    terms = sorted({Term.containing(local_date(d)) for d in dates}, reverse=True)
    return [
        (str(term), proposal_figures(proposals_in_term(municipality, str(term)), today=today))
        for term in terms
    ]


# --- Lists and pages ------------------------------------------------------------------------

PUBLIC_FIELDS = (
    "pk",
    "municipality_id",
    "title",
    "text",
    "category",
    "status",
    "author_name",
    "services",
    "submitted_at",
    "answer_due",
    "answered_at",
    "implemented_at",
    "answer",
    "outcome_text",
    "outcome_url",
    "outcome_offer_id",
)


def support_count():
    """Supports per proposal as a correlated subquery: counted for the rows of the page only,
    where a join with GROUP BY would count them for every proposal before paginating."""
    supports = (
        ProposalSupport.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(supports, output_field=IntegerField()), 0)


def public_proposals(municipality, *, status: str | None = None):
    """What anyone may see of a municipality's proposals, with the number of supports."""
    proposals = (
        _with_local_dates(Proposal.objects.filter(municipality=municipality))
        .only(*[f for f in PUBLIC_FIELDS if f != "pk"])
        .annotate(support_count=support_count())
        .order_by("-submitted_at", "-pk")
    )
    if status:
        proposals = proposals.filter(status=status)
    return proposals


def with_resource_group_count(proposals):
    """Adds ``resource_group_youth``: how many of the resource group took part in each decision
    (a count, never who: the open API does not name youth; docs/privacy.md)."""
    through = Proposal.youth_participants.through
    taking_part = (
        through.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return proposals.annotate(
        resource_group_youth=Coalesce(Subquery(taking_part, output_field=IntegerField()), 0)
    )


def proposal_page(proposal: Proposal, *, user) -> dict:
    """What a proposal's page shows: trail, comments (hidden ones only to moderators), supports."""
    events = list(ProposalEvent.objects.filter(proposal=proposal))
    comments = list(
        Comment.objects.filter(proposal=proposal).annotate(report_count=Count("reports"))
    )
    return {
        "events": events,
        "comments": comments,
        "support_count": proposal.supports.count(),
        "supported": user.is_authenticated and proposal.supports.filter(user=user).exists(),
        "reported": set(
            proposal.comments.filter(reports__reporter=user).values_list("pk", flat=True)
        )
        if user.is_authenticated
        else set(),
        **resource_group_shown(proposal),
    }


@dataclass(frozen=True)
class ResourceGroupShown:
    """Who of the resource group took part in a decision, as an open page may show it."""

    count: int
    # None unless every one of them has consented to be named (docs/privacy.md).
    names: list[str] | None


def resource_group_shown(proposal: Proposal) -> dict:
    """``resource_group`` for anyone; ``youth_participants`` (the users) for staff-only parts."""
    participants = list(proposal.youth_participants.order_by("first_name", "pk"))
    consenting = set(
        Consent.objects.filter(
            subject__in=participants,
            purpose=Consent.Purpose.NAMED,
            status=Consent.Status.GIVEN,
        ).values_list("subject_id", flat=True)
    )
    everyone_consents = all(u.pk in consenting for u in participants)
    names = [u.public_name for u in participants] if everyone_consents else None
    return {
        "youth_participants": participants,
        "resource_group": ResourceGroupShown(count=len(participants), names=names),
    }


def follow_up_list(municipality, *, today: datetime.date):
    """The project leader's list: unanswered proposals (overdue first), then accepted ones still
    to be carried out, then comments hidden after reports."""
    open_ = (
        Proposal.objects.filter(municipality=municipality)
        .filter(status__in=(Status.SUBMITTED, Status.CONSIDERING))
        .annotate(support_count=Count("supports"))
        .order_by("answer_due", "pk")
    )
    carrying_out = (
        Proposal.objects.filter(municipality=municipality)
        .filter(status__in=(Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.IN_PROGRESS))
        .order_by("answered_at", "pk")
    )
    hidden = (
        Comment.objects.filter(proposal__municipality=municipality, state=Comment.State.HIDDEN)
        .select_related("proposal")
        .annotate(report_count=Count("reports"))
        .order_by("created_at")
    )
    open_ = list(open_)
    return {
        "overdue": [p for p in open_ if p.answer_due < today],
        "waiting": [p for p in open_ if p.answer_due >= today],
        "carrying_out": list(carrying_out),
        "hidden_comments": list(hidden),
    }


# --- Notifications and Min side -------------------------------------------------------------


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user):
    return Notification.objects.filter(user=user).select_related(
        "proposal",
        "budget_round",
        "event",
        "action_item",
        "order__municipality",
        "evaluation_round",
        "municipality",
    )


def my_proposals(user):
    return (
        Proposal.objects.filter(author=user)
        .select_related("municipality")
        .annotate(support_count=Count("supports"))
        .order_by("-submitted_at")
    )


def _takes_part(user) -> bool:
    """Whether the person has proposed anything or has notices: one query, so that Min side
    costs one query more for those who have not taken part."""
    from ungkultur.accounts.models import User

    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Exists(Proposal.objects.filter(author=OuterRef("pk")))
            | Exists(Notification.objects.filter(user=OuterRef("pk")))
        )
        .exists()
    )


def waiting_for_answer(user, *, today) -> list[Proposal]:
    """Unanswered proposals of the municipalities whose local project group the person sits in
    (not as a youth member), deadline first, each with ``days_left`` (negative when late)."""
    from ungkultur.organisations.models import Group, Membership
    from ungkultur.organisations.selectors import roles_for

    # Roles are cached on the user for the request: no query for youth and guardians.
    if not roles_for(user).staff_municipalities:
        return []
    groups = (
        Membership.objects.active_on(today)
        .filter(user=user, group__kind=Group.Kind.LOCAL_PROJECT_GROUP)
        .exclude(role=Membership.Role.YOUTH_MEMBER)
        .values("group__municipality_id")
    )
    proposals = list(
        Proposal.objects.filter(
            municipality_id__in=groups, status__in=(Status.SUBMITTED, Status.CONSIDERING)
        )
        .select_related("municipality")
        .order_by("answer_due", "pk")
    )
    for proposal in proposals:
        proposal.days_left = (proposal.answer_due - today).days
        proposal.days_late = -proposal.days_left
    return proposals


def mypage_section(user, *, now: datetime.datetime) -> dict | None:
    """What Min side shows of participation for this user: a dict with the key "template"
    (rendered with the dict as `section`), or None when there is nothing to show."""
    today = local_date(now)
    waiting = waiting_for_answer(user, today=today)
    if not waiting and not _takes_part(user):
        return None
    proposals = list(my_proposals(user)[:10])
    notices = list(notifications_of(user)[:5])
    return {
        "template": "participation/_mypage.html",
        "waiting": waiting,
        "proposals": proposals,
        "notifications": notices,
        "unread": unread_count(user),
        "today": today,
    }


# --- Youth budget ---------------------------------------------------------------------------


def round_projects(round_):
    return list(
        round_.projects.select_related("checked_by").order_by("-funded", "-votes", "title", "pk")
    )


def own_ballot_ids(round_, user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        BudgetProject.ballots.through.objects.filter(
            ballot__round=round_, ballot__voter=user
        ).values_list("budgetproject_id", flat=True)
    )


# --- Polls ----------------------------------------------------------------------------------


def poll_results(poll, *, n: int) -> dict:
    """Counts per choice, shown only when at least n answered (docs/privacy.md), and each
    question's small cells suppressed too.

    Answers are counted in steps of n, in the order they came (the first n, the first 2n, …):
    results seen before and after one more answer are the same, and any two results that
    differ differ by at least n answers, so no comparison tells what one person answered. A
    hidden count is labelled "færre enn n" only when it is; one hidden to protect another is
    "skjult".
    """
    total = poll.responses.count()
    counted = total - total % n
    questions = list(poll.questions.all())
    shown_total = counted if counted else suppress_total(total, n=n)
    if not counted:
        return {"total": shown_total, "answered": total, "questions": [], "min_n": n}
    first = poll.responses.order_by("pk").values("pk")[:counted]
    counts = {
        (row["question_id"], row["choice"]): row["count"]
        for row in PollAnswer.objects.filter(response__in=first)
        .values("question_id", "choice")
        .annotate(count=Count("pk"))
    }
    result = []
    for question in questions:
        cells = {i: counts.get((question.pk, i), 0) for i in range(len(question.choices))}
        shown = suppress(cells, n=n)
        result.append(
            (
                question,
                [
                    (label, shown[i], hidden_label(cells[i], shown[i], n=n))
                    for i, label in enumerate(question.choices)
                ],
            )
        )
    return {"total": shown_total, "answered": total, "questions": result, "min_n": n}
