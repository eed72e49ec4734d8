from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.catalogue.models import Offer
from ungkultur.core.forms import add_service_errors
from ungkultur.indicators.signals import enqueue_refresh
from ungkultur.municipalities.importers import (
    CSV_HEADER,
    PopulationImportError,
    population_import,
)
from ungkultur.onboarding import selectors
from ungkultur.onboarding.access import get_municipality_for_user, get_unit_for_user
from ungkultur.onboarding.forms import PopulationUploadForm, UnitCloseForm, UnitForm
from ungkultur.organisations import services
from ungkultur.organisations.models import Unit


def _posted(request):
    """The posted data, or None for a GET: an empty POST is still a POST (and an error)."""
    return request.POST if request.method == "POST" else None


# --- Units -------------------------------------------------------------------------------------


@require_safe
@login_required
def unit_list(request, code):
    municipality = get_municipality_for_user(request, code, "onboarding.manage_units")
    units = list(
        Unit.objects.filter(municipality=municipality)
        .select_related("organisation")
        .order_by("kind", "name")
    )
    return render(
        request,
        "onboarding/unit_list.html",
        {
            "municipality": municipality,
            "units": [u for u in units if not u.is_closed],
            "closed_units": [u for u in units if u.is_closed],
        },
    )


def _unit_form_page(request, municipality, unit, form):
    return render(
        request,
        "onboarding/unit_form.html",
        {"municipality": municipality, "unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def unit_create(request, code):
    municipality = get_municipality_for_user(request, code, "onboarding.manage_units")
    form = UnitForm(_posted(request), initial={"kind": request.GET.get("kind")})
    if form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("«%(name)s» er lagt inn.") % {"name": unit.name})
            return redirect("onboarding:unit_list", code=municipality.code)
    return _unit_form_page(request, municipality, None, form)


@require_http_methods(["GET", "POST"])
@login_required
def unit_update(request, pk):
    unit = get_unit_for_user(request, pk)
    form = UnitForm(_posted(request), initial=UnitForm.initial_for(unit))
    if form.is_valid():
        try:
            services.unit_update(
                actor=request.user, unit=unit, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("onboarding:unit_list", code=unit.municipality.code)
    return _unit_form_page(request, unit.municipality, unit, form)


@require_http_methods(["GET", "POST"])
@login_required
def unit_close(request, pk):
    unit = get_unit_for_user(request, pk)
    form = UnitCloseForm(_posted(request), initial={"closed_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.unit_close(
                actor=request.user,
                unit=unit,
                closed_on=form.cleaned_data["closed_on"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("«%(name)s» er lagt ned.") % {"name": unit.name})
            return redirect("onboarding:unit_list", code=unit.municipality.code)
    return render(
        request,
        "onboarding/unit_close.html",
        {
            "municipality": unit.municipality,
            "unit": unit,
            "form": form,
            # Closing hides the unit, not its offers: the catalogue keeps what is published.
            "published_offers": Offer.objects.published().filter(unit=unit).count(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def unit_reopen(request, pk):
    unit = get_unit_for_user(request, pk)
    services.unit_reopen(actor=request.user, unit=unit, now=timezone.now())
    messages.success(request, _("«%(name)s» er åpnet igjen.") % {"name": unit.name})
    return redirect("onboarding:unit_list", code=unit.municipality.code)


# --- Population --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def population(request, code):
    municipality = get_municipality_for_user(request, code, "onboarding.import_population")
    form = PopulationUploadForm(_posted(request), request.FILES or None)
    context = {"municipality": municipality, "form": form, "columns": CSV_HEADER}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                context["report"] = population_import(
                    file=form.cleaned_data["file"],
                    now=timezone.now(),
                    municipality=municipality,
                    actor=request.user,
                )
            except PopulationImportError as error:
                form.add_error(
                    "file",
                    ngettext(
                        "Filen har %(count)s feil, så ingenting ble lagret. Se listen over "
                        "skjemaet.",
                        "Filen har %(count)s feil, så ingenting ble lagret. Se listen over "
                        "skjemaet.",
                        error.total,
                    )
                    % {"count": error.total},
                )
                context["import_error"] = error
                context["more_errors"] = error.total - len(error.errors)
            else:
                status = 200
                # The indicators divide by these figures: recompute them once stored.
                transaction.on_commit(lambda: enqueue_refresh(municipality.pk))
    now = timezone.now()
    needed = selectors.population_years_needed(now)
    present = sorted(selectors.population_years_present([municipality.pk])[municipality.pk])
    context |= {
        "years_needed": needed,
        "years_present": present,
        "years_missing": [year for year in needed if year not in present],
    }
    return render(request, "onboarding/population.html", context, status=status)


# --- The checklist and the national overview ---------------------------------------------------


@require_safe
@login_required
def checklist(request, code):
    municipality = get_municipality_for_user(request, code, "onboarding.view_checklist")
    steps = selectors.checklist(municipality, now=timezone.now())
    return render(
        request,
        "onboarding/checklist.html",
        {
            "municipality": municipality,
            "steps": steps,
            "done_count": sum(step.done for step in steps),
        },
    )


@require_safe
@login_required
def overview(request):
    if not request.user.has_perm("onboarding.view_overview"):
        raise PermissionDenied
    rows = selectors.overview(now=timezone.now())
    return render(
        request,
        "onboarding/overview.html",
        {"rows": rows, "titles": [str(title) for _key, title in selectors.STEPS]},
    )
