"""The annual wheel (årshjul): list, month and iCalendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations.models import Unit
from ungkultur.planning import ical, selectors, services
from ungkultur.planning.access import get_municipality_for_user, get_wheel_activity_for_user
from ungkultur.planning.forms import (
    WheelActivityForm,
    WheelFilterForm,
)
from ungkultur.planning.models import WheelActivity
from ungkultur.planning.views._common import (
    add_service_errors,
    bound,
    public_municipality,
)


def _wheel_filter(request):
    form = WheelFilterForm(request.GET)
    if not form.is_valid():
        return form, HttpResponse(_("Ugyldig år eller måned."), status=400)
    return form, None


@require_safe
def wheel(request, code):
    municipality = public_municipality(request, code)
    form, bad = _wheel_filter(request)
    if bad:
        return bad
    today = timezone.localdate()
    year = form.year_or(today)
    occurrences = selectors.wheel_year(municipality, year=year)
    return render(
        request,
        "planning/wheel.html",
        {
            "municipality": municipality,
            "year": year,
            "occurrences": occurrences,
            "clashes": [o for o in occurrences if o.clashes],
            "today": today,
            "can_manage": request.user.has_perm("planning.manage_municipality", municipality),
            "can_manage_national": request.user.has_perm("planning.manage_national"),
        },
    )


@require_safe
def wheel_month(request, code):
    municipality = public_municipality(request, code)
    form, bad = _wheel_filter(request)
    if bad:
        return bad
    today = timezone.localdate()
    year, month = form.year_or(today), form.month_or(today)
    occurrences = selectors.wheel_year(municipality, year=year)
    in_month = [o for o in occurrences if o.start.month == month or o.end.month == month]
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return render(
        request,
        "planning/wheel_month.html",
        {
            "municipality": municipality,
            "year": year,
            "month": month,
            "month_name": MONTHS[month],
            "weeks": selectors.month_grid(occurrences, year=year, month=month),
            "occurrences": in_month,
            "previous": previous,
            "following": following,
            "today": today,
        },
    )


def _year_being_saved(request) -> int:
    """The wheel's year the user came from (``?year=``, kept through the POST), else this year:
    clashes depend on the year, as a date falls in another week from one year to the next."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _warn_of_clashes(request, activity, municipality, year: int) -> None:
    """After a save: warn, on the page the user lands on, of the clashes of the saved activity
    in the year being saved."""
    if municipality is None:
        return
    mine = [
        o for o in selectors.wheel_year(municipality, year=year) if o.activity.pk == activity.pk
    ]
    others = sorted(
        {c.activity.title for o in mine for c in o.clashes if c.activity.pk != activity.pk}
    )
    if others:
        messages.warning(
            request,
            _("I %(year)s kolliderer «%(title)s» med %(others)s (samme uke og overlappende alder).")
            % {
                "year": year,
                "title": activity.title,
                "others": ", ".join(f"«{title}»" for title in others),
            },
        )


def _saved_year(request, cleaned) -> int:
    """A date set for one year is saved for that year; otherwise the wheel's year the user came
    from."""
    if cleaned.get("rule") == WheelActivity.Rule.YEARLY and cleaned.get("date"):
        return cleaned["date"].year
    return _year_being_saved(request)


def _wheel_url(request, municipality, year: int) -> str:
    """The wheel of the year being saved: where the warning shows."""
    url = reverse("planning:wheel", kwargs={"code": municipality.code})
    if "year" in request.GET or year != timezone.localdate().year:
        return url + f"?year={year}"
    return url


@require_http_methods(["GET", "POST"])
@login_required
def wheel_activity_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.manage_municipality")
    form = WheelActivityForm(bound(request), units=municipality.units.order_by("kind", "name"))
    if form.is_valid():
        try:
            activity = services.wheel_activity_save(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Aktiviteten er lagt inn i årshjulet."))
            year = _saved_year(request, form.cleaned_data)
            _warn_of_clashes(request, activity, municipality, year)
            return redirect(_wheel_url(request, municipality, year))
    return render(
        request,
        "planning/wheel_activity_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


def _after_change(activity):
    if activity.municipality is None:
        return redirect("planning:overview")
    return redirect("planning:wheel", code=activity.municipality.code)


@require_http_methods(["GET", "POST"])
@login_required
def wheel_activity_update(request, pk):
    activity = get_wheel_activity_for_user(request, pk)
    municipality = activity.municipality
    fields = ("title", "service", "rule", "month", "day", "week", "weekday", "days")
    initial = {name: getattr(activity, name) for name in fields + ("age_min", "age_max")} | {
        "unit": activity.unit_id,
        "description": activity.description,
    }
    dates = list(activity.dates.all())
    year = _year_being_saved(request)
    initial["date"] = next((d.start for d in dates if d.year == year), None)
    units = municipality.units.order_by("kind", "name") if municipality else Unit.objects.none()
    form = WheelActivityForm(bound(request), initial=initial, units=units, dates=dates)
    if municipality is None:
        del form.fields["service"], form.fields["unit"]
    if form.is_valid():
        try:
            services.wheel_activity_save(
                actor=request.user, activity=activity, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            activity.refresh_from_db()  # the page names it as it is, not as it was typed
        else:
            messages.success(request, _("Aktiviteten er endret."))
            if municipality is None:
                return _after_change(activity)
            year = _saved_year(request, form.cleaned_data)
            _warn_of_clashes(request, activity, municipality, year)
            return redirect(_wheel_url(request, municipality, year))
    return render(
        request,
        "planning/wheel_activity_form.html",
        {"municipality": municipality, "form": form, "activity": activity},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def wheel_activity_delete(request, pk):
    """GET asks to confirm; POST takes the activity out of the wheel."""
    activity = get_wheel_activity_for_user(request, pk)
    if request.method == "POST":
        services.wheel_activity_delete(actor=request.user, activity=activity, now=timezone.now())
        messages.success(
            request, _("«%(title)s» er tatt ut av årshjulet.") % {"title": activity.title}
        )
        return _after_change(activity)
    return render(
        request,
        "planning/wheel_activity_delete.html",
        {"municipality": activity.municipality, "activity": activity},
    )


@require_safe
def wheel_calendar(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    if municipality.code != code:
        return redirect("planning:wheel_calendar", code=municipality.code, permanent=True)
    now = timezone.now()
    body = ical.wheel_calendar(
        selectors.wheel_activities(municipality),
        name=_("Årshjul for %(name)s") % {"name": municipality.name},
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="arshjul-{municipality.code}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def national_activity_create(request):
    """A national activity (a gathering, the conference): in every municipality's wheel."""
    if not request.user.has_perm("planning.manage_national"):
        raise PermissionDenied
    form = WheelActivityForm(bound(request), units=Unit.objects.none())
    del form.fields["service"], form.fields["unit"]
    if form.is_valid():
        try:
            services.wheel_activity_save(
                actor=request.user,
                municipality=None,
                service=WheelActivity.Service.NATIONAL,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Aktiviteten er lagt inn i alle kommuners årshjul."))
            return redirect("planning:overview")
    return render(
        request,
        "planning/wheel_activity_form.html",
        {"municipality": None, "form": form},
        status=400 if form.is_bound else 200,
    )
