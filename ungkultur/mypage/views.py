from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ungkultur.accounts import services
from ungkultur.accounts.models import Consent
from ungkultur.accounts.selectors import consent_acting_as
from ungkultur.enrolment.selectors import my_activities
from ungkultur.evaluations.selectors import guardian_name_decisions
from ungkultur.meetings.selectors import mypage_section as meetings_section
from ungkultur.mypage.access import (
    get_api_token_for_user,
    get_consent_for_user,
    get_subject_for_user,
)
from ungkultur.mypage.forms import ApiTokenForm, ConsentGiveForm
from ungkultur.mypage.selectors import my_page
from ungkultur.organisations.invitations import mypage_section as invitations_section
from ungkultur.participation.selectors import mypage_section as participation_section
from ungkultur.planning.selectors import mypage_section as planning_section
from ungkultur.surveys.selectors import mypage_section as surveys_section


def _render_index(request, *, status=200, errors=(), token_form=None):
    now = timezone.now()
    page = my_page(request.user, now=now)
    children = [child.person for child in page.children]
    # Children in a youth resource group whose naming with its evaluation parts the guardian
    # decides (evaluations:guardian_names): True while a part is still without the name.
    name_decisions = (
        guardian_name_decisions(request.user, now=now, children=children) if children else {}
    )
    can_create_token = request.user.has_perm("accounts.create_api_token")
    return render(
        request,
        "mypage/index.html",
        {
            "page": page,
            "activities": my_activities(request.user, now=now, children=children),
            "names_open": {pk for pk, is_open in name_decisions.items() if is_open},
            "names_decided": {pk for pk, is_open in name_decisions.items() if not is_open},
            "sections": [
                section
                for section in (
                    invitations_section(request.user, now=now),
                    participation_section(request.user, now=now),
                    meetings_section(request.user, now=now),
                    planning_section(request.user, now=now),
                    surveys_section(request.user, now=now),
                )
                if section
            ],
            "errors": list(errors),
            "can_create_token": can_create_token,
            # ID-porten/Feide configured (settings, no query): offer to link the account.
            "identity_providers": bool(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]),
            "token_form": token_form or ApiTokenForm(),
            "text_version": settings.UNGKULTUR_CONSENT_TEXT_VERSION,
        },
        status=status,
    )


@require_GET
@login_required
def index(request):
    return _render_index(request)


@require_POST
@login_required
def consent_give(request):
    form = ConsentGiveForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _render_index(request, status=400, errors=errors)
    subject = get_subject_for_user(request, form.cleaned_data["subject"])
    purpose = form.cleaned_data["purpose"]
    try:
        services.consent_give(
            actor=request.user, subject=subject, purpose=purpose, now=timezone.now()
        )
    except ValidationError as error:
        return _render_index(request, status=400, errors=error.messages)
    messages.success(
        request,
        _("Samtykket «%(purpose)s» er gitt for %(name)s.")
        % {"purpose": Consent.Purpose(purpose).label, "name": subject.first_name},
    )
    return redirect("mypage:index")


@require_http_methods(["GET", "POST"])
@login_required
def consent_withdraw(request, pk):
    consent = get_consent_for_user(request, pk)
    now = timezone.now()
    is_own = consent.subject_id == request.user.pk
    if request.method == "GET":
        if (
            consent_acting_as(
                actor=request.user, subject=consent.subject, purpose=consent.purpose, now=now
            )
            is None
        ):
            raise PermissionDenied
        return render(
            request, "mypage/consent_withdraw.html", {"consent": consent, "is_own": is_own}
        )
    try:
        services.consent_withdraw(actor=request.user, consent=consent, now=now)
    except ValidationError as error:
        return render(
            request,
            "mypage/consent_withdraw.html",
            {"consent": consent, "is_own": is_own, "errors": error.messages},
            status=400,
        )
    if consent.purpose == Consent.Purpose.REGISTRATION and is_own:
        logout(request)
        messages.success(
            request, _("Samtykket er trukket tilbake, og kontoen din er stengt. Du er logget ut.")
        )
        return redirect(settings.LOGOUT_REDIRECT_URL)
    messages.success(
        request,
        _("Samtykket «%(purpose)s» er trukket tilbake for %(name)s.")
        % {"purpose": consent.get_purpose_display(), "name": consent.subject.first_name},
    )
    return redirect("mypage:index")


@require_POST
@login_required
@never_cache
def api_token_create(request):
    if not request.user.has_perm("accounts.create_api_token"):
        raise PermissionDenied
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_index(request, status=400, token_form=form)
    token, raw = services.api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        days=form.cleaned_data["days"],
        now=timezone.now(),
    )
    # Shown once, in this response only: the raw token is never stored, not even in the session.
    return render(request, "mypage/api_token_created.html", {"token": token, "raw_token": raw})


@require_POST
@login_required
def api_token_revoke(request, pk):
    token = get_api_token_for_user(request, pk)
    services.api_token_revoke(actor=request.user, token=token, now=timezone.now())
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("mypage:index")
