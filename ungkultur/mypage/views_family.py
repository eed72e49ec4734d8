"""A guardian's family on Min side: add a child without e-mail, give a child its own login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ungkultur.accounts import family
from ungkultur.accounts.models import Guardianship
from ungkultur.core.forms import add_service_errors
from ungkultur.mypage.forms_family import ChildAddForm, ChildLoginForm


@require_http_methods(["GET", "POST"])
@login_required
def child_add(request):
    now = timezone.now()
    if not family.may_add_children(request.user, now=now):
        raise PermissionDenied
    form = ChildAddForm(
        request.POST if request.method == "POST" else None,
        initial={"municipality": request.user.municipality_id},
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            child = family.child_add(
                actor=request.user,
                first_name=data["first_name"],
                birth_year=data["birth_year"],
                municipality=data["municipality"],
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s er lagt til. Nå kan du melde %(name)s på tilbud.")
                % {"name": child.first_name},
            )
            return redirect("mypage:index")
    return render(
        request,
        "mypage/child_add.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def child_login(request, pk):
    link = (
        Guardianship.objects.filter(guardian=request.user, child_id=pk, confirmed_at__isnull=False)
        .select_related("child")
        .first()
    )
    if link is None:
        raise PermissionDenied
    child = link.child
    if family.has_own_email(child):
        messages.info(
            request, _("%(name)s har allerede egen innlogging.") % {"name": child.first_name}
        )
        return redirect("mypage:index")
    form = ChildLoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            family.child_login_give(
                actor=request.user,
                child=child,
                email=form.cleaned_data["email"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Vi har sendt %(name)s en lenke for å velge passord.")
                % {"name": child.first_name},
            )
            return redirect("mypage:index")
    return render(
        request,
        "mypage/child_login.html",
        {"form": form, "child": child},
        status=400 if form.is_bound else 200,
    )
