import datetime

import pytest
from django.urls import reverse

from ungkultur.participation.models import Poll, PollAnswer, PollResponse
from ungkultur.participation.services import poll_answer, poll_create
from ungkultur.participation.tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(personas):
    return poll_create(
        actor=personas.a.club_worker,
        unit=personas.a.club,
        title="Kveldens klubb",
        minutes=60,
        questions=[
            ("Hvordan var kvelden?", ["Bra", "Helt ok", "Kjedelig"]),
            ("Kommer du igjen?", ["Ja", "Nei"]),
        ],
        now=NOW,
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("club_worker", 200), ("leader", 200), ("teacher", 403), ("youth", 403)],
)
def test_who_may_run_polls_for_a_club(client, personas, who, status):
    client.force_login(getattr(personas.a, who))
    assert (
        client.get(reverse("participation:poll_list", args=[personas.a.club.pk])).status_code
        == status
    )


def test_other_municipality_gets_404(client, personas, poll):
    client.force_login(personas.b.club_worker)
    assert (
        client.get(reverse("participation:poll_list", args=[personas.a.club.pk])).status_code == 404
    )
    assert client.get(reverse("participation:poll_detail", args=[poll.pk])).status_code == 404


def test_staff_open_a_poll(client, personas):
    client.force_login(personas.a.club_worker)
    url = reverse("participation:poll_list", args=[personas.a.club.pk])
    bad = client.post(
        url, {"title": "Kveld", "minutes": 30, "question_1": "Bra?", "choices_1": "Ja"}
    )
    assert bad.status_code == 400
    assert "trenger fra to til seks svaralternativer" in bad.text
    assert not Poll.objects.exists()
    response = client.post(
        url, {"title": "Kveld", "minutes": 30, "question_1": "Bra?", "choices_1": "Ja\nNei\n"}
    )
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert poll.closes_at - poll.opens_at == datetime.timedelta(minutes=30)
    assert list(poll.questions.values_list("choices", flat=True)) == [["Ja", "Nei"]]
    detail = client.get(reverse("participation:poll_detail", args=[poll.pk]))
    assert f"/m/{poll.slug}/" in detail.text
    qr = client.get(reverse("participation:poll_qr", args=[poll.slug]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_youth_answer_anonymously_once_per_browser(client, personas, poll):
    url = reverse("participation:poll_answer", args=[poll.slug])
    q1, q2 = poll.questions.all()
    page = client.get(url)
    assert page.status_code == 200
    assert "Hvordan var kvelden?" in page.text
    missing = client.post(url, {f"q{q1.pk}": 0})
    assert missing.status_code == 400
    assert not PollResponse.objects.exists()
    assert client.post(url, {f"q{q1.pk}": 0, f"q{q2.pk}": 1}).status_code == 302
    again = client.post(url, {f"q{q1.pk}": 2, f"q{q2.pk}": 1})
    assert again.status_code == 400
    assert PollResponse.objects.count() == 1
    assert sorted(PollAnswer.objects.values_list("choice", flat=True)) == [0, 1]
    # Nothing about the person: only the date.
    fields = {f.name for f in PollResponse._meta.get_fields()}
    assert fields == {"id", "poll", "answered_on", "answers"}


def test_a_closed_poll_takes_no_answers(client, personas, poll, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW + datetime.timedelta(hours=2))
    q1, q2 = poll.questions.all()
    url = reverse("participation:poll_answer", args=[poll.slug])
    response = client.post(url, {f"q{q1.pk}": 0, f"q{q2.pk}": 1})
    assert response.status_code == 400
    assert "Målingen er stengt." in response.text
    assert not PollResponse.objects.exists()


def test_results_show_only_from_five_answers(client, personas, poll):
    q1, q2 = poll.questions.all()
    for n in range(4):
        poll_answer(poll=poll, answers={q1.pk: 0, q2.pk: n % 2}, now=NOW)
    client.force_login(personas.a.club_worker)
    url = reverse("participation:poll_detail", args=[poll.pk])
    assert "Resultatet vises når minst 5 har svart." in client.get(url).text
    poll_answer(poll=poll, answers={q1.pk: 1, q2.pk: 0}, now=NOW)
    results = client.get(url).context["results"]
    assert results["total"] == 5
    (first, cells1), (second, cells2) = results["questions"]
    # Bra 4, Helt ok 1 (hidden), Kjedelig 0: the 4 is hidden too, or 1 = 5 − 4 gives it away.
    assert cells1 == [
        ("Bra", None, "færre enn 5"),
        ("Helt ok", None, "færre enn 5"),
        ("Kjedelig", 0, None),
    ]
    assert cells2 == [("Ja", None, "færre enn 5"), ("Nei", None, "færre enn 5")]


def test_a_count_hidden_only_to_protect_another_says_skjult(client, personas, poll):
    q1, q2 = poll.questions.all()
    for i in range(15):
        poll_answer(poll=poll, answers={q1.pk: [0, 1, 1, 2, 2][i % 5], q2.pk: 0}, now=NOW)
    client.force_login(personas.a.club_worker)
    url = reverse("participation:poll_detail", args=[poll.pk])
    response = client.get(url)
    (first, cells), _second = response.context["results"]["questions"]
    # Bra 3 is under 5; Helt ok 6 is hidden only so that 15 − 6 − 6 cannot give the 3 back.
    assert cells == [
        ("Bra", None, "færre enn 5"),
        ("Helt ok", None, "skjult"),
        ("Kjedelig", 6, None),
    ]
    assert "færre enn 5" in response.text and "skjult" in response.text


def test_poll_results_move_only_in_steps_of_n_answers(client, personas, poll):
    q1, q2 = poll.questions.all()
    client.force_login(personas.a.club_worker)
    url = reverse("participation:poll_detail", args=[poll.pk])
    seen = []
    for i in range(12):
        poll_answer(poll=poll, answers={q1.pk: i % 3, q2.pk: i % 2}, now=NOW)
        results = client.get(url).context["results"]
        seen.append((results["total"], results["questions"]))
    for (before_total, before), (after_total, after) in zip(seen, seen[1:], strict=False):
        # One more answer changes nothing, or comes with n − 1 others: never one alone.
        assert before == after or (after_total or 0) - (before_total or 0) >= 5
    assert [total for total, _questions in seen] == [None] * 4 + [5] * 5 + [10] * 3


def test_staff_close_the_poll(client, personas, poll):
    client.force_login(personas.a.club_worker)
    assert client.post(reverse("participation:poll_close", args=[poll.pk])).status_code == 302
    poll.refresh_from_db()
    assert poll.closes_at == NOW
