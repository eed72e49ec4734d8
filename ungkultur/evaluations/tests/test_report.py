import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ungkultur.core.models import AuditEntry
from ungkultur.evaluations import services
from ungkultur.evaluations.models import FinalReport
from ungkultur.meetings.models import Event
from ungkultur.planning.models import Plan, PlanItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(personas, round_):
    now = timezone.now()
    for part, actor, published in (
        ("project_group", personas.leader_a, True),
        ("youth", personas.youth_member_a, True),
    ):
        texts = {q.pk: f"Publisert {part}" for q in round_.questions.all()}
        answer = services.answer_save(
            actor=actor, round=round_, municipality=personas.arendal, part=part, texts=texts,
            published=published, now=now,
        )  # fmt: skip
        services.answer_submit(actor=actor, answer=answer, now=now)
    secret = services.answer_save(
        actor=personas.leader_b, round=round_, municipality=personas.sola, part="project_group",
        texts={round_.questions.first().pk: "Ikke for publisering"}, published=False, now=now,
    )  # fmt: skip
    services.answer_submit(actor=personas.leader_b, answer=secret, now=now)
    plan = Plan.objects.create(kind=Plan.Kind.MILESTONE, title="Milepælsplan")
    PlanItem.objects.create(plan=plan, title="Oppstartsamling", start=datetime.date(2020, 2, 1),
                            end=datetime.date(2020, 2, 2), status=PlanItem.Status.DONE)  # fmt: skip
    Event.objects.create(kind="youth_gathering", title="Nasjonal ungdomssamling",
                         starts_at=now - datetime.timedelta(days=30),
                         ends_at=now - datetime.timedelta(days=29))  # fmt: skip
    return round_


def test_the_report_assembles_evaluations_milestones_and_gatherings(client, personas, content):
    client.force_login(personas.coordinator)
    client.post(reverse("evaluations:report_edit"),
                {"title": "Sluttrapport KK", "summary": "Piloten virket."})  # fmt: skip
    text = client.get(reverse("evaluations:report")).text
    for expected in ("Sluttrapport KK", "Piloten virket.", "Publisert project_group",
                     "Publisert youth", "Oppstartsamling", "Nasjonal ungdomssamling"):  # fmt: skip
        assert expected in text
    assert "Ikke for publisering" not in text
    assert personas.youth_member_a.first_name not in text
    assert AuditEntry.objects.filter(action="evaluations.report_save").exists()


def test_the_pdf_is_a_tagged_pdf(client, personas, content):
    client.force_login(personas.coordinator)
    response = client.get(reverse("evaluations:report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "nb"
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Publisert youth" in text and "Ikke for publisering" not in text


def test_municipalities_see_it_only_once_distributed(client, personas, content):
    services.report_save(actor=personas.coordinator, report=None, title="Sluttrapport KK",
                         now=timezone.now())  # fmt: skip
    client.force_login(personas.leader_a)
    assert client.get(reverse("evaluations:report")).status_code == 403
    client.force_login(personas.coordinator)
    client.post(reverse("evaluations:report_distribute"))
    assert FinalReport.objects.get().distributed_at is not None
    assert AuditEntry.objects.filter(action="evaluations.report_distribute").exists()
    client.force_login(personas.leader_a)
    response = client.get(reverse("evaluations:report"))
    assert response.status_code == 200
    assert "Distribuer til kommunene" not in response.text
    client.force_login(personas.youth_a)  # a youth with no role
    assert client.get(reverse("evaluations:report")).status_code == 403


@pytest.mark.parametrize("who", ["leader_a", "researcher", "youth_member_a"])
def test_only_national_roles_write_and_distribute(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.post(reverse("evaluations:report_edit"), {"title": "x"}).status_code == 403
    assert client.post(reverse("evaluations:report_distribute")).status_code == 403
    assert not FinalReport.objects.exists()


def test_a_report_without_title_is_refused(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(reverse("evaluations:report_edit"), {"title": ""})
    assert response.status_code == 400
    assert not FinalReport.objects.exists()


# --- The protected survey results and the distribution (issue 21) ---------------------------------


@pytest.fixture
def closed_wave(personas, settings, tmp_path):
    """A closed wave: Arendal's 21 answers to «kjonn» hide nothing; Sola's table hides its group
    of 2 (under n = 5), so the national table leaves Sola out, as the results pages do."""
    from ungkultur.surveys import services as survey_services
    from ungkultur.surveys.tests.results_data import NOW, add_responses, make_survey

    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)
    _survey, (wave,) = make_survey(personas.researcher, title="Ungdata-runden")
    add_responses(wave, personas.arendal, 12, kjonn="1")
    add_responses(wave, personas.arendal, 9, kjonn="2")
    add_responses(wave, personas.sola, 6, kjonn="1")
    add_responses(wave, personas.sola, 2, kjonn="2")
    return survey_services.wave_close(actor=personas.researcher, wave=wave, now=NOW)


def _gender_table(response):
    block = response.context["surveys"][0]
    return next(t for t in block["tables"] if t.variable.name == "kjonn")


def test_the_report_shows_the_published_survey_tables_and_no_hidden_group(
    client, personas, closed_wave
):
    from ungkultur.surveys import results

    client.force_login(personas.coordinator)
    response = client.get(reverse("evaluations:report"))
    assert response.status_code == 200
    table = _gender_table(response)
    counts = {row["label"]: row["count"] for row in table.frequency_rows}
    # Arendal's numbers only: Sola's 6 + 2 (a group under n) are in no number shown.
    assert 12 in counts.values() and 9 in counts.values()
    assert table.display_rows()[0]["total"] == 21
    assert table.left_out
    # Exactly what the national results page publishes for the wave.
    published, _respondents, _fresh = results.wave_tables(
        closed_wave, results.variables_for(closed_wave.survey.questionnaire)
    )
    same = next(t for t in published if t.variable.name == "kjonn")
    assert same.frequency_rows == table.frequency_rows
    text = response.text
    assert "Ungdata-runden" in text and "Kommuner med færre enn 5 svar er ikke med" in text
    assert ">21<" in text and ">18<" not in text and ">8<" not in text  # 12+6, 6+2
    pdf = client.get(reverse("evaluations:report_pdf"))
    assert "Ungdata-runden" in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )


def test_an_open_wave_is_not_in_the_report(client, personas, closed_wave):
    from ungkultur.surveys.models import Wave

    Wave.objects.filter(pk=closed_wave.pk).update(status=Wave.Status.OPEN)
    client.force_login(personas.coordinator)
    response = client.get(reverse("evaluations:report"))
    assert response.context["surveys"] == []
    assert "Ingen avsluttede undersøkelser ennå." in response.text


def test_distributing_notifies_and_mails_kk_project_leaders_once(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    from ungkultur.municipalities.models import Municipality
    from ungkultur.participation.models import Notification

    services.report_save(actor=personas.coordinator, report=None, title="Sluttrapport KK",
                         now=timezone.now())  # fmt: skip
    Municipality.objects.filter(pk=personas.sola.pk).update(kk_active=False)
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("evaluations:report_distribute")).status_code == 302
    assert [m.to for m in mailoutbox] == [[personas.leader_a.email]]
    assert "Sluttrapport KK" in mailoutbox[0].subject
    assert reverse("evaluations:report") in mailoutbox[0].body
    notices = Notification.objects.filter(kind=Notification.Kind.FINAL_REPORT)
    assert list(notices.values_list("user_id", flat=True)) == [personas.leader_a.pk]
    entry = AuditEntry.objects.get(action="evaluations.report_distribute")
    assert entry.changes["recipients"] == [personas.leader_a.pk]
    # A second distribution sends nothing more and writes no second audit row.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluations:report_distribute"))
    assert len(mailoutbox) == 1 and notices.count() == 1
    assert AuditEntry.objects.filter(action="evaluations.report_distribute").count() == 1
    # The notice on the leader's list links to the report.
    client.force_login(personas.leader_a)
    page = client.get(reverse("participation:notifications")).text
    assert "Sluttrapporten for koordinert kulturarbeid er distribuert" in page
    assert reverse("evaluations:report") in page


# --- A question every municipality hides (the demo's «Er du …»): never a 0 -----------------------


@pytest.fixture
def every_group_small(personas, settings, tmp_path):
    """A closed wave where «kjonn» has a group under n = 5 in each municipality: Arendal 12 + 3,
    Sola 7 + 2. Every municipality's own table hides something, so no national number of the
    question can be counted; 24 have answered."""
    from ungkultur.surveys import services as survey_services
    from ungkultur.surveys.tests.results_data import NOW, add_responses, make_survey

    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 5
    _survey, (wave,) = make_survey(personas.researcher, title="Ungdata-runden")
    add_responses(wave, personas.arendal, 12, kjonn="1")
    add_responses(wave, personas.arendal, 3, kjonn="2")
    add_responses(wave, personas.sola, 7, kjonn="1")
    add_responses(wave, personas.sola, 2, kjonn="2")
    return survey_services.wave_close(actor=personas.researcher, wave=wave, now=NOW)


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_a_question_every_municipality_hides_reads_too_few_not_zero(
    client, personas, every_group_small
):
    client.force_login(personas.coordinator)
    response = client.get(reverse("evaluations:report"))
    table = _gender_table(response)
    assert table.all_too_few
    assert table.total is None and set(table.column_totals.values()) == {None}
    assert all(row["count"] is None for row in table.frequency_rows)
    html = _section(response.text, "Er du …", "Hvilket trinn")
    assert "For få svar" in html
    assert ">0<" not in html and "Svar i alt" not in html
    pdf = client.get(reverse("evaluations:report_pdf"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    pdf_section = _section(text, "Er du …", "Hvilket trinn")
    assert "For få svar" in pdf_section
    assert "0" not in pdf_section.replace("Er du …", "")
    assert "Svar i alt" not in pdf_section
