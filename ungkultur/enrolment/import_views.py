"""The upload page for enrolment imports (the same service as ``manage.py import_enrolments``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ungkultur.catalogue.access import get_unit_for_user
from ungkultur.catalogue.models import Offer
from ungkultur.core.forms import add_service_errors
from ungkultur.enrolment import services
from ungkultur.enrolment.importers import HEADER, EnrolmentImportError, enrolments_import
from ungkultur.enrolment.models import EndReason, OfferRef

TEMPLATE = "enrolment/import.html"


class EnrolmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_("Lagret som CSV (UTF-8), med komma eller semikolon mellom feltene."),
        widget=forms.FileInput(attrs={"class": "ds-input", "accept": ".csv,text/csv"}),
        error_messages={
            "required": _("Velg filen du vil importere."),
            "empty": _("Filen er tom."),
        },
    )


class OfferRefForm(forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Tilbud i Ungkultur"),
        queryset=Offer.objects.none(),
        widget=forms.Select(attrs={"class": "ds-input"}),
        error_messages={"required": _("Velg tilbudet."), "invalid_choice": _("Velg tilbudet.")},
    )
    ref = forms.CharField(
        label=_("Referanse i fagsystemet"),
        max_length=OfferRef._meta.get_field("ref").max_length,
        help_text=_("Det tilbudet heter eller har som nummer i filen (kolonnen offer_ref)."),
        widget=forms.TextInput(attrs={"class": "ds-input"}),
        error_messages={"required": _("Skriv referansen tilbudet har i fagsystemet.")},
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = (
            Offer.objects.filter(unit=unit)
            .exclude(status=Offer.Status.CANCELLED)
            .order_by("title", "pk")
        )


# Who may import: whoever runs the unit's offers (its staff, the municipality's project leader,
# a national administrator), since an import also creates the unit's missing offers.
@require_http_methods(["GET", "POST"])
@login_required
def enrolment_import(request, unit_pk):
    unit = get_unit_for_user(request, unit_pk, "catalogue.manage_unit_offers")
    request.municipality = unit.municipality
    if request.method == "GET":
        return render(request, TEMPLATE, _context(unit, EnrolmentImportForm()))
    form = EnrolmentImportForm(request.POST, request.FILES)
    context = _context(unit, form)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    try:
        context["report"] = enrolments_import(
            actor=request.user, unit=unit, file=form.cleaned_data["file"], now=timezone.now()
        )
    except EnrolmentImportError as error:
        form.add_error(
            "file",
            ngettext(
                "Filen har %(count)s feil, så ingenting ble importert. Se listen over skjemaet.",
                "Filen har %(count)s feil, så ingenting ble importert. Se listen over skjemaet.",
                error.total,
            )
            % {"count": error.total},
        )
        context["import_error"] = error
        context["more_errors"] = error.total - len(error.errors)
        return render(request, TEMPLATE, context, status=400)
    return render(request, TEMPLATE, context)


@require_http_methods(["POST"])
@login_required
def offer_ref_link(request, unit_pk):
    """Tie an existing offer to the reference the other system gives it."""
    unit = get_unit_for_user(request, unit_pk, "catalogue.manage_unit_offers")
    request.municipality = unit.municipality
    link_form = OfferRefForm(request.POST, unit=unit)
    if link_form.is_valid():
        offer, ref = link_form.cleaned_data["offer"], link_form.cleaned_data["ref"]
        try:
            moved = services.offer_ref_link(
                actor=request.user, offer=offer, ref=ref, now=timezone.now()
            )
        except ValidationError as error:
            add_service_errors(link_form, error)
        else:
            text = _("«%(ref)s» er koblet til «%(title)s».") % {"ref": ref, "title": offer.title}
            if moved:
                text += " " + ngettext(
                    "%(count)s importert påmelding er flyttet dit.",
                    "%(count)s importerte påmeldinger er flyttet dit.",
                    moved,
                ) % {"count": moved}
            messages.success(request, text)
            return redirect("enrolment:import", unit_pk=unit.pk)
    context = _context(unit, EnrolmentImportForm(), link_form=link_form)
    return render(request, TEMPLATE, context, status=400)


def _context(unit, form, *, link_form=None):
    return {
        "unit": unit,
        "form": form,
        "columns": HEADER,
        "reasons": EndReason.values,
        "link_form": link_form or OfferRefForm(unit=unit),
        "refs": OfferRef.objects.filter(unit=unit).select_related("offer").order_by("ref"),
    }
