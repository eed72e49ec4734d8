"""The upload page for enrolment imports (the same service as ``manage.py import_enrolments``)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ungkultur.catalogue.access import get_unit_for_user
from ungkultur.enrolment.importers import HEADER, EnrolmentImportError, enrolments_import
from ungkultur.enrolment.models import EndReason

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


def _context(unit, form):
    return {"unit": unit, "form": form, "columns": HEADER, "reasons": EndReason.values}
