from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from ungkultur.core.forms import add_service_errors
from ungkultur.lib.spreadsheet import csv_writer
from ungkultur.organisations.models import Unit
from ungkultur.ukm import services
from ungkultur.ukm.access import (
    MANAGE_EVENT,
    get_event_for_staff,
    get_innslag_for_staff,
    get_own_innslag,
    get_ukm_unit_for_user,
)
from ungkultur.ukm.forms import ForwardForm, InnslagForms, UkmEventForm
from ungkultur.ukm.models import Innslag, UkmEvent
from ungkultur.ukm.selectors import (
    entry_counts,
    event_entries,
    events_of_unit,
    innslag_parts,
    own_innslag,
    public_entry_counts,
)

# --- Events ------------------------------------------------------------------------------------


@require_safe
def event_list(request, unit_pk):
    unit = get_object_or_404(
        Unit.objects.select_related("municipality"), pk=unit_pk, kind=Unit.Kind.UKM
    )
    request.municipality = unit.municipality
    return render(
        request,
        "ukm/event_list.html",
        {
            "unit": unit,
            "events": events_of_unit(unit),
            "can_manage": request.user.has_perm(MANAGE_EVENT, unit),
        },
    )


@require_safe
def event_detail(request, pk):
    event = get_object_or_404(UkmEvent.objects.select_related("unit__municipality", "venue"), pk=pk)
    request.municipality = event.unit.municipality
    now = timezone.now()
    return render(
        request,
        "ukm/event_detail.html",
        {
            "event": event,
            "signup_open": event.signup_is_open(now),
            "signup_not_yet_open": now < event.signup_opens,
            "counts": public_entry_counts(event, n=settings.UNGKULTUR_DISCLOSURE_MIN_N),
            "own": own_innslag(event, request.user),
            "can_manage": request.user.has_perm(MANAGE_EVENT, event.unit),
        },
    )


def _event_form_page(request, form, *, unit, event=None):
    return render(
        request,
        "ukm/event_form.html",
        {"form": form, "unit": unit, "event": event},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_new(request, unit_pk):
    unit = get_ukm_unit_for_user(request, unit_pk)
    request.municipality = unit.municipality
    form = UkmEventForm(request.POST or None, unit=unit)
    if form.is_valid():
        try:
            event = services.ukm_event_create(
                actor=request.user, unit=unit, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Arrangementet er opprettet."))
            return redirect("ukm:event_detail", pk=event.pk)
    return _event_form_page(request, form, unit=unit)


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request, pk):
    event = get_event_for_staff(request, pk)
    request.municipality = event.unit.municipality
    initial = {
        field: getattr(event, field)
        for field in ("name", "description", "starts_at", "venue", "signup_opens", "signup_closes")
    }
    form = UkmEventForm(request.POST or None, unit=event.unit, initial=initial)
    if form.is_valid():
        try:
            services.ukm_event_update(
                actor=request.user, event=event, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Arrangementet er endret."))
            return redirect("ukm:event_detail", pk=event.pk)
    return _event_form_page(request, form, unit=event.unit, event=event)


def _manage_page(request, event, *, status=200):
    return render(
        request,
        "ukm/event_manage.html",
        {"event": event, "entries": event_entries(event), "counts": entry_counts(event)},
        status=status,
    )


@require_safe
@login_required
def event_manage(request, pk):
    event = get_event_for_staff(request, pk)
    request.municipality = event.unit.municipality
    return _manage_page(request, event)


@require_POST
@login_required
def innslag_forward(request, pk):
    innslag = get_innslag_for_staff(request, pk)
    event = innslag.event
    form = ForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vi skjønte ikke hva du ville gjøre. Prøv igjen."))
        return _manage_page(request, event, status=400)
    forwarded = form.cleaned_data["forwarded"]
    try:
        services.innslag_forward(
            actor=request.user, innslag=innslag, forwarded=forwarded, now=timezone.now()
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _manage_page(request, event, status=400)
    if forwarded:
        message = _("%(name)s er videresendt til fylkesfestivalen.")
    else:
        message = _("%(name)s er ikke lenger videresendt.")
    messages.success(request, message % {"name": innslag.name})
    return redirect("ukm:event_manage", pk=event.pk)


@require_GET
@login_required
def forwarded_export(request, pk):
    """The entries forwarded to the county festival, as CSV for the county's UKM contact:
    each entry with its type, titles and the first names and birth years of its people."""
    event = get_event_for_staff(request, pk)
    rows = (
        Innslag.objects.filter(event=event, forwarded_at__isnull=False)
        .prefetch_related("persons", "titles")
        .order_by("forwarded_at", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="videresendt-{event.pk}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow([_("Innslag"), _("Type"), _("Videresendt"), _("Titler"), _("Personer")])
    for innslag in rows:
        writer.writerow(
            [
                innslag.name,
                innslag.get_type_display(),
                timezone.localtime(innslag.forwarded_at).date().isoformat(),
                "; ".join(t.title for t in innslag.titles.all()),
                "; ".join(
                    f"{p.first_name} {p.last_name} ({p.birth_year})" for p in innslag.persons.all()
                ),
            ]
        )
    return response


# --- Entries (innslag) -------------------------------------------------------------------------


def _innslag_form_page(request, forms_, *, event, innslag=None):
    return render(
        request,
        "ukm/innslag_form.html",
        {
            "forms": forms_,
            "event": event,
            "innslag": innslag,
            "event_year": services.event_year(event),
        },
        status=400 if forms_.has_errors else 200,
    )


def _closed_page(request, event, now):
    return render(
        request,
        "ukm/signup_closed.html",
        {"event": event, "not_yet_open": now < event.signup_opens},
        status=400,
    )


def _refuse_when_closed(forms_, event, now):
    """A form sent after the deadline comes back with what was typed and says why (the service
    refuses it too)."""
    if forms_.is_bound and not event.signup_is_open(now):
        forms_.form.add_error(None, _("Påmeldingen er stengt"))


@require_http_methods(["GET", "POST"])
@login_required
def innslag_new(request, pk):
    event = get_object_or_404(UkmEvent.objects.select_related("unit__municipality", "venue"), pk=pk)
    request.municipality = event.unit.municipality
    now = timezone.now()
    if request.method == "GET" and not event.signup_is_open(now):
        return _closed_page(request, event, now)
    me = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "birth_year": request.user.birth_year,
    }
    forms_ = InnslagForms(request.POST or None, event_year=services.event_year(event), me=me)
    _refuse_when_closed(forms_, event, now)
    if forms_.is_bound and forms_.is_valid():
        try:
            innslag = services.innslag_create(
                actor=request.user, event=event, now=now, **forms_.service_fields()
            )
        except ValidationError as error:
            forms_.add_service_errors(error)
        else:
            messages.success(
                request, _("%(name)s er meldt på. Lykke til!") % {"name": innslag.name}
            )
            return redirect("ukm:event_detail", pk=event.pk)
    return _innslag_form_page(request, forms_, event=event)


@require_http_methods(["GET", "POST"])
@login_required
def innslag_edit(request, pk):
    innslag = get_own_innslag(request, pk)
    event = innslag.event
    request.municipality = event.unit.municipality
    now = timezone.now()
    if request.method == "GET" and not event.signup_is_open(now):
        return _closed_page(request, event, now)
    persons, titles = innslag_parts(innslag)
    forms_ = InnslagForms(
        request.POST or None,
        event_year=services.event_year(event),
        innslag=innslag,
        persons=persons,
        titles=titles,
    )
    _refuse_when_closed(forms_, event, now)
    if forms_.is_bound and forms_.is_valid():
        try:
            saved = services.innslag_update(
                actor=request.user, innslag=innslag, now=now, **forms_.service_fields()
            )
        except ValidationError as error:
            forms_.add_service_errors(error)
        else:
            messages.success(request, _("%(name)s er endret.") % {"name": saved.name})
            return redirect("ukm:event_detail", pk=event.pk)
    return _innslag_form_page(request, forms_, event=event, innslag=innslag)
