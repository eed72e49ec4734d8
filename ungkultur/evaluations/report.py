"""The project's final report: the editorial sections national roles write, the published
evaluation answers (the youth parts as their groups' voice) with the themes marked on them, the
indicators of the project with their trends (the same figures as the indicators' project report),
the milestone plan as achieved, the national gatherings and conferences held, and the national
results of the closed survey waves exactly as the surveys' results pages publish them
(``surveys.results.wave_tables``: the published responses, a group under n hidden whole, the
municipalities' own tables respected; nothing here counts responses itself). A page and a
tagged PDF through the indicators' WeasyPrint pipeline."""

from collections import Counter

from django.conf import settings
from django.utils import timezone

from ungkultur.evaluations import selectors
from ungkultur.evaluations.models import Answer, AnswerText, FinalReport, Round
from ungkultur.indicators import dashboard as board
from ungkultur.indicators import report as indicator_report
from ungkultur.indicators.selectors_dashboard import recent_runs, terms_of
from ungkultur.lib.terms import terms_before
from ungkultur.meetings.models import Event
from ungkultur.planning import selectors as planning_selectors
from ungkultur.surveys import results as survey_results
from ungkultur.surveys.models import Wave

TEMPLATE = "evaluations/final_report.html"
NATIONAL_GATHERINGS = (Event.Kind.YOUTH_GATHERING, Event.Kind.CONFERENCE, Event.Kind.THEME_MEETING)


def _evaluations() -> list[dict]:
    """Per round and question, the published answers of each municipality (three queries)."""
    texts = (
        AnswerText.objects.filter(answer__status=Answer.Status.SUBMITTED, answer__published=True)
        .exclude(text="")
        .select_related("answer__municipality", "question")
        .order_by("question__position", "answer__municipality__name", "answer__part")
    )
    texts = list(texts)
    # A youth part is the group's voice; it names only those who each consented.
    names = selectors.youth_names({t.answer_id for t in texts})
    by_round: dict[int, dict] = {}
    for text in texts:
        text.named = names.get(text.answer_id, [])
        questions = by_round.setdefault(text.question.round_id, {})
        questions.setdefault(text.question, []).append(text)
    rounds = Round.objects.filter(pk__in=by_round).order_by("opened_at")
    return [
        {
            "round": r,
            "questions": list(by_round[r.pk].items()),
            "themes": Counter(
                t for ts in by_round[r.pk].values() for x in ts for t in x.themes
            ).most_common(),
        }
        for r in rounds
    ]


def _surveys() -> list[dict]:
    """The national tables of every closed wave, as its national results page shows them
    unsplit (the same cached, protected tables)."""
    waves = Wave.objects.filter(status=Wave.Status.CLOSED).select_related("survey__questionnaire")
    found = []
    for wave in waves.order_by("survey__title", "opens_on", "pk"):
        variables = survey_results.variables_for(wave.survey.questionnaire)
        tables, respondents, _fresh = survey_results.wave_tables(wave, variables)
        found.append(
            {
                "wave": wave,
                "tables": tables,
                "respondents": respondents,
                "left_out_note": survey_results.left_out_note(tables),
            }
        )
    return found


def _indicators() -> tuple[object, list]:
    runs = recent_runs()
    terms = terms_of(runs)
    if not terms:
        return None, []
    term = terms[0]
    shown = [t for t in terms_before(term, board.TERMS_SHOWN) if t >= terms[-1]] or [term]
    context = indicator_report.project_context(
        term, shown, runs[0], min_n=settings.UNGKULTUR_DISCLOSURE_MIN_N
    )
    return term, context["sections"]


def context(report: FinalReport | None, *, now=None) -> dict:
    now = now or timezone.now()
    plan = planning_selectors.milestone_plan()
    term, sections = _indicators()
    return {
        "report": report,
        "evaluations": _evaluations(),
        "surveys": _surveys(),
        "min_n": survey_results.min_n(),
        "term": term,
        "sections": sections,
        "milestone_plan": plan,
        "milestones": planning_selectors.plan_rows(plan, today=now.date()) if plan else [],
        "gatherings": Event.objects.filter(kind__in=NATIONAL_GATHERINGS, ends_at__lt=now)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at"),
    }


def render_html_page(report_context: dict) -> str:
    return indicator_report.render_html(report_context, template=TEMPLATE)


def render_pdf(report_context: dict) -> bytes:
    return indicator_report.render_pdf(report_context, template=TEMPLATE)
