"""Onboarding a municipality in the product: switching KK on and off, invitations, unit staff.

Tenancy as everywhere (docs/architecture.md): another municipality's page or object answers 404,
a role that may not act answers 403.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ungkultur.accounts.models import User
from ungkultur.core.forms import add_service_errors
from ungkultur.municipalities.models import Municipality
from ungkultur.municipalities.services import municipality_set_kk
from ungkultur.organisations import invitations as service
from ungkultur.organisations.forms_people import (
    InvitationAcceptForm,
    InvitationForm,
    KKSwitchForm,
    UnitStaffEndForm,
)
from ungkultur.organisations.models import Invitation, Membership, UnitStaff
from ungkultur.organisations.selectors import roles_for
from ungkultur.organisations.staff import unit_roles_for, unit_staff_end

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refuse(request, municipality_id):
    """404 for a municipality that is not the user's own, else 403."""
    if not roles_for(request.user).belongs_to(municipality_id):
        raise Http404
    raise PermissionDenied


# --- KK on and off -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def municipality_kk_switch(request, code, active):
    if not request.user.has_perm("municipalities.set_kk"):
        raise PermissionDenied
    municipality = get_object_or_404(Municipality, code=code)
    request.municipality = municipality
    form = KKSwitchForm(request.POST or None)
    if form.is_valid():
        try:
            municipality_set_kk(
                actor=request.user,
                municipality=municipality,
                active=active,
                today=timezone.localdate(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if active:
                messages.success(
                    request,
                    _(
                        "%(name)s er nå med i koordinert kulturarbeid. Neste steg: inviter "
                        "kommunens prosjektleder."
                    )
                    % {"name": municipality.name},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s er ikke lenger med i koordinert kulturarbeid.")
                    % {"name": municipality.name},
                )
            return redirect("organisations:municipality_detail", code=municipality.code)
    return render(
        request,
        "organisations/municipality_kk_switch.html",
        {
            "municipality": municipality,
            "active": active,
            "form": form,
            "periods": municipality.kk_periods.select_related("started_by", "ended_by"),
        },
        status=400 if form.errors else 200,
    )


def municipality_kk_activate(request, code):
    return municipality_kk_switch(request, code, True)


def municipality_kk_deactivate(request, code):
    return municipality_kk_switch(request, code, False)


# --- People: unit staff and invitations ----------------------------------------------------------


def _municipality_for_inviter(request, code) -> Municipality:
    municipality = get_object_or_404(Municipality, code=code)
    if not service.may_invite_in(request.user, municipality):
        _refuse(request, municipality.pk)
    request.municipality = municipality
    return municipality


def _invitation_state(invitation: Invitation, now) -> str:
    if invitation.accepted_at:
        return _("Godtatt %(day)s") % {"day": timezone.localtime(invitation.accepted_at).date()}
    if invitation.revoked_at:
        return _("Trukket tilbake")
    if invitation.expires_at <= now:
        return _("Utløpt")
    return _("Venter på svar")


@require_http_methods(["GET"])
@login_required
def people(request, code):
    municipality = _municipality_for_inviter(request, code)
    now = timezone.now()
    roles = roles_for(request.user)
    sees_all = roles.is_admin or municipality.pk in roles.leader_municipalities
    staff = (
        UnitStaff.objects.active_on(timezone.localdate(now))
        .filter(unit__municipality=municipality)
        .select_related("unit", "user")
        .order_by("unit__name", "role", "user__first_name")
    )
    invitations = Invitation.objects.filter(municipality=municipality).select_related(
        "municipality", "group", "unit", "invited_by"
    )
    if not sees_all:
        # A unit's leader sees and invites the people of the units they lead.
        staff = staff.filter(unit_id__in=roles.led_unit_ids)
        invitations = invitations.filter(unit_id__in=roles.led_unit_ids)
    rows = [
        {
            "staff": s,
            "can_end": s.user_id != request.user.pk
            and s.role in unit_roles_for(request.user, s.unit),
        }
        for s in staff
    ]
    open_invitations, closed_invitations = [], []
    for invitation in invitations.order_by("-created_at", "-pk")[:200]:
        item = {
            "invitation": invitation,
            "state": _invitation_state(invitation, now),
            "can_manage": invitation.is_open
            and service.may_manage_invitation(request.user, invitation),
        }
        (open_invitations if invitation.is_open else closed_invitations).append(item)
    return render(
        request,
        "organisations/people.html",
        {
            "municipality": municipality,
            "staff_rows": rows,
            "open_invitations": open_invitations,
            "closed_invitations": closed_invitations[:50],
            "has_project_leader": Membership.objects.active_on(timezone.localdate(now))
            .filter(
                group__municipality=municipality,
                group__kind="local_project_group",
                role=Membership.Role.PROJECT_LEADER,
            )
            .exists(),
        },
    )


def _initial_invitation(request) -> dict:
    """Preselect the target and role from the query (links from the checklist)."""
    initial = {}
    group = request.GET.get("group")
    unit = request.GET.get("unit")
    role = request.GET.get("role")
    if role == Membership.Role.PROJECT_LEADER:
        initial = {"target": "group:local_project_group", "role": "group:project_leader"}
    elif group in ("local_project_group", "youth_resource_group"):
        initial["target"] = f"group:{group}"
        if group == "youth_resource_group":
            initial["role"] = "group:youth_member"
    elif unit and unit.isdigit():
        initial["target"] = f"unit:{unit}"
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def invitation_create(request, code):
    municipality = _municipality_for_inviter(request, code)
    form = InvitationForm(
        request.POST or None,
        actor=request.user,
        municipality=municipality,
        initial=_initial_invitation(request),
    )
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = service.invitation_create(
                actor=request.user,
                municipality=municipality,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                group_kind=data["group_kind"],
                membership_role=data["membership_role"],
                unit=data["unit"],
                unit_role=data["unit_role"],
                now=timezone.now(),
            )
        except PermissionDenied as refusal:
            form.add_error("email", str(refusal))
            status = 403
        except ValidationError as error:
            add_service_errors(form, error, rename={"unit": "target"})
        else:
            messages.success(
                request,
                _("Invitasjonen er sendt til %(email)s. Lenken virker i 14 dager.")
                % {"email": invitation.email},
            )
            return redirect("organisations:invitation_list", code=municipality.code)
    return render(
        request,
        "organisations/invitation_create.html",
        {"municipality": municipality, "form": form},
        status=400 if form.errors and status == 200 else status,
    )


def _invitation_for_manager(request, pk) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("municipality", "group", "unit", "invited_by"), pk=pk
    )
    if not service.may_manage_invitation(request.user, invitation):
        _refuse(request, invitation.municipality_id)
    return invitation


@require_POST
@login_required
def invitation_resend(request, pk):
    invitation = _invitation_for_manager(request, pk)
    try:
        service.invitation_resend(actor=request.user, invitation=invitation, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("En ny lenke er sendt til %(email)s. Den forrige virker ikke lenger.")
            % {"email": invitation.email},
        )
    return redirect("organisations:invitation_list", code=invitation.municipality.code)


@require_POST
@login_required
def invitation_revoke(request, pk):
    invitation = _invitation_for_manager(request, pk)
    try:
        service.invitation_revoke(actor=request.user, invitation=invitation, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Invitasjonen til %(email)s er trukket tilbake.") % {"email": invitation.email},
        )
    return redirect("organisations:invitation_list", code=invitation.municipality.code)


# --- Accepting -----------------------------------------------------------------------------------

INVALID_MESSAGES = {
    service.InvitationError.INVALID: gettext_lazy(
        "Lenken er ikke gyldig. Sjekk at du har kopiert hele lenken."
    ),
    service.InvitationError.EXPIRED: gettext_lazy(
        "Invitasjonen har gått ut, eller det er sendt en nyere lenke. Be den som inviterte deg "
        "om å sende den på nytt."
    ),
    service.InvitationError.USED: gettext_lazy(
        "Invitasjonen er allerede brukt. Logg inn for å fortsette."
    ),
    service.InvitationError.REVOKED: gettext_lazy("Invitasjonen er trukket tilbake."),
}


def _login_url(next_url: str) -> str:
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


def _invalid(request, error: service.InvitationError):
    return render(
        request,
        "organisations/invitation_invalid.html",
        {"message": INVALID_MESSAGES[error.reason], "reason": error.reason},
        status=410 if error.reason != service.InvitationError.INVALID else 400,
    )


def _accepted(request, invitation: Invitation, user):
    messages.success(
        request,
        _("Velkommen! Du er nå %(role)s i %(target)s.")
        % {"role": invitation.get_role_display(), "target": invitation.target},
    )
    return redirect("organisations:municipality_detail", code=invitation.municipality.code)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    now = timezone.now()
    try:
        invitation = service.invitation_for_token(token, now=now)
    except service.InvitationError as error:
        return _invalid(request, error)
    request.municipality = invitation.municipality
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    user = request.user if request.user.is_authenticated else None
    is_invitee = user is not None and user.email.lower() == invitation.email.lower()
    context = {
        "invitation": invitation,
        "has_account": has_account,
        "is_invitee": is_invitee,
        "is_youth": invitation.membership_role == Membership.Role.YOUTH_MEMBER,
        "login_url": _login_url(request.path),
    }
    if user is not None and not is_invitee:
        return render(request, "organisations/invitation_accept.html", context, status=403)
    if context["is_youth"] or (has_account and not is_invitee):
        # Youth answer on Min side; an existing account logs in first.
        if context["is_youth"] and is_invitee:
            return redirect("mypage:index")
        if context["is_youth"]:
            context["login_url"] = _login_url(reverse("mypage:index"))
        return render(request, "organisations/invitation_accept.html", context)
    form = None
    if not has_account:
        form = InvitationAcceptForm(
            request.POST or None,
            email=invitation.email,
            initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
        )
    context["form"] = form
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            accepted = service.invitation_accept(
                invitation=invitation,
                now=now,
                user=user,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                password=data.get("password1"),
            )
        except service.InvitationError as error:
            return _invalid(request, error)
        except PermissionDenied as refusal:
            context["refusal"] = str(refusal)
            return render(request, "organisations/invitation_accept.html", context, status=403)
        except ValidationError as error:
            context["refusal"] = " ".join(error.messages)
            return render(request, "organisations/invitation_accept.html", context, status=400)
        if user is None:
            login(request, accepted, backend=LOGIN_BACKEND)
        return _accepted(request, invitation, accepted)
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "organisations/invitation_accept.html", context, status=status)


@require_POST
@login_required
def invitation_accept_own(request, pk):
    """Accept from Min side: one of the invitations sent to the user's own e-mail."""
    now = timezone.now()
    invitation = (
        Invitation.objects.filter(pk=pk, email__iexact=request.user.email)
        .select_related("municipality", "group", "unit", "invited_by")
        .first()
    )
    if invitation is None:
        raise Http404
    try:
        service.invitation_accept(invitation=invitation, now=now, user=request.user)
    except service.InvitationError as error:
        messages.error(request, INVALID_MESSAGES[error.reason])
    except (PermissionDenied, ValidationError) as error:
        messages.error(
            request,
            str(error) if isinstance(error, PermissionDenied) else " ".join(error.messages),
        )
    else:
        return _accepted(request, invitation, request.user)
    return redirect("mypage:index")


# --- Ending a unit role --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def unit_staff_end_view(request, pk):
    staff = get_object_or_404(UnitStaff.objects.select_related("unit__municipality", "user"), pk=pk)
    if staff.role not in unit_roles_for(request.user, staff.unit):
        _refuse(request, staff.unit.municipality_id)
    request.municipality = staff.unit.municipality
    form = UnitStaffEndForm(request.POST or None, initial={"end": timezone.localdate()})
    status = 200
    if form.is_valid():
        try:
            unit_staff_end(actor=request.user, staff=staff, end=form.cleaned_data["end"])
        except PermissionDenied as refusal:
            form.add_error("end", str(refusal))
            status = 403
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Rollen til %(name)s i %(unit)s er avsluttet.")
                % {"name": staff.user.full_name, "unit": staff.unit.name},
            )
            return redirect("organisations:staff_list", code=staff.unit.municipality.code)
    return render(
        request,
        "organisations/unit_staff_end.html",
        {"staff": staff, "form": form},
        status=400 if form.errors and status == 200 else status,
    )
