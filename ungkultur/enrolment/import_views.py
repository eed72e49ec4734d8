"""The upload page for enrolment imports (the same service as ``manage.py import_enrolments``).

A small file is imported in the upload's request; a larger one is kept and imported by the task
worker (``import_jobs``), and the upload leads to its progress page."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from ungkultur.catalogue.access import get_unit_for_user
from ungkultur.catalogue.models import Offer
from ungkultur.core.forms import add_service_errors
from ungkultur.enrolment import import_jobs, services
from ungkultur.enrolment.importers import (
    HEADER,
    MAX_BYTES,
    NORWEGIAN,
    SHORT_REASON_WORDS,
    EnrolmentImportError,
    ImportNeedsColumns,
    check_columns,
    enrolments_import,
    normalise_header,
)
from ungkultur.enrolment.models import EndReason, ImportColumns, ImportJob, OfferRef

TEMPLATE = "enrolment/import.html"
JOB_TEMPLATE = "enrolment/import_job.html"
# Files up to this size (about 3,000 rows) are imported at once; larger ones by the task worker.
INLINE_BYTES = 200 * 1024


class EnrolmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil fra fagsystemet"),
        help_text=_(
            "Excel (.xlsx) eller CSV, slik SpeedAdmin og andre fagsystemer eksporterer den. "
            "Komma, semikolon eller tabulator mellom feltene; UTF-8 eller Windows-1252."
        ),
        widget=forms.FileInput(
            attrs={
                "class": "ds-input",
                "accept": ".csv,.xlsx,.txt,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        error_messages={
            "required": _("Velg filen du vil importere."),
            "empty": _("Filen er tom."),
        },
    )


class OfferRefForm(forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Tilbud i Ungkultur"),
        queryset=Offer.objects.none(),
        empty_label=_("Velg tilbud"),
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
    chosen = _posted_columns(request.POST)
    if not form.is_valid() or chosen is False:
        if chosen is False:
            form.add_error(None, _("Velg hva hver kolonne er, eller «Ta ikke med»."))
        return render(request, TEMPLATE, context, status=400)
    saved = ImportColumns.objects.filter(unit=unit).first()
    columns = {**(saved.columns if saved else {}), **(chosen or {})}
    upload = form.cleaned_data["file"]
    content = upload.read(MAX_BYTES + 1)
    try:
        if len(content) > INLINE_BYTES:
            # Told now, not after the queue: a file that cannot be read, or needs the column step.
            check_columns(content, columns)
            job = import_jobs.import_job_create(
                actor=request.user,
                unit=unit,
                content=content,
                file_name=upload.name or "",
                columns=columns,
                save_columns=bool(chosen),
                now=timezone.now(),
            )
            return redirect("enrolment:import_job", unit_pk=unit.pk, pk=job.pk)
        context["report"] = enrolments_import(
            actor=request.user,
            unit=unit,
            file=io.BytesIO(content),
            now=timezone.now(),
            columns=columns,
        )
    except ImportNeedsColumns as error:
        form.add_error(None, error.errors[0])
        context["column_step"] = [
            {"header": header, "value": columns.get(header, "")} for header in error.headers
        ]
        return render(request, TEMPLATE, context, status=400)
    except EnrolmentImportError as error:
        if chosen:
            services.import_columns_save(actor=request.user, unit=unit, columns=columns)
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
    if chosen:
        # Remembered for the unit's next files, once they were seen to work.
        services.import_columns_save(actor=request.user, unit=unit, columns=columns)
    return render(request, TEMPLATE, context)


@require_GET
@login_required
def import_job(request, unit_pk, pk):
    """A queued import's progress, then its report, for whoever may import for the unit. Asked
    by htmx (every second while it runs), only the part that changes."""
    unit = get_unit_for_user(request, unit_pk, "catalogue.manage_unit_offers")
    request.municipality = unit.municipality
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk, unit=unit)
    context = {
        "unit": unit,
        "job": job,
        "report": import_jobs.job_report(job),
        "running": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
        "more_errors": job.errors_total - len(job.errors),
    }
    if request.headers.get("HX-Request"):
        return render(request, JOB_TEMPLATE + "#job-status", context)
    return render(request, JOB_TEMPLATE, context)


def _posted_columns(data) -> dict[str, str] | None | bool:
    """The column step's choices (header → field or ""), None if not posted, False if bad."""
    headers, fields = data.getlist("column_header"), data.getlist("column_field")
    if not headers:
        return None
    if len(headers) != len(fields) or any(f and f not in HEADER for f in fields):
        return False
    return {normalise_header(h): f for h, f in zip(headers, fields, strict=True)}


@require_http_methods(["GET"])
@login_required
def import_template(request):
    """An empty file with Ungkultur's Norwegian column names, ready for Excel (semicolons,
    UTF-8 with the byte order mark Excel looks for)."""
    body = "\ufeff" + ";".join(NORWEGIAN[name] for name in HEADER) + "\r\n"
    response = HttpResponse(body.encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ungkultur-import-mal.csv"'
    return response


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
        "norwegian": [NORWEGIAN[name] for name in HEADER],
        "field_choices": [(name, f"{NORWEGIAN[name]} ({name})") for name in HEADER],
        "reasons": EndReason.values,
        "reason_words": SHORT_REASON_WORDS,
        "link_form": link_form or OfferRefForm(unit=unit),
        "refs": OfferRef.objects.filter(unit=unit).select_related("offer").order_by("ref"),
    }
