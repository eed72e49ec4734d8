from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.catalogue import ical, selectors, services
from ungkultur.catalogue.access import get_offer_for_public, get_offer_for_user, get_unit_for_user
from ungkultur.catalogue.cache import SEARCH_SECONDS, cached_municipality, search_key
from ungkultur.catalogue.forms import (
    AGE_LIMIT,
    OfferForm,
    OfferSearchForm,
    OfferTeachersForm,
    ScheduleForm,
    SchoolHolidayForm,
    SessionForm,
    VenueForm,
)
from ungkultur.catalogue.models import Offer, SchoolHoliday, Venue
from ungkultur.core.forms import add_service_errors
from ungkultur.municipalities.selectors import municipality_by_any_code

OFFERS_PER_PAGE = 20


def _municipality(code):
    """The municipality with this number, or a 301 to its current number (keeping the query)."""
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    return municipality


def _to_current_code(request, view_name, municipality):
    url = reverse(view_name, args=[municipality.code])
    if request.GET:
        url += "?" + request.GET.urlencode()
    return HttpResponsePermanentRedirect(url)


# --- The public catalogue ------------------------------------------------------------------------


@require_safe
def search(request, code):
    municipality = cached_municipality(code, _municipality)
    if municipality.code != code:
        # An old number (Kongsberg's 3006) leads to the catalogue under the current one.
        return _to_current_code(request, "catalogue:search", municipality)
    request.municipality = municipality
    context = {"municipality": municipality}
    fragment = bool(request.htmx and not request.htmx.history_restore_request)
    age = _own_age(request.user)
    if not request.GET and not fragment and age is not None:
        # The youth's own age is filled in (the address says so, the page stays cacheable);
        # "Nullstill" asks for every age with an empty one.
        return redirect(f"{reverse('catalogue:search', args=[code])}?age={age}")
    key = search_key(
        municipality_id=municipality.pk,
        language=get_language(),
        fragment=fragment,
        query=request.GET,
    )
    # Only the content of a valid query is ever kept, so a hit needs no form.
    html = cache.get(key)
    if html is None:
        form = OfferSearchForm(
            request.GET or None, venues=selectors.municipality_venues(municipality)
        )
        context["form"] = form
        if form.is_bound and not form.is_valid():
            return render(request, "catalogue/search.html", context, status=400)
        now = timezone.now()
        offers = selectors.catalogue_offers(municipality=municipality, now=now, **form.filters())
        page = Paginator(offers, OFFERS_PER_PAGE).get_page(
            form.cleaned_data.get("page") if form.is_bound else None
        )
        page.object_list = selectors.with_next_session(page.object_list, now=now)
        page.object_list = selectors.group_courses(
            selectors.with_join_state(page.object_list, today=timezone.localdate(now))
        )
        html = render_to_string(
            "catalogue/search.html#results" if fragment else "catalogue/search.html#content",
            {**context, "page": page, "fragment": fragment},
            request=request,
        )
        cache.set(key, html, SEARCH_SECONDS)
    if fragment:
        response = HttpResponse(html)
    else:
        # The layout around it carries the person's CSRF token, so it is rendered every time.
        response = render(request, "catalogue/search.html", {**context, "content": html})
    # The same address answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _own_age(user) -> int | None:
    if not user.is_authenticated or user.birth_year is None:
        return None
    age = timezone.localdate().year - user.birth_year
    return age if 1 <= age <= AGE_LIMIT else None


def _join_url(offer):
    """The sign-up page, once the enrolment app provides it."""
    try:
        return reverse("enrolment:join", args=[offer.pk])
    except NoReverseMatch:
        return None


def _render_offer(request, offer, *, status=200, errors=()):
    request.municipality = offer.municipality
    now = timezone.now()
    published = offer.status == Offer.Status.PUBLISHED
    return render(
        request,
        "catalogue/offer_detail.html",
        {
            "offer": offer,
            "sessions": selectors.offer_sessions(offer, now=now),
            "holidays": selectors.offer_school_holidays(offer, today=timezone.localdate(now)),
            "opening_times": selectors.offer_opening_times(offer, today=timezone.localdate(now)),
            "join_url": _join_url(offer)
            if published and offer.join_mode != Offer.JoinMode.DROP_IN
            else None,
            "join_state": selectors.with_join_state([offer], today=timezone.localdate(now))[
                0
            ].join_state,
            "own_status": selectors.own_enrolment_status(offer, request.user),
            "can_manage": request.user.has_perm("catalogue.manage_offer", offer),
            "errors": list(errors),
        },
        status=status,
    )


@require_safe
def offer_detail(request, pk):
    return _render_offer(request, get_offer_for_public(request, pk))


@require_safe
def calendar(request, code):
    municipality = _municipality(code)
    if municipality.code != code:
        return _to_current_code(request, "catalogue:calendar", municipality)
    now = timezone.now()
    body = ical.sessions_calendar(
        selectors.calendar_sessions(municipality, now=now),
        name=_("Tilbud for ungdom i %(name)s") % {"name": municipality.name},
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ungkultur-{municipality.code}.ics"'
    return response


# --- Staff ---------------------------------------------------------------------------------------


def _bound(request):
    return request.POST if request.method == "POST" else None


@require_safe
@login_required
def my_units(request):
    units = selectors.units_for_staff(request.user, now=timezone.now())
    return render(request, "catalogue/my_units.html", {"units": units})


@require_safe
@login_required
def unit_offers(request, unit_pk):
    unit = get_unit_for_user(request, unit_pk, "catalogue.view_unit_offers")
    request.municipality = unit.municipality
    offers = selectors.unit_offers(unit, now=timezone.now())
    # The unit's leader runs its offers; its teachers reach the groups they teach.
    can_lead = request.user.has_perm("catalogue.manage_unit_offers", unit)
    taught_ids = set() if can_lead else set(request.user.taught_offers.values_list("pk", flat=True))
    return render(
        request,
        "catalogue/unit_offers.html",
        {"unit": unit, "offers": offers, "can_lead": can_lead, "taught_ids": taught_ids},
    )


@require_http_methods(["GET", "POST"])
@login_required
def offer_create(request, unit_pk):
    unit = get_unit_for_user(request, unit_pk)
    request.municipality = unit.municipality
    form = OfferForm(
        _bound(request),
        unit=unit,
        venues=selectors.municipality_venues(unit.municipality),
        initial={"price": 0},
    )
    if form.is_valid():
        try:
            offer = services.offer_create(
                actor=request.user, unit=unit, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("«%(title)s» er lagret som utkast. Legg til tidspunkter, og publiser det.")
                % {"title": offer.title},
            )
            return redirect("catalogue:offer_detail", pk=offer.pk)
    return render(
        request,
        "catalogue/offer_form.html",
        {"unit": unit, "offer": None, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def offer_update(request, pk):
    offer = get_offer_for_user(request, pk)
    request.municipality = offer.municipality
    form = OfferForm(
        _bound(request),
        unit=offer.unit,
        venues=selectors.municipality_venues(offer.municipality),
        initial=OfferForm.initial_for(offer),
    )
    if form.is_valid():
        try:
            services.offer_update(
                actor=request.user, offer=offer, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("catalogue:offer_detail", pk=offer.pk)
    return render(
        request,
        "catalogue/offer_form.html",
        {"unit": offer.unit, "offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


def _change_status(request, pk, service, success_message):
    offer = get_offer_for_user(request, pk)
    try:
        offer = service(actor=request.user, offer=offer, now=timezone.now())
    except ValidationError as error:
        return _render_offer(request, offer, status=400, errors=error.messages)
    messages.success(request, success_message % {"title": offer.title})
    return redirect("catalogue:offer_detail", pk=offer.pk)


@require_POST
@login_required
def offer_publish(request, pk):
    return _change_status(
        request, pk, services.offer_publish, _("«%(title)s» er publisert og vises i katalogen.")
    )


@require_POST
@login_required
def offer_unpublish(request, pk):
    return _change_status(
        request,
        pk,
        services.offer_unpublish,
        _("«%(title)s» er gjort om til utkast og vises ikke lenger i katalogen."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def offer_teachers(request, pk):
    offer = get_offer_for_user(request, pk)
    request.municipality = offer.municipality
    now = timezone.now()
    form = OfferTeachersForm(
        _bound(request),
        candidates=selectors.offer_teacher_candidates(offer, day=timezone.localdate(now)),
        initial={"teachers": list(offer.teachers.all())},
    )
    if form.is_valid():
        try:
            services.offer_set_teachers(
                actor=request.user, offer=offer, teachers=form.cleaned_data["teachers"], now=now
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Lærerne er lagret."))
            return redirect("catalogue:offer_detail", pk=offer.pk)
    return render(
        request,
        "catalogue/offer_teachers.html",
        {"offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def schedule_create(request, pk):
    offer = get_offer_for_user(request, pk)
    request.municipality = offer.municipality
    form = ScheduleForm(
        _bound(request), initial={"first_date": offer.term_start, "last_date": offer.term_end}
    )
    if form.is_valid():
        try:
            schedule = services.schedule_create(
                actor=request.user, offer=offer, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = schedule.sessions.count()
            messages.success(
                request,
                ngettext(
                    "Det faste tidspunktet er lagt til, med %(count)s samling.",
                    "Det faste tidspunktet er lagt til, med %(count)s samlinger.",
                    count,
                )
                % {"count": count},
            )
            return redirect("catalogue:offer_detail", pk=offer.pk)
    return render(
        request,
        "catalogue/schedule_form.html",
        {"offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_create(request, pk):
    offer = get_offer_for_user(request, pk)
    request.municipality = offer.municipality
    form = SessionForm(_bound(request), venues=selectors.municipality_venues(offer.municipality))
    if form.is_valid():
        try:
            services.session_create(
                actor=request.user, offer=offer, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Samlingen er lagt til."))
            return redirect("catalogue:offer_detail", pk=offer.pk)
    return render(
        request,
        "catalogue/session_form.html",
        {"offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


# --- Places, for those who run a unit in the municipality ----------------------------------------


@require_safe
@login_required
def venue_list(request, unit_pk):
    unit = get_unit_for_user(request, unit_pk)
    request.municipality = unit.municipality
    venues = selectors.municipality_venues(unit.municipality)
    return render(request, "catalogue/venue_list.html", {"unit": unit, "venues": venues})


def _venue_form_page(request, unit, venue, form):
    return render(
        request,
        "catalogue/venue_form.html",
        {"unit": unit, "venue": venue, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def venue_create(request, unit_pk):
    unit = get_unit_for_user(request, unit_pk)
    request.municipality = unit.municipality
    form = VenueForm(_bound(request))
    if form.is_valid():
        try:
            venue = services.venue_create(
                actor=request.user,
                municipality=unit.municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("«%(name)s» er lagret.") % {"name": venue.name})
            return redirect("catalogue:venue_list", unit_pk=unit.pk)
    return _venue_form_page(request, unit, None, form)


@require_http_methods(["GET", "POST"])
@login_required
def venue_update(request, unit_pk, pk):
    unit = get_unit_for_user(request, unit_pk)
    request.municipality = unit.municipality
    venue = get_object_or_404(Venue, pk=pk, municipality_id=unit.municipality_id)
    form = VenueForm(_bound(request), initial=VenueForm.initial_for(venue))
    if form.is_valid():
        try:
            services.venue_update(
                actor=request.user, venue=venue, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("catalogue:venue_list", unit_pk=unit.pk)
    return _venue_form_page(request, unit, venue, form)


# --- School holidays ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def school_holidays(request, unit_pk):
    """A unit's school holidays (skolerute): listed, and a new one added."""
    unit = get_unit_for_user(request, unit_pk)
    request.municipality = unit.municipality
    form = SchoolHolidayForm(_bound(request))
    if form.is_valid():
        try:
            holiday, removed = services.school_holiday_create(
                actor=request.user, unit=unit, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(name)s er lagt inn. %(count)s samling i ferien er fjernet, uten at "
                    "noen fikk beskjed.",
                    "%(name)s er lagt inn. %(count)s samlinger i ferien er fjernet, uten at "
                    "noen fikk beskjed.",
                    removed,
                )
                % {"name": holiday.name, "count": removed},
            )
            return redirect("catalogue:school_holidays", unit_pk=unit.pk)
    return render(
        request,
        "catalogue/school_holidays.html",
        {
            "unit": unit,
            "form": form,
            "holidays": selectors.unit_school_holidays(unit, today=timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def school_holiday_delete(request, unit_pk, pk):
    unit = get_unit_for_user(request, unit_pk)
    holiday = get_object_or_404(SchoolHoliday, pk=pk, unit=unit)
    restored = services.school_holiday_delete(
        actor=request.user, holiday=holiday, now=timezone.now()
    )
    messages.success(
        request,
        ngettext(
            "%(name)s er slettet. %(count)s samling er lagt inn igjen.",
            "%(name)s er slettet. %(count)s samlinger er lagt inn igjen.",
            restored,
        )
        % {"name": holiday.name, "count": restored},
    )
    return redirect("catalogue:school_holidays", unit_pk=unit.pk)
