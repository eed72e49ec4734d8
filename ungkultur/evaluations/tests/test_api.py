import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.evaluations import services
from ungkultur.evaluations.models import Answer

pytestmark = pytest.mark.django_db


def answered(personas, round_, part, *, published, submit=True):
    actor = personas.leader_a if part == "project_group" else personas.youth_member_a
    texts = {q.pk: f"{part} {q.topic}" for q in round_.questions.all()}
    answer = services.answer_save(
        actor=actor, round=round_, municipality=personas.arendal, part=part, texts=texts,
        published=published, now=timezone.now(),
    )  # fmt: skip
    if submit:
        services.answer_submit(actor=actor, answer=answer, now=timezone.now())
    return answer


def test_the_api_gives_submitted_published_answers_only_without_names(client, personas, round_):
    answered(personas, round_, "project_group", published=True)
    answered(personas, round_, "youth", published=False)
    response = client.get(reverse("api:municipality_evaluations", args=["4203"]))
    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 1
    assert data["results"][0]["part"] == "project_group"
    assert data["results"][0]["answers"][0] == {
        "topic": "needs",
        "question": round_.questions.first().text,
        "text": "project_group needs",
    }
    assert personas.leader_a.first_name not in response.text


def test_a_draft_is_never_in_the_api(client, personas, round_):
    answered(personas, round_, "youth", published=True, submit=False)
    data = client.get(reverse("api:municipality_evaluations", args=["4203"])).json()
    assert data["count"] == 0
    assert Answer.objects.get().status == "draft"


def test_a_published_youth_part_is_the_groups_voice(client, personas, round_):
    answered(personas, round_, "youth", published=True)
    response = client.get(reverse("api:municipality_evaluations", args=["4203"]))
    assert response.json()["results"][0]["part"] == "youth"
    assert personas.youth_member_a.first_name not in response.text
    assert "ressurs" not in response.text.lower()


def test_another_municipality_sees_nothing_of_arendal(client, personas, round_):
    answered(personas, round_, "project_group", published=True)
    assert client.get(reverse("api:municipality_evaluations", args=["1124"])).json()["count"] == 0
    response = client.get(reverse("api:municipality_evaluations", args=["9999"]))
    assert response.status_code == 404


def test_the_budget_api_gives_the_frame_and_allocations(client, personas):
    now = timezone.now()
    frame = services.frame_set(actor=personas.admin, year=2021, amount=650_000, now=now)
    allocation = services.allocation_set(
        actor=personas.admin, frame=frame, municipality=personas.arendal, amount=65_000, now=now
    )
    services.payment_record(
        actor=personas.admin, allocation=allocation, paid_on=datetime.date(2021, 3, 1),
        amount=30_000, now=now,
    )  # fmt: skip
    services.position_set(actor=personas.admin, frame=frame, organisation=personas.nkr,
                          percent=50, yearly_cost=350_000, now=now)  # fmt: skip
    response = client.get(reverse("api:budget"), {"year": "2021"})
    assert response.json() == {
        "year": 2021,
        "frame": 650_000,
        "earmarked": 325_000,
        "allocations": [
            {"municipality": "4203", "name": "Arendal", "allocated": 65_000, "paid": 30_000,
             "used": 0}
        ],
        "positions": [{"organisation": "Norsk kulturskoleråd", "percent": 50}],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [({}, 400, "Oppgi året"), ({"year": "tjue"}, 400, "Året må være et tall"),
     ({"year": "2019"}, 404, "Ingen ramme er satt for 2019")],
)  # fmt: skip
def test_the_budget_api_refuses_a_missing_or_unknown_year(client, personas, query, status, message):
    response = client.get(reverse("api:budget"), query)
    assert response.status_code == status
    assert message in response.json()["error"]
