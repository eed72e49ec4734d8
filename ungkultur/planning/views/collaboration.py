"""Collaborations between units, and the shared library of collaboration models."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ungkultur.catalogue.models import Offer
from ungkultur.lib.terms import Term
from ungkultur.meetings.models import Event
from ungkultur.planning import charts, selectors, services
from ungkultur.planning.access import (
    get_municipality_for_user,
)
from ungkultur.planning.forms import (
    CollaborationForm,
    CollaborationModelForm,
    TermForm,
)
from ungkultur.planning.models import CollaborationModel, Measure
from ungkultur.planning.views._common import (
    add_service_errors,
    bound,
    public_municipality,
)


@require_safe
def collaboration(request, code):
    municipality = public_municipality(request, code)
    form = TermForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.errors["term"][0], status=400)
    terms = selectors.collaboration_terms(municipality)
    term = form.cleaned_data["term"] or (
        terms[0] if terms else str(Term.containing(timezone.localdate()))
    )
    network = selectors.network_for(municipality, term)
    drawing = charts.network(
        [charts.Node(key=u.pk, label=u.name, kind=u.kind) for u in network["units"]],
        network["pairs"],
        title=_("Hvem samarbeider med hvem i %(name)s, %(term)s")
        % {"name": municipality.name, "term": term},
        description=_(
            "Nettverk med %(units)s enheter og %(pairs)s samarbeidspar. "
            "Tabellen under viser det samme."
        )
        % {"units": len(network["units"]), "pairs": len(network["pairs"])},
    )
    return render(
        request,
        "planning/collaboration.html",
        {
            "municipality": municipality,
            "term": term,
            "terms": terms,
            "network": network,
            "drawing": drawing,
            "can_record": request.user.has_perm("planning.record_collaboration", municipality),
            # Measures are the project group's working documents; the public sees the units.
            "can_view_measures": request.user.has_perm("planning.view_municipality", municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def collaboration_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.record_collaboration")
    form = CollaborationForm(
        bound(request),
        initial={"term": str(Term.containing(timezone.localdate()))},
        units=municipality.units.order_by("kind", "name"),
        offers=Offer.objects.filter(municipality=municipality).order_by("title"),
        events=Event.objects.filter(
            Q(municipality=municipality) | Q(municipality__isnull=True)
        ).order_by("-starts_at"),
        measures=Measure.objects.filter(municipality=municipality),
    )
    if form.is_valid():
        try:
            created = services.collaboration_create(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Samarbeidet er registrert."))
            return redirect(
                f"{reverse('planning:collaboration', args=[municipality.code])}?term={created.term}"
            )
    return render(
        request,
        "planning/collaboration_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_safe
def model_list(request):
    models = CollaborationModel.objects.select_related("municipality")
    return render(request, "planning/model_list.html", {"models": models})


@require_safe
def model_detail(request, pk):
    model = get_object_or_404(CollaborationModel.objects.select_related("municipality"), pk=pk)
    return render(request, "planning/model_detail.html", {"model": model})


@require_http_methods(["GET", "POST"])
@login_required
def model_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.record_collaboration")
    form = CollaborationModelForm(bound(request))
    if form.is_valid():
        model = services.collaboration_model_create(
            actor=request.user, municipality=municipality, now=timezone.now(), **form.cleaned_data
        )
        messages.success(request, _("Modellen er delt med alle kommuner."))
        return redirect("planning:model_detail", pk=model.pk)
    return render(
        request,
        "planning/model_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )
