from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ungkultur.core.forms import add_service_errors
from ungkultur.municipalities.models import Municipality
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations import services
from ungkultur.organisations.access import get_group_for_user, get_membership_for_user
from ungkultur.organisations.forms import (
    MembershipAddForm,
    MembershipEndForm,
    MunicipalityFilterForm,
)
from ungkultur.organisations.invitations import may_invite_in
from ungkultur.organisations.models import Group, Membership, Organisation
from ungkultur.organisations.selectors import (
    group_membership_history,
    kk_municipalities_with_project_leaders,
    memberships_by_group,
    municipality_organisation,
    national_groups,
)

MUNICIPALITIES_PER_PAGE = 50


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
    page = Paginator(municipalities.order_by("name"), MUNICIPALITIES_PER_PAGE).get_page(
        form.cleaned_data.get("page") if form.is_bound else 1
    )
    template = "organisations/municipality_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "page": page})


def municipality_detail(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    if municipality.code != code:
        # An old number (Kongsberg's 3006) leads to the municipality under its current one.
        return redirect("organisations:municipality_detail", code=municipality.code, permanent=True)
    request.municipality = municipality
    units, groups, members = municipality_organisation(municipality, day=timezone.localdate())
    groups = [
        {
            "group": group,
            "adults": [m for m in members[group.pk] if not m.is_youth],
            "member_count": len(members[group.pk]),
            "youth_count": sum(m.is_youth for m in members[group.pk]),
        }
        for group in groups
    ]
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
            # Switch-on leads here: the project leader is the next step (views_people).
            "can_invite": request.user.is_authenticated
            and may_invite_in(request.user, municipality),
            "has_project_leader": any(
                m.role == Membership.Role.PROJECT_LEADER for item in groups for m in item["adults"]
            ),
            # A rule of the indicators app, asked by name (organisations sits below it).
            "can_see_indicators": request.user.has_perm("indicators.view_dashboard", municipality),
        },
    )


@require_safe
def national(request):
    day = timezone.localdate()
    return render(
        request,
        "organisations/national.html",
        {
            "organisations": Organisation.objects.all(),
            "groups": [
                (group, [m for m in members if not m.is_youth], sum(m.is_youth for m in members))
                for group, members in national_groups(day=day)
            ],
            "municipalities": kk_municipalities_with_project_leaders(day=day),
            # Rules of higher apps, asked by name (organisations sits below them).
            "can_follow_all": request.user.has_perm("planning.follow_all"),
            "can_see_national_indicators": request.user.has_perm("indicators.view_national"),
            "can_build_surveys": request.user.has_perm("surveys.build"),
        },
    )


@require_safe
def group_detail(request, pk):
    group = get_object_or_404(Group.objects.select_related("municipality"), pk=pk)
    request.municipality = group.municipality
    day = timezone.localdate()
    memberships = memberships_by_group([group], day=day)[group.pk]
    can_view_members = request.user.has_perm("organisations.view_group_members", group)
    own_count = sum(1 for m in memberships if m.group_id == group.pk)
    return render(
        request,
        "organisations/group_detail.html",
        {
            "group": group,
            "adults": [m for m in memberships if not m.is_youth],
            "youth": [m for m in memberships if m.is_youth],
            "free_seats": max(group.seats - own_count, 0) if group.seats is not None else None,
            "history": group_membership_history(group, day=day) if can_view_members else None,
            "can_view_members": can_view_members,
            "can_manage": request.user.has_perm("organisations.manage_group", group),
        },
    )


# Service errors are keyed by the model's names; the form asks for the person by e-mail.
SERVICE_FIELD_TO_FORM_FIELD = {"user": "email"}


@require_http_methods(["GET", "POST"])
@login_required
def membership_add(request, pk):
    group = get_group_for_user(request, pk, "organisations.manage_group")
    form = MembershipAddForm(
        request.POST or None, group=group, initial={"start": timezone.localdate()}
    )
    status = 200
    if form.is_valid():
        try:
            membership = services.membership_create(
                actor=request.user,
                group=group,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except PermissionDenied as refusal:
            # Adding oneself: the form says why, with 403 (nobody grants themself a seat).
            form.add_error("email", str(refusal))
            status = 403
        except ValidationError as error:
            add_service_errors(form, error, rename=SERVICE_FIELD_TO_FORM_FIELD)
        else:
            messages.success(
                request,
                _("%(name)s er lagt til i %(group)s.")
                % {"name": membership.user.full_name, "group": group.name},
            )
            return redirect("organisations:group_detail", pk=group.pk)
    return render(
        request,
        "organisations/membership_add.html",
        {"group": group, "form": form},
        status=400 if form.errors and status == 200 else status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_end(request, pk):
    membership = get_membership_for_user(request, pk, "organisations.manage_group")
    form = MembershipEndForm(request.POST or None, initial={"end": timezone.localdate()})
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, end=form.cleaned_data["end"]
            )
        except ValidationError as error:
            add_service_errors(form, error, rename=SERVICE_FIELD_TO_FORM_FIELD)
        else:
            messages.success(
                request,
                _("Medlemskapet til %(name)s i %(group)s er avsluttet.")
                % {"name": membership.user.full_name, "group": membership.group.name},
            )
            return redirect("organisations:group_detail", pk=membership.group_id)
    return render(
        request,
        "organisations/membership_end.html",
        {"membership": membership, "group": membership.group, "form": form},
        status=400 if form.errors else 200,
    )
