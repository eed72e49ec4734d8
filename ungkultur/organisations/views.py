from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ungkultur.municipalities.models import Municipality
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.municipalities.services import municipality_set_kk
from ungkultur.organisations.forms import MunicipalityFilterForm
from ungkultur.organisations.models import Group, Unit
from ungkultur.organisations.selectors import groups_with_counts


def home(request):
    municipalities = Municipality.objects.kk_active().select_related("county")
    return render(request, "organisations/home.html", {"municipalities": municipalities})


def municipality_list(request):
    form = MunicipalityFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "organisations/municipality_list.html", {"form": form}, status=400)
    municipalities = Municipality.objects.select_related("county")
    if form.is_bound:
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"].strip()
            municipalities = municipalities.filter(name__icontains=q) | municipalities.filter(
                code=q
            )
        if form.cleaned_data["county"]:
            municipalities = municipalities.filter(county=form.cleaned_data["county"])
        if form.cleaned_data["kk"]:
            municipalities = municipalities.filter(kk_active=True)
    template = "organisations/municipality_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "municipalities": municipalities.order_by("name"),
            "can_set_kk": request.user.has_perm("municipalities.set_kk"),
        },
    )


def municipality_detail(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    if municipality.code != code:
        # An old number (Kongsberg's 3006) leads to the municipality under its current one.
        return redirect("organisations:municipality_detail", code=municipality.code, permanent=True)
    request.municipality = municipality
    day = timezone.localdate()
    units = list(municipality.units.select_related("organisation"))
    groups = list(groups_with_counts(municipality=municipality, day=day))
    return render(
        request,
        "organisations/municipality_detail.html",
        {
            "municipality": municipality,
            "services": [u for u in units if not u.is_partner],
            "partners": [u for u in units if u.is_partner],
            "groups": groups,
            "former_codes": municipality.codes.exclude(code=municipality.code),
            "can_set_kk": request.user.has_perm("municipalities.set_kk"),
            "unit_kinds": Unit.Kind,
            "group_kinds": Group.Kind,
        },
    )


def _set_kk(request, code, active):
    if not request.user.has_perm("municipalities.set_kk"):
        raise PermissionDenied
    municipality = get_object_or_404(Municipality, code=code)
    municipality_set_kk(
        actor=request.user, municipality=municipality, active=active, today=timezone.localdate()
    )
    if active:
        messages.success(
            request,
            _("%(name)s er nå med i koordinert kulturarbeid.") % {"name": municipality.name},
        )
    else:
        messages.success(
            request,
            _("%(name)s er ikke lenger med i koordinert kulturarbeid.")
            % {"name": municipality.name},
        )
    return redirect("organisations:municipality_detail", code=municipality.code)


@require_POST
@login_required
def municipality_kk_activate(request, code):
    return _set_kk(request, code, True)


@require_POST
@login_required
def municipality_kk_deactivate(request, code):
    return _set_kk(request, code, False)


def national(request):
    return render(request, "organisations/national.html", {})
