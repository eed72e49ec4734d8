from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ungkultur.clubs import services
from ungkultur.clubs.access import get_club_for_user, get_evening_for_user
from ungkultur.clubs.forms import ClubEveningForm
from ungkultur.clubs.selectors import evening_counts, evening_on, evenings_with_totals
from ungkultur.core.forms import add_service_errors

EVENINGS_PER_PAGE = 20


@require_safe
@login_required
def evening_list(request, unit_pk):
    unit = get_club_for_user(request, unit_pk)
    request.municipality = unit.municipality
    page = Paginator(evenings_with_totals(unit), EVENINGS_PER_PAGE).get_page(
        request.GET.get("side")
    )
    return render(request, "clubs/evening_list.html", {"unit": unit, "page": page})


def _is_duplicate(error: ValidationError) -> bool:
    date_errors = getattr(error, "error_dict", {}).get("date", [])
    return any(e.code == services.DUPLICATE for e in date_errors)


def _render_form(request, form, *, unit, evening=None, duplicate_of=None):
    return render(
        request,
        "clubs/evening_form.html",
        {"form": form, "unit": unit, "evening": evening, "duplicate_of": duplicate_of},
        status=400 if form.errors else 200,
    )


def _save(request, form, *, unit, evening=None):
    """Call the service. Returns (saved evening, None), or (None, the evening already registered
    on that date, if that was the problem) with the service's errors on the form."""
    date = form.cleaned_data["date"]
    fields = {
        "actor": request.user,
        "date": date,
        "counts": form.counts(),
        "first_time_visitors": form.cleaned_data["first_time_visitors"] or 0,
        "note": form.cleaned_data["note"],
        "now": timezone.now(),
    }
    try:
        if evening is None:
            return services.club_evening_register(unit=unit, **fields), None
        return services.club_evening_update(evening=evening, **fields), None
    except ValidationError as error:
        add_service_errors(form, error)
        return None, evening_on(unit, date) if _is_duplicate(error) else None


@require_http_methods(["GET", "POST"])
@login_required
def evening_new(request, unit_pk):
    unit = get_club_for_user(request, unit_pk)
    request.municipality = unit.municipality
    form = ClubEveningForm(request.POST or None, initial={"date": timezone.localdate()})
    duplicate_of = None
    if form.is_valid():
        evening, duplicate_of = _save(request, form, unit=unit)
        if evening is not None:
            messages.success(
                request,
                _("Kvelden %(date)s er registrert.")
                % {"date": date_format(evening.date, "DATE_FORMAT")},
            )
            return redirect("clubs:evening_list", unit_pk=unit.pk)
    return _render_form(request, form, unit=unit, duplicate_of=duplicate_of)


@require_http_methods(["GET", "POST"])
@login_required
def evening_edit(request, pk):
    evening = get_evening_for_user(request, pk)
    unit = evening.unit
    request.municipality = unit.municipality
    form = ClubEveningForm(
        request.POST or None,
        initial=ClubEveningForm.initial_for(evening, evening_counts(evening)),
    )
    duplicate_of = None
    if form.is_valid():
        saved, duplicate_of = _save(request, form, unit=unit, evening=evening)
        if saved is not None:
            messages.success(
                request,
                _("Kvelden %(date)s er endret.") % {"date": date_format(saved.date, "DATE_FORMAT")},
            )
            return redirect("clubs:evening_list", unit_pk=unit.pk)
    return _render_form(request, form, unit=unit, evening=evening, duplicate_of=duplicate_of)
