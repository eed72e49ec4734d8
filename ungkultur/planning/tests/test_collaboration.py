import pytest
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import Unit
from ungkultur.planning.models import Collaboration, CollaborationModel

pytestmark = pytest.mark.django_db


def collaborate(municipality, term, title, *units):
    collaboration = Collaboration.objects.create(municipality=municipality, term=term, title=title)
    collaboration.units.set(units)
    return collaboration


@pytest.fixture
def network(personas):
    a = personas.a
    art = Unit.objects.create(municipality=personas.arendal, kind="art_association", name="Kunst")
    collaborate(personas.arendal, "2024H", "Verksted", a.kulturskole, a.library)
    collaborate(personas.arendal, "2024H", "Visning", a.club, a.ukm)
    collaborate(personas.arendal, "2024H", "Lesekonsert", a.ukm, a.library)
    collaborate(personas.arendal, "2025V", "Verksted igjen", a.kulturskole, a.library)
    collaborate(personas.arendal, "2025V", "Årshjul", a.kulturskole, a.club, a.ukm)
    collaborate(personas.arendal, "2025V", "Utstilling", art, a.club)
    collaborate(personas.sola, "2025V", "Sola", personas.b.club, personas.b.ukm)
    return art


def test_the_page_draws_the_network_and_tells_the_change_from_the_term_before(
    client, personas, network
):
    response = client.get(reverse("planning:collaboration", args=["4203"]), {"term": "2025v"})
    assert response.status_code == 200
    text = response.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="site-chart" role="img"' in text
    assert "5 enheter og 5 samarbeidspar" in text
    rows = response.context["network"]["rows"]
    change = {
        frozenset((r["a"].name, r["b"].name)): (r["count"], r["before"], r["change"]) for r in rows
    }
    assert change == {
        frozenset(("Arendal bibliotek", "Arendal kulturskole")): (1, 1, "continued"),
        frozenset(("Arendal kulturskole", "Klubben Arendal")): (1, 0, "new"),
        frozenset(("Arendal kulturskole", "UKM Arendal")): (1, 0, "new"),
        frozenset(("Klubben Arendal", "UKM Arendal")): (1, 1, "continued"),
        frozenset(("Klubben Arendal", "Kunst")): (1, 0, "new"),
        frozenset(("Arendal bibliotek", "UKM Arendal")): (0, 1, "ended"),
    }
    assert "Sola" not in text.split('id="list-heading"')[1]


def test_the_latest_term_is_shown_by_default_and_a_bad_term_is_400(client, personas, network):
    response = client.get(reverse("planning:collaboration", args=["4203"]))
    assert response.context["term"] == "2025V"
    response = client.get(reverse("planning:collaboration", args=["4203"]), {"term": "2025X"})
    assert response.status_code == 400
    assert "for eksempel 2024H" in response.text


def test_the_collaboration_page_is_a_fixed_number_of_queries(
    client, personas, network, django_assert_max_num_queries
):
    for n in range(10):
        collaborate(personas.arendal, "2025V", f"Mer {n}", personas.a.club, personas.a.library)
    # municipality, terms, this term's and the term before's collaborations with their units.
    with django_assert_max_num_queries(6):
        client.get(reverse("planning:collaboration", args=["4203"]), {"term": "2025V"})


def collaboration_data(personas, **fields):
    return {
        "title": "Skriveverksted",
        "term": "2025v",
        "units": [personas.a.kulturskole.pk, personas.a.library.pk],
        "offer": personas.a.workshop.pk,
        **fields,
    }


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "admin"])
def test_the_municipalitys_staff_record_a_collaboration(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(
        reverse("planning:collaboration_create", args=["4203"]), collaboration_data(personas)
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?term=2025V")
    collaboration = Collaboration.objects.get()
    assert (collaboration.term, collaboration.offer) == ("2025V", personas.a.workshop)
    assert set(collaboration.units.all()) == {personas.a.kulturskole, personas.a.library}
    assert AuditEntry.objects.filter(action="planning.collaboration_create").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"units": []}, "Feltet er påkrevet."),
        ({"term": "høst"}, "for eksempel 2024H"),
    ],
)
def test_a_bad_collaboration_is_400(client, personas, fields, message):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("planning:collaboration_create", args=["4203"]),
        collaboration_data(personas, **fields),
    )
    assert response.status_code == 400
    assert message in response.text
    assert not Collaboration.objects.exists()


def test_one_unit_or_another_municipalitys_unit_is_refused(client, personas):
    client.force_login(personas.leader_a)
    url = reverse("planning:collaboration_create", args=["4203"])
    response = client.post(url, collaboration_data(personas, units=[personas.a.club.pk]))
    assert response.status_code == 400
    assert "Velg minst to enheter." in response.text
    response = client.post(
        url, collaboration_data(personas, units=[personas.a.club.pk, personas.b.club.pk])
    )
    assert response.status_code == 400
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("youth_member_a", 403), ("leader_b", 404)])
def test_others_may_not_record(client, personas, who, status):
    user = personas.a.youth_member if who == "youth_member_a" else personas.leader_b
    client.force_login(user)
    response = client.post(
        reverse("planning:collaboration_create", args=["4203"]), collaboration_data(personas)
    )
    assert response.status_code == status


def test_a_shared_model_is_readable_by_everyone(client, personas):
    client.force_login(personas.teacher_a)
    response = client.post(
        reverse("planning:model_create", args=["4203"]),
        {"title": "Felles koordinator", "what": "Hva", "who": "Hvem", "how": "Hvordan"},
    )
    model = CollaborationModel.objects.get()
    assert response["Location"] == reverse("planning:model_detail", args=[model.pk])
    assert model.municipality == personas.arendal
    client.logout()
    assert "Felles koordinator" in client.get(reverse("planning:model_list")).text
    page = client.get(reverse("planning:model_detail", args=[model.pk]))
    assert "Delt av Arendal" in page.text
    client.force_login(personas.teacher_a)
    response = client.post(reverse("planning:model_create", args=["4203"]), {"title": "Uten"})
    assert response.status_code == 400
    assert CollaborationModel.objects.count() == 1


def test_the_public_sees_who_worked_together_but_not_the_measure(client, personas, measure):
    collaboration = collaborate(
        personas.arendal, "2025V", "Årshjul", personas.a.kulturskole, personas.a.club
    )
    collaboration.measure = measure
    collaboration.save()
    url = reverse("planning:collaboration", args=["4203"])
    response = client.get(url, {"term": "2025V"})
    assert "Årshjul" in response.text and "Ungdomsstyre på klubben" not in response.text
    client.force_login(personas.teacher_a)
    assert "Ungdomsstyre på klubben" in client.get(url, {"term": "2025V"}).text
