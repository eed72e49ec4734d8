from functools import partial

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.indicators import aims, report, research, services_targets
from ungkultur.indicators import dashboard as board
from ungkultur.indicators.access import check_national, get_municipality_for_user
from ungkultur.indicators.forms import GoalTargetForm, NationalForm, TermForm
from ungkultur.indicators.models import GoalTarget
from ungkultur.indicators.selectors import dashboard_values
from ungkultur.indicators.selectors_dashboard import (
    kk_medians,
    latest_run_at,
    municipality_delmal,
    national_comparison,
    recent_runs,
    targets_with_progress,
    terms_of,
)
from ungkultur.lib.terms import Term, terms_before


def _min_n():
    """Read when used, so that a test can change the setting."""
    return settings.UNGKULTUR_DISCLOSURE_MIN_N


# A cached dashboard is keyed by the computation it shows, so a new run is never hidden by it.
DASHBOARD_CACHE_SECONDS = 60 * 60 * 24


def _default_term(terms: list[Term]) -> Term:
    today = Term.containing(timezone.localdate())
    return next((t for t in terms if t <= today), terms[0]) if terms else today


def _shown_terms(term: Term, terms: list[Term]) -> list[Term]:
    """The chosen term and those before it, back to the first that has figures."""
    shown = [t for t in terms_before(term, board.TERMS_SHOWN) if not terms or t >= terms[-1]]
    return shown or [term]


def _dashboard_key(municipality, term, run) -> str:
    """The figures as computed by ``run``, with the targets as they are now, and the KK medians
    as of the latest computation of any municipality (another's refresh moves them)."""
    stamp = run.computed_at.timestamp() if run else 0
    latest = latest_run_at()
    kk = latest.timestamp() if latest else 0
    targets = services_targets.targets_version(municipality.pk)
    language = get_language()
    return f"indicators:dashboard:{municipality.pk}:{term}:{stamp}:{kk}:{targets}:{language}"


@require_safe
@login_required
def dashboard(request, code):
    municipality = get_municipality_for_user(request, code, "indicators.view_dashboard")
    if municipality.code != code:
        # An old number (Kongsberg's 3006) leads to the dashboard under the current one.
        return redirect("indicators:dashboard", code=municipality.code, permanent=True)
    request.municipality = municipality
    runs = recent_runs(municipality)
    run, terms = (runs[0] if runs else None), terms_of(runs)
    default = _default_term(terms)
    form = TermForm(request.GET or None, terms=terms, initial={"term": str(default)})
    context = {"municipality": municipality, "form": form, "run": run, "min_n": _min_n()}
    if form.is_bound and not form.is_valid():
        return render(request, "indicators/dashboard.html", context, status=400)
    term = (form.is_bound and form.cleaned_data["term"]) or default
    shown = _shown_terms(term, terms)
    key = _dashboard_key(municipality, term, run)
    content = cache.get(key)
    if content is None:
        data = dashboard_values(municipality, shown)
        content = render_to_string(
            "indicators/dashboard.html#figures",
            {
                **context,
                "term": term,
                "term_words": aims.term_in_words(term),
                "aims": aims.aim_verdicts(
                    data,
                    term,
                    kk_medians(terms=[term], keys=aims.aim_keys(), municipality=municipality),
                ),
                "sections": board.sections(data, term),
                "targets": board.target_rows(targets_with_progress(municipality, terms=shown)),
            },
            request=request,
        )
        cache.set(key, content, DASHBOARD_CACHE_SECONDS)
    return render(
        request,
        "indicators/dashboard.html",
        {
            **context,
            "term": term,
            "figures": content,
            "term_has_figures": term in terms,
            "can_set_targets": rules.has_perm("indicators.set_targets", request.user, municipality),
            # Asked of the rules alone: Django's model backend would query for a "no".
            "can_compare": rules.has_perm("indicators.view_national", request.user),
        },
    )


def _report_term(request, terms):
    """The term a report is asked for (the latest with figures if none), or a 400."""
    form = TermForm(request.GET or None, terms=terms)
    if form.is_bound and not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return None, HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return (form.is_bound and form.cleaned_data["term"]) or _default_term(terms), None


def _municipality_report(request, code, name):
    """How to build the municipality's report, its cache key and file name, or the response to
    give instead. The report is built only when it is not in the cache."""
    municipality = get_municipality_for_user(request, code, "indicators.view_dashboard")
    if municipality.code != code:
        url = reverse(f"indicators:{name}", args=[municipality.code])
        return redirect(f"{url}?{request.GET.urlencode()}", permanent=True), None
    request.municipality = municipality
    runs = recent_runs(municipality)
    run, terms = (runs[0] if runs else None), terms_of(runs)
    term, bad = _report_term(request, terms)
    if bad:
        return bad, None
    shown = _shown_terms(term, terms)
    build = partial(report.context, municipality, term, shown, run, min_n=_min_n())
    name = f"indikatorer-{municipality.code}-{term}"
    return None, (build, _dashboard_key(municipality, term, run), name)


def _project_report(request):
    """How to build the whole project's report, its cache key and file name, or the response
    to give instead."""
    check_national(request, "indicators.view_national")
    runs = recent_runs()
    run, terms = (runs[0] if runs else None), terms_of(runs)
    term, bad = _report_term(request, terms)
    if bad:
        return bad, None
    build = partial(report.project_context, term, _shown_terms(term, terms), run, min_n=_min_n())
    stamp = run.computed_at.timestamp() if run else 0
    key = f"indicators:project-report:{term}:{stamp}:{get_language()}"
    return None, (build, key, f"indikatorer-kk-{term}")


def _html(prepared):
    answer, found = prepared
    return answer or HttpResponse(report.render_html(found[0]()))


def _pdf(prepared):
    """The report as a PDF, kept in the cache like the dashboard (keyed by the computation)."""
    answer, found = prepared
    if answer:
        return answer
    build, key, name = found
    pdf = cache.get(f"{key}:pdf")
    if pdf is None:
        try:
            pdf = report.render_pdf(build())
        except report.PdfUnavailable:
            return HttpResponse(
                _(
                    "PDF-rapporten kan ikke lages på denne serveren (biblioteket Pango mangler). "
                    "Rapporten som nettside virker."
                ),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        cache.set(f"{key}:pdf", pdf, DASHBOARD_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_safe
@login_required
def report_html(request, code):
    """A municipality's report as one printable page."""
    return _html(_municipality_report(request, code, "report_html"))


@require_safe
@login_required
def report_pdf(request, code):
    return _pdf(_municipality_report(request, code, "report_pdf"))


@require_safe
@login_required
def project_report_html(request):
    """The whole project's report (every KK municipality) as one printable page."""
    return _html(_project_report(request))


@require_safe
@login_required
def project_report_pdf(request):
    return _pdf(_project_report(request))


@require_http_methods(["GET", "POST"])
@login_required
def targets(request, code):
    municipality = get_municipality_for_user(request, code, "indicators.set_targets")
    request.municipality = municipality
    goals = municipality_delmal(municipality)
    terms = terms_of(recent_runs(municipality))
    shown = _shown_terms(_default_term(terms), terms)
    form = GoalTargetForm(request.POST or None, goals=goals)
    if form.is_valid():
        try:
            services_targets.goal_target_set(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Målet er lagret."))
            return redirect("indicators:targets", code=municipality.code)
    return render(
        request,
        "indicators/targets.html",
        {
            "municipality": municipality,
            "form": form,
            "goals": goals,
            "targets": board.target_rows(targets_with_progress(municipality, terms=shown)),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def target_delete(request, code, pk):
    municipality = get_municipality_for_user(request, code, "indicators.set_targets")
    target = get_object_or_404(GoalTarget.objects.select_related("goal"), pk=pk)
    if target.municipality_id != municipality.pk:
        raise Http404
    services_targets.goal_target_delete(actor=request.user, target=target, now=timezone.now())
    messages.success(request, _("Målet er fjernet."))
    return redirect("indicators:targets", code=municipality.code)


@require_safe
@login_required
def national(request):
    check_national(request, "indicators.view_national")
    runs = recent_runs()
    run, terms = (runs[0] if runs else None), terms_of(runs)
    default = _default_term(terms)
    form = NationalForm(
        request.GET or None,
        terms=terms,
        initial={"term": str(default), "indicator": NationalForm.DEFAULT_INDICATOR},
    )
    context = {"form": form, "run": run, "min_n": _min_n()}
    if form.is_bound and not form.is_valid():
        return render(request, "indicators/national.html", context, status=400)
    cleaned = form.cleaned_data if form.is_bound else {}
    term = cleaned.get("term") or default
    comparison = national_comparison(
        term=term,
        terms=_shown_terms(term, terms),
        key=cleaned.get("indicator") or NationalForm.DEFAULT_INDICATOR,
        compare=cleaned.get("compare"),
    )
    side_by_side, trend = board.national_figures(comparison)
    return render(
        request,
        "indicators/national.html",
        {
            **context,
            "term": term,
            "comparison": comparison,
            "side_by_side": side_by_side,
            "trend": trend,
        },
    )


@require_safe
@login_required
def research_data(request):
    check_national(request, "indicators.download_research_data")
    runs = recent_runs()
    return render(
        request,
        "indicators/research_data.html",
        {"run": runs[0] if runs else None, "terms": terms_of(runs), "min_n": _min_n()},
    )


@require_safe
@login_required
def research_download(request, fmt):
    check_national(request, "indicators.download_research_data")
    form = TermForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(
            form.errors["term"][0], content_type="text/plain; charset=utf-8"
        )
    return research.values_response(fmt, form.cleaned_data["term"] if form.is_bound else None)


@require_safe
@login_required
def codebook_download(request, fmt):
    check_national(request, "indicators.download_research_data")
    return research.codebook_response(fmt)
