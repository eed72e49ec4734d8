import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

MAY = ["admin", "leader_a", "club_worker_a"]
MAY_NOT = ["teacher_a", "youth_a", "youth_member_a", "guardian_a", "ukm_contact_a", "coordinator"]
ELSEWHERE = ["club_worker_b", "leader_b", "teacher_b", "youth_b", "researcher"]


def person(personas, who):
    if who.endswith(("_a", "_b")) and who.rsplit("_", 1)[0] in ("club_worker", "ukm_contact"):
        name, key = who.rsplit("_", 1)
        return getattr(getattr(personas, key), name)
    return getattr(personas, who)


def new_url(personas):
    return reverse("clubs:evening_new", args=[personas.a.club.pk])


def form_data(date, **fields):
    data = {"date": date.isoformat(), "first_time_visitors": "", "note": ""}
    data.update({key: str(value) for key, value in fields.items()})
    return data


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MAY)
def test_staff_of_the_club_leader_and_admin_may_register(client, personas, who, yesterday):
    client.force_login(person(personas, who))
    response = client.post(new_url(personas), form_data(yesterday, count_13_15_female=3))
    assert response.status_code == 302
    evening = ClubEvening.objects.get()
    assert evening.recorded_by == person(personas, who)


@pytest.mark.parametrize("who", MAY_NOT)
def test_others_in_the_municipality_get_403(client, personas, who, yesterday):
    client.force_login(person(personas, who))
    assert client.get(new_url(personas)).status_code == 403
    response = client.post(new_url(personas), form_data(yesterday, count_13_15_female=3))
    assert response.status_code == 403
    assert not ClubEvening.objects.exists()


@pytest.mark.parametrize("who", ELSEWHERE)
def test_people_of_another_municipality_get_404(client, personas, who, yesterday):
    client.force_login(person(personas, who))
    assert client.get(new_url(personas)).status_code == 404
    assert client.get(reverse("clubs:evening_list", args=[personas.a.club.pk])).status_code == 404
    response = client.post(new_url(personas), form_data(yesterday, count_13_15_female=3))
    assert response.status_code == 404
    assert not ClubEvening.objects.exists()


def test_ended_staff_period_no_longer_counts(client, personas):
    staff = personas.a.club.staff.get(user=personas.a.club_worker)
    staff.end = timezone.localdate()
    staff.save()
    client.force_login(personas.a.club_worker)
    assert client.get(new_url(personas)).status_code == 403


def test_staff_of_another_club_may_not(client, personas):
    from ungkultur.organisations.models import Unit

    other = Unit.objects.create(
        municipality=personas.arendal, kind=Unit.Kind.YOUTH_CLUB, name="Klubben på His"
    )
    client.force_login(personas.a.club_worker)
    assert client.get(reverse("clubs:evening_new", args=[other.pk])).status_code == 403


def test_a_unit_that_is_not_a_club_is_404(client, personas):
    client.force_login(personas.admin)
    response = client.get(reverse("clubs:evening_new", args=[personas.a.kulturskole.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(new_url(personas))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- The form -----------------------------------------------------------------------------------


def test_form_is_a_labelled_numeric_grid_with_today_as_default(client, personas):
    client.force_login(personas.a.club_worker)
    response = client.get(new_url(personas))
    assert response.status_code == 200
    html = response.text
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert html.count('inputmode="numeric"') == 5 * 3 + 1  # the grid and the first-timers
    assert '<label class="ds-sr-only" for="id_count_13_15_female">13–15 år, jenter</label>' in html
    assert (
        '<label class="ds-sr-only" for="id_count_over_18_other">'
        "over 18 år, annet eller ikke oppgitt</label>"
    ) in html
    assert '<th scope="row">Under 10 år</th>' in html
    assert '<th scope="col">Jenter</th>' in html
    assert 'min="0"' in html


def test_saving_creates_the_evening_and_only_non_zero_rows(client, personas, yesterday):
    client.force_login(personas.a.club_worker)
    response = client.post(
        new_url(personas),
        form_data(
            yesterday,
            count_13_15_female=5,
            count_13_15_male=0,
            count_16_18_other=2,
            first_time_visitors=1,
            note="Filmkveld",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("clubs:evening_list", args=[personas.a.club.pk])
    evening = ClubEvening.objects.get()
    assert (evening.unit, evening.date, evening.first_time_visitors, evening.note) == (
        personas.a.club,
        yesterday,
        1,
        "Filmkveld",
    )
    assert sorted(evening.headcounts.values_list("age_band", "gender", "count")) == [
        ("13_15", "female", 5),
        ("16_18", "other", 2),
    ]
    assert AuditEntry.objects.get(action="club_evening.registered").actor == personas.a.club_worker
    followed = client.get(response["Location"])
    assert "er registrert" in followed.text


def test_more_first_timers_than_visitors_is_400_and_keeps_the_input(client, personas, yesterday):
    client.force_login(personas.a.club_worker)
    response = client.post(
        new_url(personas),
        form_data(yesterday, count_10_12_male=2, first_time_visitors=3, note="Quiz"),
    )
    assert response.status_code == 400
    assert "Flere førstegangsbesøkende enn besøkende" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'name="count_10_12_male" value="2"' in response.text
    assert "Quiz</textarea>" in response.text
    assert not ClubEvening.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("value", ["-1", "tre", "10000"])
def test_a_bad_count_is_400(client, personas, yesterday, value):
    client.force_login(personas.a.club_worker)
    response = client.post(new_url(personas), form_data(yesterday, count_13_15_female=value))
    assert response.status_code == 400
    assert 'id="id_count_13_15_female_error"' in response.text
    assert "13–15 år, jenter:" in response.text  # named in the summary
    assert not ClubEvening.objects.exists()


def test_a_missing_date_is_400(client, personas):
    client.force_login(personas.a.club_worker)
    response = client.post(new_url(personas), {"date": "", "count_13_15_female": "1"})
    assert response.status_code == 400
    assert "Dato: Feltet er påkrevet." in response.text


def test_a_future_date_is_400(client, personas):
    client.force_login(personas.a.club_worker)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(new_url(personas), form_data(tomorrow, count_13_15_female=1))
    assert response.status_code == 400
    assert "ikke har vært ennå" in response.text


def test_second_registration_of_the_same_date_is_400_with_a_link_to_edit(
    client, personas, register_evening, yesterday
):
    existing = register_evening(yesterday, {("13_15", "female"): 3})
    client.force_login(personas.leader_a)
    response = client.post(new_url(personas), form_data(yesterday, count_13_15_female=8))
    assert response.status_code == 400
    assert "Kvelden er allerede registrert" in response.text
    assert reverse("clubs:evening_edit", args=[existing.pk]) in response.text
    existing.refresh_from_db()
    assert existing.headcounts.get().count == 3
    assert ClubEvening.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_new_evening_answers_405_to_other_methods(client, personas, method):
    client.force_login(personas.a.club_worker)
    assert getattr(client, method)(new_url(personas)).status_code == 405


# --- Edit ---------------------------------------------------------------------------------------


def test_edit_shows_the_counts_and_replaces_them(client, personas, register_evening, yesterday):
    evening = register_evening(yesterday, {("13_15", "female"): 3, ("16_18", "male"): 4}, 2)
    url = reverse("clubs:evening_edit", args=[evening.pk])
    client.force_login(personas.a.club_worker)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="count_16_18_male" value="4"' in page.text
    assert 'name="first_time_visitors" value="2"' in page.text
    response = client.post(url, form_data(yesterday, count_10_12_other=6, first_time_visitors=1))
    assert response.status_code == 302
    evening.refresh_from_db()
    assert evening.first_time_visitors == 1
    assert list(evening.headcounts.values_list("age_band", "gender", "count")) == [
        ("10_12", "other", 6)
    ]
    assert AuditEntry.objects.filter(action="club_evening.updated").count() == 1


def test_edit_onto_a_registered_date_is_400_with_a_link(
    client, personas, register_evening, yesterday
):
    first = register_evening(yesterday, {("13_15", "female"): 3})
    second = register_evening(yesterday - datetime.timedelta(days=1), {("13_15", "female"): 1})
    client.force_login(personas.a.club_worker)
    response = client.post(
        reverse("clubs:evening_edit", args=[second.pk]), form_data(yesterday, count_13_15_male=1)
    )
    assert response.status_code == 400
    assert "Kvelden er allerede registrert" in response.text
    assert reverse("clubs:evening_edit", args=[first.pk]) in response.text
    assert ClubHeadcount.objects.get(evening=second).gender == "female"


def test_edit_with_too_many_first_timers_is_400(client, personas, register_evening, yesterday):
    evening = register_evening(yesterday, {("13_15", "female"): 3})
    client.force_login(personas.a.club_worker)
    response = client.post(
        reverse("clubs:evening_edit", args=[evening.pk]),
        form_data(yesterday, count_13_15_female=1, first_time_visitors=2),
    )
    assert response.status_code == 400
    assert "Flere førstegangsbesøkende enn besøkende" in response.text
    assert evening.headcounts.get().count == 3


@pytest.mark.parametrize(
    "who,status", [("youth_a", 403), ("teacher_a", 403), ("club_worker_b", 404)]
)
def test_edit_refuses_others(client, personas, register_evening, yesterday, who, status):
    evening = register_evening(yesterday, {("13_15", "female"): 3})
    client.force_login(person(personas, who))
    url = reverse("clubs:evening_edit", args=[evening.pk])
    assert client.get(url).status_code == status
    assert client.post(url, form_data(yesterday)).status_code == status
    assert evening.headcounts.get().count == 3


def test_edit_of_a_missing_evening_is_404(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("clubs:evening_edit", args=[999])).status_code == 404


def test_edit_answers_405_to_delete(client, personas, register_evening, yesterday):
    evening = register_evening(yesterday)
    client.force_login(personas.a.club_worker)
    assert client.delete(reverse("clubs:evening_edit", args=[evening.pk])).status_code == 405


# --- List ---------------------------------------------------------------------------------------


def test_list_shows_totals_and_first_timers_without_names(
    client, personas, register_evening, yesterday
):
    register_evening(yesterday, {("13_15", "female"): 3, ("16_18", "male"): 4}, 2, note="Quiz")
    register_evening(yesterday - datetime.timedelta(days=7), {})
    client.force_login(personas.a.club_worker)
    response = client.get(reverse("clubs:evening_list", args=[personas.a.club.pk]))
    assert response.status_code == 200
    assert "<td>7</td>" in response.text
    assert "<td>2</td>" in response.text
    assert "<td>0</td>" in response.text
    assert (
        personas.a.club_worker.first_name not in response.text.split("<main")[1].split("</main>")[0]
    )


def test_list_pages_the_evenings(client, personas, register_evening, yesterday):
    for days in range(25):
        register_evening(yesterday - datetime.timedelta(days=days))
    client.force_login(personas.a.club_worker)
    url = reverse("clubs:evening_list", args=[personas.a.club.pk])
    first = client.get(url)
    assert first.text.count("Endre ") == 20
    assert "Side 1 av 2" in first.text
    assert client.get(url, {"side": 2}).text.count("Endre ") == 5


def test_list_query_count_does_not_grow_with_evenings(
    client, personas, register_evening, yesterday, django_assert_max_num_queries
):
    for days in range(15):
        register_evening(yesterday - datetime.timedelta(days=days), {("13_15", "male"): days})
    client.force_login(personas.a.club_worker)
    # The session; the user; the club with its municipality; the user's national roles,
    # memberships and unit roles (roles_for); the count of evenings; one page of them with
    # their totals.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("clubs:evening_list", args=[personas.a.club.pk]))
    assert response.text.count("Endre ") == 15


def test_list_answers_405_to_post(client, personas):
    client.force_login(personas.a.club_worker)
    response = client.post(reverse("clubs:evening_list", args=[personas.a.club.pk]))
    assert response.status_code == 405
