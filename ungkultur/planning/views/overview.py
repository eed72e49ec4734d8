"""The planning hub of a municipality and the national overview of every plan."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ungkultur.planning import selectors
from ungkultur.planning.access import (
    get_municipality_for_user,
)


@require_safe
@login_required
def municipality_home(request, code):
    municipality = get_municipality_for_user(request, code)
    today = timezone.localdate()
    plans = selectors.municipality_plans(municipality)
    late = sum(
        1 for plan in plans.values() for row in selectors.plan_rows(plan, today=today) if row.late
    )
    return render(
        request,
        "planning/municipality_home.html",
        {"municipality": municipality, "plans": plans, "late": late},
    )


@require_safe
@login_required
def overview(request):
    if not request.user.has_perm("planning.follow_all"):
        raise PermissionDenied
    return render(
        request,
        "planning/overview.html",
        {
            "rows": selectors.overview(today=timezone.localdate()),
            "milestones": selectors.milestone_plan(),
        },
    )
