"""The youth's ways in from the header: offers, having a say and UKM in their own municipality."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ungkultur.mypage import front_door
from ungkultur.organisations.models import Unit


def _home_or_ask(request):
    """The user's municipality, or None after asking them to pick one."""
    municipality = request.user.municipality
    if municipality is None:
        messages.info(
            request, _("Vi vet ikke hvilken kommune du bor i. Velg kommunen din i listen.")
        )
    return municipality


@require_safe
@login_required
def offers(request):
    municipality = _home_or_ask(request)
    if municipality is None:
        return redirect("organisations:municipality_list")
    return redirect("catalogue:search", code=municipality.code)


@require_safe
@login_required
def say(request):
    municipality = _home_or_ask(request)
    if municipality is None:
        return redirect("organisations:municipality_list")
    request.municipality = municipality
    page = front_door.say_page(request.user, municipality, now=timezone.now())
    return render(request, "mypage/say.html", {"page": page})


@require_safe
@login_required
def ukm(request):
    municipality = _home_or_ask(request)
    if municipality is None:
        return redirect("organisations:municipality_list")
    events = front_door.open_ukm_events(municipality, now=timezone.now())
    if len(events) == 1:
        return redirect("ukm:event_detail", pk=events[0].pk)
    request.municipality = municipality
    units = Unit.objects.filter(municipality=municipality, kind=Unit.Kind.UKM).order_by("name")
    return render(
        request,
        "mypage/ukm.html",
        {"municipality": municipality, "events": events, "units": units},
    )
