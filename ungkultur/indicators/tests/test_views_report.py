"""The municipality's indicator report, as a printable page and as a PDF: the dashboard's
figures, protected the same way, for the same people."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from ungkultur.catalogue.models import Category
from ungkultur.indicators import report
from ungkultur.indicators.models import GoalTarget, IndicatorValue
from ungkultur.indicators.tests.dashboard_data import arendal_values, hide, put
from ungkultur.lib.terms import Term
from ungkultur.meetings.models import Attendance, Event
from ungkultur.municipalities.models import Municipality
from ungkultur.participation.models import Proposal
from ungkultur.planning.models import Collaboration, Goal, Plan, PlanItem
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db

HTML = "/kommuner/4203/indikatorer/rapport/"
PDF = "/kommuner/4203/indikatorer/rapport.pdf"


@pytest.fixture
def values(personas):
    arendal_values(personas.arendal)


def _pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_the_pdf_holds_the_figures_and_hides_what_rests_on_few(client, personas, values):
    client.force_login(personas.leader_a)
    response = client.get(PDF, {"term": "2025V"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="indikatorer-4203-2025V.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = _pdf_text(response)
    assert "Koordinert kulturarbeid i Arendal, våren 2025" in text
    assert "23,4 %" in text and "+3,4 prosentpoeng siden høsten 2024" in text
    assert "Tallene ble beregnet 1. juni 2025 kl. 14:00." in text
    # The hidden kulturskole dropout of 2025V (3 people) is written as hidden, never a number
    # (the note on hidden figures says "skjult" once; the hidden cells say it again).
    assert text.count("skjult") >= 2 and "skjult (under" not in text
    # Tagged for screen readers, in the page's language.
    catalog = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "nb"


def test_the_printable_page_has_no_navigation_and_leaves_breakdowns_to_the_dashboard(
    client, personas, values
):
    client.force_login(personas.teacher_a)
    response = client.get(HTML, {"term": "2025V"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<details" not in text and "<nav" not in text
    assert 'id="figure-dropout-kulturskole"' in text
    assert 'id="figure-dropout-kulturskole-gender"' not in text
    assert f"{PDF}?term=2025V" in text


def test_the_dashboard_links_to_the_report_of_the_chosen_term(client, personas, values):
    client.force_login(personas.leader_a)
    text = client.get("/kommuner/4203/indikatorer/", {"term": "2024H"}).content.decode()
    assert f"{PDF}?term=2024H" in text and f"{HTML}?term=2024H" in text


@pytest.mark.parametrize("url", [HTML, PDF])
def test_a_bad_term_answers_400_in_norwegian(client, personas, values, url):
    client.force_login(personas.leader_a)
    response = client.get(url, {"term": "2025X"})
    assert response.status_code == 400
    assert "Ukjent semester «2025X»" in response.content.decode()


@pytest.mark.parametrize("url", [HTML, PDF])
@pytest.mark.parametrize(
    ("persona", "status"), [("youth_member_a", 403), ("guardian_a", 403), ("leader_b", 404)]
)
def test_who_may_not_read_the_report(client, personas, values, url, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(url, {"term": "2025V"}).status_code == status


def test_anonymous_is_sent_to_log_in(client, personas, values):
    assert client.get(PDF).url.startswith("/konto/logg-inn/")


def test_an_old_number_leads_to_the_current_one_with_the_term(client, personas):
    client.force_login(personas.admin)
    response = client.get("/kommuner/3006/indikatorer/rapport.pdf", {"term": "2025V"})
    assert (response.status_code, response.url) == (
        301,
        "/kommuner/3303/indikatorer/rapport.pdf?term=2025V",
    )


def test_the_pdf_is_rendered_once_per_computation(client, personas, values, monkeypatch):
    rendered = []
    real = report.render_pdf
    monkeypatch.setattr(report, "render_pdf", lambda data: rendered.append(1) or real(data))
    client.force_login(personas.leader_a)
    first = client.get(PDF, {"term": "2025V"}).content
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PDF, {"term": "2025V"}).content == first
    assert len(rendered) == 1
    # From the cache the figures are not even read.
    assert not [q for q in queries if "indicators_indicatorvalue" in q["sql"]]
    cache.clear()
    client.get(PDF, {"term": "2025V"})
    assert len(rendered) == 2


def test_without_pango_the_pdf_says_so_and_the_page_still_works(
    client, personas, values, monkeypatch
):
    def unavailable(data):
        raise report.PdfUnavailable("libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(report, "render_pdf", unavailable)
    client.force_login(personas.leader_a)
    response = client.get(PDF, {"term": "2025V"})
    assert response.status_code == 503
    assert "PDF-rapporten kan ikke lages på denne serveren" in response.content.decode()
    assert client.get(HTML, {"term": "2025V"}).status_code == 200


PROJECT_HTML = "/nasjonalt/indikatorer/rapport/"
PROJECT_PDF = "/nasjonalt/indikatorer/rapport.pdf"


@pytest.fixture
def nation(personas, values):
    Municipality.objects.filter(pk=personas.arendal.pk).update(is_pilot=True)
    put(personas.sola, "2025V", "participation.all", 18.2, 91, 500)
    hide(personas.sola, "2024H", "participation.all")
    put(Municipality.objects.get(code="0301"), "2025V", "participation.all", 15.0, 1500, 10000)


def test_the_project_report_puts_every_kk_municipality_side_by_side(client, personas, nation):
    client.force_login(personas.coordinator)
    response = client.get(PROJECT_PDF, {"term": "2025V"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indikatorer-kk-2025V.pdf"'
    text = _pdf_text(response)
    assert "Indikatorrapport for koordinert kulturarbeid" in text
    assert "Arendal (pilot)" in text and "Sola" in text
    assert "23,4 %" in text and "18,2 %" in text
    assert "Oslo" not in text  # outside KK
    assert text.count("skjult") >= 2 and "skjult (under" not in text  # Sola's 2024H
    html = client.get(PROJECT_HTML, {"term": "2025V"}).content.decode()
    for key in report.PROJECT_KEYS:
        assert f'id="section-{key.replace(".", "-")}"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_the_national_view_links_to_the_project_report(client, personas, nation):
    client.force_login(personas.researcher)
    text = client.get("/nasjonalt/indikatorer/", {"term": "2025V"}).content.decode()
    assert f"{PROJECT_PDF}?term=2025V" in text and f"{PROJECT_HTML}?term=2025V" in text


@pytest.mark.parametrize("url", [PROJECT_HTML, PROJECT_PDF])
@pytest.mark.parametrize("persona", ["leader_a", "teacher_a", "youth_member_a"])
def test_only_national_roles_read_the_project_report(client, personas, nation, url, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(url, {"term": "2025V"}).status_code == 403


def test_the_project_report_refuses_a_bad_term(client, personas, nation):
    client.force_login(personas.coordinator)
    response = client.get(PROJECT_PDF, {"term": "høst"})
    assert response.status_code == 400
    assert "Ukjent semester «høst»" in response.content.decode()


# --- The council report (issue 15) ---------------------------------------------------------


def _pages(response) -> list[str]:
    reader = PdfReader(io.BytesIO(response.content))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def _visible(html: str) -> str:
    """The page's text without tags and attributes (links carry the term as 2025V)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


AIM_TITLES = (
    "Flere unge deltar",
    "Færre slutter",
    "Ungdom får innflytelse",
    "Tilbudene og ungdommen jobber sammen",
)


def test_the_report_opens_with_a_one_page_summary(client, personas, values):
    client.force_login(personas.leader_a)
    pages = _pages(client.get(PDF, {"term": "2025V"}))
    first = pages[0]
    assert "Sammendrag" in first
    assert "Koordinert kommunalt kulturarbeid (KK) betyr at kulturskolen, fritidsklubbene" in first
    for title in AIM_TITLES:
        assert title in first
    assert "Dette er gjort våren 2025" in first
    # The summary ends the first page: the figures start on the next.
    assert "Fortsatt deltakelse og frafall" not in first
    assert "Sammendrag" not in " ".join(pages[1:])
    assert any("Fortsatt deltakelse og frafall" in page for page in pages[1:])
    # Page 1 is not mostly blank.
    assert len(first) > 1500


def test_the_report_writes_terms_in_words_and_no_jargon(client, personas, values):
    client.force_login(personas.leader_a)
    text = _pdf_text(client.get(PDF, {"term": "2025V"}))
    html = _visible(client.get(HTML, {"term": "2025V"}).content.decode())
    for shown in (text, html):
        assert not re.search(r"\b20[0-9]{2}[HV]\b", shown)
        assert "Teller" not in shown and "Nevner" not in shown
        assert "høsten 2024" in shown and "våren 2025" in shown


def test_the_report_leaves_empty_sections_out_and_names_figures_without_data(
    client, personas, values
):
    client.force_login(personas.leader_a)
    html = client.get(HTML, {"term": "2025V"}).content.decode()
    # The fixture has no club, UKM-participation, influence or governance figure at all.
    for slug in ("clubs", "influence", "governance"):
        assert f'id="section-{slug}"' not in html
    sections = html.split('<section aria-labelledby="section-')[1:]
    assert sections
    for section in sections:
        assert 'class="indicators-figure report-figure"' in section
    # A figure with no data in any term is named, not drawn as zeros.
    assert "Uten data i perioden:" in html
    assert "Deltakelse i kulturskolen, 6–15 år" in html.split('id="section-participation"')[1]
    assert 'id="figure-participation-kulturskole"' not in html


def test_a_term_without_data_reads_ingen_data_and_no_change_crosses_it(client, personas, values):
    a = personas.arendal
    put(a, "2024H", "participation.club", 12.0, 24, 200)
    IndicatorValue.objects.create(
        municipality=a, term="2025V", key="participation.club", missing="not_measured"
    )
    client.force_login(personas.leader_a)
    html = client.get(HTML, {"term": "2025V"}).content.decode()
    figure = html.split('id="figure-participation-club"')[1].split("</article>")[0]
    assert "Ingen data" in figure and "Ikke målt" in figure
    row = re.search(r"<th scope=\"row\">våren 2025</th>(.*?)</tr>", figure).group(1)
    assert ">ingen data<" in row
    words = _visible(re.sub(r"<svg.*?</svg>", "", figure, flags=re.S))
    assert "prosentpoeng" not in words and not re.search(r"(?<![0-9])0,0", words), words


def test_the_report_names_the_kk_median_beside_each_figure(client, personas, values):
    Municipality.objects.filter(code__in=["5028", "1563"]).update(kk_active=True)
    put(personas.sola, "2025V", "participation.all", 18.2, 91, 500)
    put(Municipality.objects.get(code="5028"), "2025V", "participation.all", 30.0, 150, 500)
    put(Municipality.objects.get(code="1563"), "2025V", "participation.all", 12.6, 63, 500)
    client.force_login(personas.leader_a)
    html = client.get(HTML, {"term": "2025V"}).content.decode()
    figure = html.split('id="figure-participation-all"')[1].split("</article>")[0]
    assert "KK-median" in figure
    row = re.search(r"<th scope=\"row\">våren 2025</th>(.*?)</tr>", figure).group(1)
    # The median of 23,4, 18,2, 30,0 and 12,6, worked out by hand: (18,2 + 23,4) / 2.
    assert "23,4\u00a0%" in row and "20,8\u00a0%" in row
    # Sola's, Melhus' and Sunndal's own figures are not printed.
    assert "18,2" not in html and "30,0" not in html and "12,6" not in html


def test_the_progress_toward_a_target_is_printed_once(client, personas, values):
    goal = Goal.objects.create(
        level=Goal.Level.SUB,
        parent=Goal.objects.create(level=Goal.Level.EFFECT, title="Flere unge deltar"),
        municipality=personas.arendal,
        title="Flere 13–19 år i minst ett tilbud",
    )
    GoalTarget.objects.create(
        goal=goal,
        municipality=personas.arendal,
        key="participation.all",
        target_value=30,
        target_date=datetime.date(2026, 12, 31),
    )
    client.force_login(personas.leader_a)
    text = _pdf_text(client.get(PDF, {"term": "2025V"}))
    # From 20,0 to 23,4 of the way to 30: 34 %.
    assert text.count("34 %") == 1


NOW = datetime.datetime(2025, 5, 1, 12, tzinfo=datetime.UTC)


def _at(month, day, hour=18):
    return datetime.datetime(2025, month, day, hour, tzinfo=datetime.UTC)


def test_the_work_done_counts_what_happened_in_the_term(personas):
    a = personas.arendal
    youth = make_user("ung.rapport@example.org", first_name="Ung", birth_year=2009)
    adult = make_user("voksen.rapport@example.org", first_name="Voksen")
    for starts, status, present in (
        (_at(2, 1), "held", [(youth, True), (adult, False)]),
        (_at(3, 1), "held", [(adult, False)]),
        (_at(3, 15), "cancelled", [(youth, True)]),  # cancelled: not held
        (_at(6, 1), "held", [(youth, True)]),  # after "now": not held yet
        (datetime.datetime(2024, 12, 1, 18, tzinfo=datetime.UTC), "held", [(youth, True)]),
    ):
        meeting = Event.objects.create(
            kind="project_group_meeting",
            municipality=a,
            title="Møte",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            status=status,
        )
        for user, is_youth in present:
            Attendance.objects.create(event=meeting, user=user, is_youth=is_youth)
    for submitted, due, answered, status in (
        (_at(2, 1), datetime.date(2025, 3, 1), _at(2, 20), "accepted"),  # on time
        (_at(3, 1), datetime.date(2025, 4, 1), None, "submitted"),  # overdue
        (_at(4, 25), datetime.date(2025, 5, 25), None, "submitted"),  # not yet due
    ):
        Proposal.objects.create(
            municipality=a,
            title="Forslag",
            text="Tekst",
            category=Category.MUSIC,
            status=status,
            submitted_at=submitted,
            answer_due=due,
            answered_at=answered,
        )
    plan = Plan.objects.create(kind=Plan.Kind.ACTION, municipality=a, title="Tiltaksplan")
    for end, status in (
        (datetime.date(2025, 3, 1), "done"),
        (datetime.date(2025, 4, 1), "planned"),  # late on 1 May
        (datetime.date(2025, 6, 30), "planned"),  # due later in the term
        (datetime.date(2025, 3, 15), "cancelled"),  # not counted
        (datetime.date(2024, 12, 1), "done"),  # another term
    ):
        PlanItem.objects.create(
            plan=plan, title="Tiltak", start=datetime.date(2024, 11, 1), end=end, status=status
        )
    collaboration = Collaboration.objects.create(municipality=a, term="2025V", title="Konsert")
    collaboration.units.set([personas.a.kulturskole, personas.a.club])
    Collaboration.objects.create(municipality=a, term="2024H", title="Før")

    work = report.work_done(a, Term.parse("2025V"), now=NOW)
    assert (work.meetings_held, work.meetings_with_youth) == (2, 1)
    assert (work.proposals, work.proposals_answered, work.proposals_due) == (3, 1, 2)
    assert (work.proposals_in_time, work.proposals_overdue) == (1, 1)
    assert (work.plan_items, work.plan_done, work.plan_late) == (3, 1, 1)
    assert (work.collaborations, work.collaboration_units) == (1, 2)
    context = report.context(a, Term.parse("2025V"), [Term.parse("2025V")], None, min_n=5, now=NOW)
    html = _visible(report.render_html(context))
    assert "2 møter i prosjektgruppen er holdt, 1 av dem med ungdom fra ressursgruppa" in html
    assert "Ungdom sendte inn 3 forslag; 1 er besvart." in html
    assert "1 av 2 forslag med passert frist fikk svar innen fristen." in html
    assert "1 av 3 tiltak i tiltaksplanen og fremdriftsplanen" in html
    assert "1 samarbeid er registrert, med 2 enheter og partnere." in html


def test_the_report_says_whether_the_municipality_is_in_kk(client, personas, values):
    client.force_login(personas.admin)
    assert "Arendal er med i KK." in _visible(client.get(HTML, {"term": "2025V"}).content.decode())
    Municipality.objects.filter(pk=personas.arendal.pk).update(kk_active=False)
    cache.clear()
    text = _visible(client.get(HTML, {"term": "2025V"}).content.decode())
    assert "Arendal er ikke med i KK; tallene vises til sammenligning." in text
