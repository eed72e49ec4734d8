"""Competence orders waiting for the other side: the in-app notices that go with the
coordinators' reminders, and the list on Min side of what waits for them, with the days left."""

import datetime

from django.conf import settings
from django.utils import timezone

from ungkultur.organisations.models import NationalRole
from ungkultur.planning.models import CompetenceOrder

NOTICE_KINDS = {"unanswered": "order_unanswered", "unscheduled": "order_unscheduled"}


def coordinators(organisation, *, day: datetime.date):
    """The organisation's active national coordinators on ``day``."""
    from ungkultur.accounts.models import User

    return User.objects.filter(
        is_active=True,
        national_roles__in=NationalRole.objects.active_on(day).filter(
            role=NationalRole.Role.COORDINATOR, organisation=organisation
        ),
    ).distinct()


def order_reminder_notices(order: CompetenceOrder, *, stage: str, now: datetime.datetime) -> None:
    """A notice to each coordinator beside the reminder e-mail (marked e-mailed, so the daily
    digest does not repeat it). Call inside the reminder's transaction."""
    from ungkultur.participation.cache import notices_changed
    from ungkultur.participation.models import Notification

    ids = sorted(
        coordinators(order.organisation, day=timezone.localdate(now)).values_list("pk", flat=True)
    )
    Notification.objects.bulk_create(
        Notification(
            user_id=pk, kind=NOTICE_KINDS[stage], order=order, created_at=now, emailed_at=now
        )
        for pk in ids
    )
    notices_changed(ids)


def orders_waiting_for(organisation_ids, *, today: datetime.date) -> list[CompetenceOrder]:
    """Orders to these organisations that wait for them, most urgent first, each with ``wait``
    ("answer" or "date"), ``due`` (the day the reminder counts to: the answer expected
    ``UNGKULTUR_PLANNING_ORDER_ANSWER_DAYS`` after ordering, or the start of the wanted period)
    and ``days_left`` (negative when passed)."""
    if not organisation_ids:
        return []
    orders = list(
        CompetenceOrder.objects.filter(
            organisation_id__in=list(organisation_ids),
            status__in=(CompetenceOrder.Status.ORDERED, CompetenceOrder.Status.ACCEPTED),
        ).select_related("municipality", "organisation")
    )
    answer_days = datetime.timedelta(days=settings.UNGKULTUR_PLANNING_ORDER_ANSWER_DAYS)
    for order in orders:
        if order.status == CompetenceOrder.Status.ORDERED:
            order.wait = "answer"
            order.due = timezone.localdate(order.ordered_at) + answer_days
        else:
            order.wait = "date"
            order.due = order.wanted_from
        order.days_left = (order.due - today).days
        order.days_late = -order.days_left
    return sorted(orders, key=lambda o: (o.due, o.pk))
