"""Pages for the results of a wave, comparison between waves, research exports and importing
earlier responses. Every number shown comes protected from ``results.py``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from ungkultur.municipalities.models import Municipality
from ungkultur.surveys import exports, results
from ungkultur.surveys.importers import ResponseImportError, responses_import
from ungkultur.surveys.models import ResearchExport, Response, Wave
from ungkultur.surveys.results_access import (
    get_export_for_research,
    get_survey_for_results,
    get_wave_for_import,
    get_wave_for_research,
    get_wave_for_results,
    results_scope,
)

MAX_DIMENSIONS = 2


# --- The query of a results page -----------------------------------------------------------------


def parse_by(text: str, dimensions: dict) -> list:
    """``municipality,gender`` → the dimensions, or ValidationError with a Norwegian message."""
    keys = [key.strip() for key in text.split(",") if key.strip()]
    unknown = [key for key in keys if key not in dimensions]
    if unknown:
        raise ValidationError(
            _("Kan ikke fordele på «%(keys)s». Velg blant: %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(dimensions)}
        )
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Samme fordeling står to ganger."))
    if len(keys) > MAX_DIMENSIONS:
        raise ValidationError(
            _("Du kan fordele på høyst %(n)s ting om gangen.") % {"n": MAX_DIMENSIONS}
        )
    return [dimensions[key] for key in keys]


class ResultsQuery(forms.Form):
    by = forms.ChoiceField(label=gettext_lazy("Fordel på"), required=False)
    by2 = forms.ChoiceField(label=gettext_lazy("og på"), required=False)
    kommune = forms.TypedChoiceField(
        label=gettext_lazy("Kommune"), required=False, coerce=int, empty_value=None
    )
    sporsmal = forms.ChoiceField(label=gettext_lazy("Spørsmål"), required=False)

    def __init__(self, data, *, dimensions, municipalities, variables, all_allowed):
        super().__init__(data)
        dims = [("", _("Ingenting (alle svar samlet)"))] + [
            (key, d.label) for key, d in dimensions.items()
        ]
        self.fields["by"].choices = dims
        self.fields["by2"].choices = dims
        everyone = [("", _("Alle kommuner"))] if all_allowed else []
        self.fields["kommune"].choices = everyone + [(m.pk, m.name) for m in municipalities]
        self.fields["kommune"].required = not all_allowed
        self.fields["sporsmal"].choices = [("", _("Alle spørsmål"))] + [
            (v.name, f"{v.name}: {v.label}"[:90]) for v in variables if v.in_results
        ]
        self.dimensions = dimensions
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"
            field.error_messages["invalid_choice"] = _("«%(value)s» er ikke et gyldig valg.")

    def clean(self):
        data = super().clean()
        keys = [k for k in (data.get("by"), data.get("by2")) if k]
        if len(set(keys)) != len(keys):
            raise ValidationError(_("Velg to forskjellige ting å fordele på."))
        data["dimensions"] = [self.dimensions[k] for k in keys]
        return data


def _municipalities(wave_ids, scope):
    ids = Response.objects.filter(wave_id__in=wave_ids).values("municipality_id").distinct()
    found = Municipality.objects.filter(pk__in=ids).order_by("name")
    if not scope.everything:
        found = found.filter(pk__in=scope.municipality_ids)
    return list(found)


def _query(request, *, wave_ids, scope, variables, answers=False):
    """The filter form, the frame's municipality filter, and the dimensions on offer (by the
    answers to other questions only with ``answers``: a closed wave, see publication.py)."""
    municipalities = _municipalities(wave_ids, scope)
    if not scope.everything and not municipalities:
        municipalities = list(Municipality.objects.filter(pk__in=scope.municipality_ids))
    one_municipality = not scope.everything
    dimensions = results.dimensions_for(
        variables, [m.pk for m in municipalities] if one_municipality else None, answers=answers
    )
    data = request.GET.copy()
    if one_municipality and not data.get("kommune") and municipalities:
        data["kommune"] = str(municipalities[0].pk)
    requested = data.get("kommune")
    if requested and requested.isdigit() and not scope.allows(int(requested)):
        raise Http404  # another municipality's results
    form = ResultsQuery(
        data,
        dimensions=dimensions,
        municipalities=municipalities,
        variables=variables,
        all_allowed=scope.everything,
    )
    return form


def _filtered(frame, municipality_id):
    if frame is None or municipality_id is None:
        return frame
    return frame.filter(frame.get_column("municipality_id") == municipality_id)


def _selected(variables, name):
    return [v for v in variables if v.in_results and (not name or v.name == name)]


# --- Results of a wave ---------------------------------------------------------------------------

RESULTS_TEMPLATE = "surveys/results/wave.html"


def _wave_results(request, pk):
    wave, scope = get_wave_for_results(request, pk)
    variables = results.variables_for(wave.survey.questionnaire)
    closed = wave.status == Wave.Status.CLOSED
    form = _query(request, wave_ids=[wave.pk], scope=scope, variables=variables, answers=closed)
    context = {"wave": wave, "survey": wave.survey, "form": form, "min_n": results.min_n()}
    if not form.is_valid():
        return wave, context, None
    name = form.cleaned_data["sporsmal"]
    tables, respondents, fresh = results.wave_tables(
        wave,
        variables,
        form.cleaned_data["dimensions"],
        municipality_id=form.cleaned_data["kommune"],
        names={name} if name else None,
    )
    context.update(
        tables=tables,
        fresh=fresh,
        respondents=respondents,
        left_out_note=results.left_out_note(tables),
    )
    return wave, context, tables


@require_GET
@login_required
def wave_results(request, pk):
    wave, context, tables = _wave_results(request, pk)
    request.municipality = None
    context["can_export"] = request.user.has_perm("surveys.export_research")
    context["can_import"] = request.user.has_perm("surveys.import_responses")
    template = RESULTS_TEMPLATE + "#results" if request.htmx else RESULTS_TEMPLATE
    return render(request, template, context, status=400 if tables is None else 200)


@require_GET
@login_required
def wave_results_csv(request, pk):
    wave, context, tables = _wave_results(request, pk)
    if tables is None:
        return render(request, RESULTS_TEMPLATE, context, status=400)
    response = HttpResponse(exports.aggregate_csv(tables), content_type="text/csv; charset=utf-8")
    name = f"resultater-{wave.survey.pk}-{wave.identifier}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def results_index(request):
    if not request.user.has_perm("surveys.view_results"):
        raise PermissionDenied
    waves = (
        Wave.objects.exclude(status=Wave.Status.PLANNED)
        .select_related("survey")
        .order_by("survey__title", "opens_on", "pk")
    )
    scope = results_scope(request.user)
    return render(request, "surveys/results/index.html", {"waves": waves, "scope": scope})


# --- Comparison between waves --------------------------------------------------------------------


@require_GET
@login_required
def survey_compare(request, pk):
    survey, scope = get_survey_for_results(request, pk)
    waves = list(survey.waves.exclude(status=Wave.Status.PLANNED).order_by("opens_on", "pk"))
    variables = results.variables_for(survey.questionnaire)
    form = _query(request, wave_ids=[w.pk for w in waves], scope=scope, variables=variables)
    context = {"survey": survey, "waves": waves, "form": form, "min_n": results.min_n()}
    if not form.is_valid():
        return render(request, "surveys/results/compare.html", context, status=400)
    frames = []
    for wave in waves:
        frame, _fresh = results.wave_frame(wave, variables)
        if frame is not None:
            frames.append(
                (wave.identifier, wave.title, _filtered(frame, form.cleaned_data["kommune"]))
            )
    chosen = _selected(variables, form.cleaned_data["sporsmal"])
    linked = form.cleaned_data["kommune"] is None  # beside every municipality's comparison
    tables = [results.compare_waves(frames, v, linked=linked) for v in chosen] if frames else []
    context.update(tables=tables, left_out_note=results.left_out_note(tables))
    return render(request, "surveys/results/compare.html", context)


# --- Research exports ----------------------------------------------------------------------------


class ExportOrderForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=ResearchExport.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Velg et format.")},
    )


EXPORTS_TEMPLATE = "surveys/results/exports.html"


@require_http_methods(["GET", "POST"])
@login_required
def research_exports(request, pk):
    wave = get_wave_for_research(request, pk)
    form = ExportOrderForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            exports.research_export_request(
                actor=request.user, wave=wave, fmt=form.cleaned_data["format"], now=timezone.now()
            )
            messages.success(
                request,
                _("Uttrekket er bestilt. Det lages i bakgrunnen; siden viser når det er klart."),
            )
            return redirect("surveys:research_exports", pk=wave.pk)
    context = {
        "wave": wave,
        "form": form,
        "exports": wave.research_exports.select_related("requested_by"),
    }
    return render(request, EXPORTS_TEMPLATE, context, status=400 if form.errors else 200)


@require_GET
@login_required
def research_export_status(request, pk):
    export = get_export_for_research(request, pk)
    return render(request, EXPORTS_TEMPLATE + "#export-row", {"export": export})


@require_GET
@login_required
def research_export_download(request, pk):
    export = get_export_for_research(request, pk)
    if export.status != ResearchExport.Status.DONE:
        raise Http404
    path = exports.export_path(export)
    if not path.exists():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)  # noqa: SIM115


# --- Importing earlier responses -----------------------------------------------------------------


class ResponseImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-fil"),
        help_text=gettext_lazy("Lagret som CSV (UTF-8), med komma eller semikolon mellom feltene."),
        widget=forms.FileInput(attrs={"class": "ds-input", "accept": ".csv,text/csv"}),
        error_messages={
            "required": gettext_lazy("Velg filen du vil importere."),
            "empty": gettext_lazy("Filen er tom."),
        },
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Kommune (for linjer uten kommunenummer)"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


IMPORT_TEMPLATE = "surveys/results/import.html"


@require_http_methods(["GET", "POST"])
@login_required
def response_import(request, pk):
    wave = get_wave_for_import(request, pk)
    variables = results.variables_for(wave.survey.questionnaire)
    context = {"wave": wave, "variables": variables}
    if request.method == "GET":
        context["form"] = ResponseImportForm()
        return render(request, IMPORT_TEMPLATE, context)
    form = context["form"] = ResponseImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, IMPORT_TEMPLATE, context, status=400)
    upload = form.cleaned_data["file"]
    try:
        context["report"] = responses_import(
            actor=request.user,
            wave=wave,
            file=upload,
            file_name=upload.name,
            municipality=form.cleaned_data["municipality"],
            now=timezone.now(),
        )
    except ResponseImportError as error:
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
        return render(request, IMPORT_TEMPLATE, context, status=400)
    return render(request, IMPORT_TEMPLATE, context)
