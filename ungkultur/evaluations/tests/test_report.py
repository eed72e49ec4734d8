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
