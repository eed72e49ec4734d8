"""Reads for evaluations, stories and the money."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from ungkultur.accounts.models import Consent
from ungkultur.accounts.selectors import confirmed_child_ids, consent_acting_as
from ungkultur.evaluations.models import (
    Allocation,
    Answer,
    AnswerText,
    Frame,
    NamedInYouthPart,
    Round,
    Story,
)
from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import Membership


def answers_side_by_side(round_: Round) -> list[dict]:
    """Per question, each municipality's submitted project-group and youth texts side by side.

    Three queries: the questions, the submitted answers with their municipality, their texts.
    """
    questions = list(round_.questions.all())
    answers = list(
        round_.answers.filter(status=Answer.Status.SUBMITTED)
        .select_related("municipality")
        .prefetch_related("texts", "comments")
    )
    municipalities = sorted({a.municipality for a in answers}, key=lambda m: m.name)
    by_key = {(a.municipality_id, a.part, t.question_id): t for a in answers for t in a.texts.all()}
    rows = []
    for question in questions:
        cells = []
        for m in municipalities:
            project_group = by_key.get((m.pk, Answer.Part.PROJECT_GROUP, question.pk))
            youth = by_key.get((m.pk, Answer.Part.YOUTH, question.pk))
            cells.append(
                {
                    "municipality": m,
                    "project_group": project_group,
                    "youth": youth,
                    "parts": [project_group, youth],
                }
            )
        rows.append({"question": question, "cells": cells})
    return rows


def published_answers(municipality: Municipality):
    """Submitted answers the municipality marked for publishing, with their texts."""
    return (
        Answer.objects.filter(
            municipality=municipality, status=Answer.Status.SUBMITTED, published=True
        )
        .select_related("round")
        .prefetch_related(
            Prefetch(
                "texts",
                queryset=AnswerText.objects.exclude(text="").select_related("question"),
            )
        )
        .order_by("-round__opened_at", "part")
    )


def round_progress(round_: Round) -> dict:
    """How many KK municipalities have submitted each part."""
    submitted = round_.answers.filter(status=Answer.Status.SUBMITTED)
    return {
        "project_group": submitted.filter(part=Answer.Part.PROJECT_GROUP).count(),
        "youth": submitted.filter(part=Answer.Part.YOUTH).count(),
        "reopen_requests": round_.answers.filter(reopen_requested_at__isnull=False).count(),
        "municipalities": Municipality.objects.filter(kk_active=True).count(),
    }


def stories_search(query: str = "", tag: str = ""):
    stories = Story.objects.select_related("municipality", "collaboration_model")
    if query:
        stories = stories.filter(
            Q(title__icontains=query)
            | Q(what__icontains=query)
            | Q(outcome__icontains=query)
            | Q(municipality__name__icontains=query)
        )
    stories = list(stories)
    if tag:  # JSON containment differs between SQLite and PostgreSQL; the list is short
        stories = [s for s in stories if tag in s.tags]
    return stories


def all_tags() -> list[str]:
    return sorted({tag for tags in Story.objects.values_list("tags", flat=True) for tag in tags})


@dataclass
class BudgetRow:
    municipality: Municipality
    allocated: int = 0
    paid: int = 0
    used: int = 0
    uses: list = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.allocated - self.used


def budget_rows(frame: Frame) -> list[BudgetRow]:
    """Budget against actuals per municipality for one year (two queries)."""
    allocations = (
        Allocation.objects.filter(frame=frame)
        .select_related("municipality")
        .annotate(
            paid=Sum("payments__amount", distinct=False),
        )
        .prefetch_related("uses")
        .order_by("municipality__name")
    )
    rows = []
    for allocation in allocations:
        uses = list(allocation.uses.all())
        rows.append(
            BudgetRow(
                municipality=allocation.municipality,
                allocated=allocation.amount,
                paid=allocation.paid or 0,
                used=sum(u.amount for u in uses),
                uses=uses,
            )
        )
    return rows


def budget_totals(rows: list[BudgetRow]) -> dict:
    return {
        "allocated": sum(r.allocated for r in rows),
        "paid": sum(r.paid for r in rows),
        "used": sum(r.used for r in rows),
        "remaining": sum(r.remaining for r in rows),
    }


def positions_cost(positions) -> int | None:
    """What the owner organisations' positions cost in the year; None while a share has no cost
    recorded (a part-sum would read as the whole)."""
    costs = [share.yearly_cost for share in positions]
    return None if None in costs else sum(costs)


def youth_names(answer_ids) -> dict[int, list[str]]:
    """Per youth part, the names of those who consented to be named with it, and only theirs
    (nickname or first name, as ``User.public_name``); a part nobody consented to is absent."""
    names: dict[int, list[str]] = {}
    rows = NamedInYouthPart.objects.filter(
        answer_id__in=list(answer_ids),
        answer__part=Answer.Part.YOUTH,
        youth__is_active=True,
    ).select_related("youth")
    for row in rows:
        names.setdefault(row.answer_id, []).append(row.youth.public_name)
    return {answer_id: sorted(found) for answer_id, found in names.items()}


def guardian_name_rows(guardian, *, now: datetime.datetime, children=None) -> list[tuple]:
    """(child, youth part, named) for each youth part of a resource group that a confirmed
    child of ``guardian`` sits in, where the guardian decides whether the child is named
    (the child under the age limit of ``Consent.Purpose.NAMED``). ``children``: the guardian's
    confirmed children when the caller has them. At most four queries, however many children.
    """
    if children is None:
        children = get_user_model().objects.filter(pk__in=confirmed_child_ids(guardian))
    children = [child for child in children if child.is_active]
    child_ids = {child.pk for child in children}
    deciding = {
        child.pk: child
        for child in children
        if consent_acting_as(
            actor=guardian, subject=child, purpose=Consent.Purpose.NAMED, now=now,
            child_ids=child_ids,
        )
        is not None
    }  # fmt: skip
    if not deciding:
        return []
    places: dict[int, set] = {}
    for child_id, municipality_id in (
        Membership.objects.active_on(timezone.localdate(now))
        .filter(user_id__in=deciding, role=Membership.Role.YOUTH_MEMBER)
        .exclude(group__municipality__isnull=True)
        .values_list("user_id", "group__municipality_id")
    ):
        places.setdefault(child_id, set()).add(municipality_id)
    if not places:
        return []
    answers = list(
        Answer.objects.filter(
            part=Answer.Part.YOUTH, municipality_id__in=set().union(*places.values())
        )
        .select_related("round", "municipality")
        .order_by("round__opened_at", "municipality__name", "pk")
    )
    named = set(
        NamedInYouthPart.objects.filter(youth_id__in=places).values_list("youth_id", "answer_id")
    )
    return [
        (child, answer, (child.pk, answer.pk) in named)
        for child_id, child in deciding.items()
        if child_id in places
        for answer in answers
        if answer.municipality_id in places[child_id]
    ]


def guardian_name_decisions(guardian, *, now: datetime.datetime, children=None) -> dict[int, bool]:
    """Per child (pk) with a youth part to decide on: whether a decision is still open (a part
    the child is not named with). For the «Barna dine» section of Min side."""
    found: dict[int, bool] = {}
    for child, _answer, named in guardian_name_rows(guardian, now=now, children=children):
        found[child.pk] = found.get(child.pk, False) or not named
    return found
