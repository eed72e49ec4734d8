"""Places are kept by those who run a unit in the municipality, on pages, with audit rows."""

import pytest
from django.urls import reverse

from ungkultur.catalogue.models import Venue
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Kulturhuset",
    "address": "Torvet 1",
    "step_free": "on",
    "hearing_loop": "on",
    "accessibility_notes": "Heis til andre etasje.",
}


def _urls(p):
    unit = p.a.kulturskole.pk
    return {
        "list": ("get", reverse("catalogue:venue_list", args=[unit])),
        "create": ("post", reverse("catalogue:venue_create", args=[unit])),
        "update": ("post", reverse("catalogue:venue_update", args=[unit, p.a.venue.pk])),
    }


@pytest.mark.parametrize("endpoint", ["list", "create", "update"])
@pytest.mark.parametrize(
    "who, status",
    [("youth_a", 403), ("guardian_a", 403), ("teacher_b", 404), ("leader_b", 404)],
)
def test_who_may_not_keep_places(client, personas, endpoint, who, status):
    client.force_login(getattr(personas, who))
    before = Venue.objects.count()
    method, url = _urls(personas)[endpoint]
    assert getattr(client, method)(url, VALID).status_code == status
    assert Venue.objects.count() == before
    personas.a.venue.refresh_from_db()
    assert personas.a.venue.name != "Kulturhuset"


@pytest.mark.parametrize("who", ["rector_a", "leader_a", "admin"])
def test_staff_and_project_leader_add_a_place_with_its_accessibility(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(_urls(personas)["create"][1], VALID)
    assert response.status_code == 302
    venue = Venue.objects.get(name="Kulturhuset")
    assert venue.municipality == personas.a.kulturskole.municipality
    assert (venue.step_free, venue.accessible_toilet, venue.hearing_loop) == (True, False, True)
    entry = AuditEntry.objects.get(action="venue.created")
    assert entry.actor == getattr(personas, who)
    assert entry.changes["accessibility_notes"] == "Heis til andre etasje."
    listing = client.get(_urls(personas)["list"][1])
    assert "Kulturhuset" in listing.text and "teleslynge" in listing.text


def test_a_name_the_municipality_already_has_is_refused(client, personas):
    client.force_login(personas.rector_a)
    before = Venue.objects.count()
    response = client.post(
        _urls(personas)["create"][1], {**VALID, "name": personas.a.venue.name.upper()}
    )
    assert response.status_code == 400
    assert "Kommunen har allerede et sted med dette navnet." in response.text
    assert Venue.objects.count() == before


def test_a_place_without_a_name_is_refused(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(_urls(personas)["update"][1], {**VALID, "name": ""})
    assert response.status_code == 400
    assert "Navn: Feltet er påkrevet." in response.text
    old = personas.a.venue.name
    personas.a.venue.refresh_from_db()
    assert personas.a.venue.name == old
    assert not AuditEntry.objects.filter(action="venue.updated").exists()


def test_changing_a_place_records_before_and_after(client, personas):
    client.force_login(personas.rector_a)
    old = personas.a.venue.name
    assert client.post(_urls(personas)["update"][1], VALID).status_code == 302
    entry = AuditEntry.objects.get(action="venue.updated")
    assert entry.changes["name"] == [old, "Kulturhuset"]


def test_another_municipalitys_place_is_not_found_through_my_unit(client, personas):
    other = Venue.objects.create(municipality=personas.b.kulturskole.municipality, name="Sola hus")
    client.force_login(personas.rector_a)
    url = reverse("catalogue:venue_update", args=[personas.a.kulturskole.pk, other.pk])
    assert client.post(url, VALID).status_code == 404
    other.refresh_from_db()
    assert other.name == "Sola hus"


def test_places_pages_refuse_other_methods(client, personas):
    client.force_login(personas.rector_a)
    assert client.post(_urls(personas)["list"][1]).status_code == 405
    assert client.delete(_urls(personas)["create"][1]).status_code == 405
