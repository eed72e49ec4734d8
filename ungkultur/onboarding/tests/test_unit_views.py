import datetime

import pytest
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import Unit
from ungkultur.organisations.services import unit_create

pytestmark = pytest.mark.django_db

NEW_CLUB = {
    "kind": Unit.Kind.YOUTH_CLUB,
    "name": "Klubb Nord",
    "organisation": "",
    "description": "Åpent tirsdag og torsdag.",
    "website": "https://klubbnord.example.org",
    "email": "klubbnord@example.org",
    "contact_name": "Kari Klubb",
    "phone": "400 00 000",
}


def units_of(municipality):
    return sorted(Unit.objects.filter(municipality=municipality).values_list("name", flat=True))


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader_a", "admin"])
def test_project_leader_and_national_admin_create_a_unit(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(
        reverse("onboarding:unit_create", args=["4203"]),
        {**NEW_CLUB, "organisation": personas.nkr.pk},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(municipality=personas.arendal, name="Klubb Nord")
    assert (unit.kind, unit.organisation, unit.contact_name, unit.phone) == (
        Unit.Kind.YOUTH_CLUB,
        personas.nkr,
        "Kari Klubb",
        "400 00 000",
    )
    assert unit.website == "https://klubbnord.example.org"
    entry = AuditEntry.objects.get(action="unit.created", object_id=str(unit.pk))
    assert entry.actor == getattr(personas, who)
    assert entry.changes["name"] == "Klubb Nord"


@pytest.mark.parametrize("kind", Unit.Kind.values)
def test_every_kind_of_unit_can_be_created(client, personas, kind):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("onboarding:unit_create", args=["4203"]), {**NEW_CLUB, "kind": kind}
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="Klubb Nord").kind == kind


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rector_a", 403),
        ("teacher_a", 403),
        ("youth_a", 403),
        ("coordinator", 403),
        # A researcher belongs to no municipality: its objects are not theirs to know of.
        ("researcher", 404),
    ],
)
def test_roles_that_may_not_set_up_units_are_refused(client, personas, who, status):
    client.force_login(getattr(personas, who))
    before = units_of(personas.arendal)
    assert client.get(reverse("onboarding:unit_list", args=["4203"])).status_code == status
    response = client.post(reverse("onboarding:unit_create", args=["4203"]), NEW_CLUB)
    assert response.status_code == status
    response = client.post(reverse("onboarding:unit_update", args=[personas.a.club.pk]), NEW_CLUB)
    assert response.status_code == status
    response = client.post(
        reverse("onboarding:unit_close", args=[personas.a.club.pk]), {"closed_on": "2026-01-01"}
    )
    assert response.status_code == status
    assert units_of(personas.arendal) == before
    assert not Unit.objects.filter(closed_on__isnull=False).exists()


def test_another_municipalitys_project_leader_gets_404(client, personas):
    client.force_login(personas.leader_b)
    assert client.get(reverse("onboarding:unit_list", args=["4203"])).status_code == 404
    response = client.post(reverse("onboarding:unit_create", args=["4203"]), NEW_CLUB)
    assert response.status_code == 404
    response = client.post(reverse("onboarding:unit_update", args=[personas.a.club.pk]), NEW_CLUB)
    assert response.status_code == 404
    response = client.post(
        reverse("onboarding:unit_close", args=[personas.a.club.pk]), {"closed_on": "2026-01-01"}
    )
    assert response.status_code == 404
    assert not Unit.objects.filter(name="Klubb Nord").exists()
    personas.a.club.refresh_from_db()
    assert personas.a.club.closed_on is None


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(reverse("onboarding:unit_list", args=["4203"]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_unknown_municipality_is_404(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("onboarding:unit_list", args=["9999"])).status_code == 404


def test_wrong_method_is_405(client, personas):
    client.force_login(personas.leader_a)
    assert client.put(reverse("onboarding:unit_list", args=["4203"])).status_code == 405
    assert (
        client.get(reverse("onboarding:unit_reopen", args=[personas.a.club.pk])).status_code == 405
    )


# --- Bad input --------------------------------------------------------------------------------


def test_a_duplicate_name_is_refused_with_a_message_and_nothing_changes(client, personas):
    client.force_login(personas.leader_a)
    before = units_of(personas.arendal)
    count = AuditEntry.objects.count()
    # The name differs from "Klubben Arendal" only in case: the same unit to a reader.
    response = client.post(
        reverse("onboarding:unit_create", args=["4203"]), {**NEW_CLUB, "name": "klubben arendal"}
    )
    assert response.status_code == 400
    assert "Kommunen har allerede en enhet med dette navnet." in response.text
    assert units_of(personas.arendal) == before
    assert AuditEntry.objects.count() == count


def test_a_duplicate_differing_in_norwegian_letters_case_is_refused(client, personas):
    unit_create(
        actor=personas.admin,
        municipality=personas.arendal,
        now=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        kind=Unit.Kind.VOLUNTEER,
        name="Ørnens Æresgarde",
    )
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("onboarding:unit_create", args=["4203"]), {**NEW_CLUB, "name": "ØRNENS ÆRESGARDE"}
    )
    assert response.status_code == 400
    assert "Kommunen har allerede en enhet med dette navnet." in response.text
    assert Unit.objects.filter(name__startswith="Ø").count() == 1


def test_renaming_to_another_units_name_is_refused(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("onboarding:unit_update", args=[personas.a.club.pk]),
        {**NEW_CLUB, "name": personas.a.library.name.upper()},
    )
    assert response.status_code == 400
    assert "Kommunen har allerede en enhet med dette navnet." in response.text
    personas.a.club.refresh_from_db()
    assert personas.a.club.name == "Klubben Arendal"


def test_the_same_name_in_another_municipality_is_fine(client, personas):
    client.force_login(personas.leader_b)
    response = client.post(
        reverse("onboarding:unit_create", args=["1124"]), {**NEW_CLUB, "name": "Klubben Arendal"}
    )
    assert response.status_code == 302
    assert Unit.objects.filter(name="Klubben Arendal").count() == 2


def test_the_database_refuses_a_duplicate_too(personas):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(municipality=personas.arendal, kind="other", name="KLUBBEN ARENDAL")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Feltet er påkrevet."),
        ("kind", "school", "Velg et gyldig valg."),
        ("website", "ikke en adresse", "Oppgi en gyldig nettadresse."),
        ("email", "kari@", "Oppgi en gyldig e-postadresse"),
        ("phone", "12", "Skriv et telefonnummer med 8 sifre"),
        ("organisation", "999999", "Velg et gyldig valg."),
    ],
)
def test_bad_input_is_shown_again_and_changes_nothing(client, personas, field, value, message):
    client.force_login(personas.leader_a)
    before = units_of(personas.arendal)
    response = client.post(
        reverse("onboarding:unit_create", args=["4203"]), {**NEW_CLUB, field: value}
    )
    assert response.status_code == 400
    assert message in response.text
    assert units_of(personas.arendal) == before


# --- Editing, closing, reopening ----------------------------------------------------------------


def test_editing_a_unit_saves_and_audits_what_changed(client, personas):
    client.force_login(personas.leader_a)
    club = personas.a.club
    page = client.get(reverse("onboarding:unit_update", args=[club.pk]))
    assert 'value="Klubben Arendal"' in page.text
    response = client.post(
        reverse("onboarding:unit_update", args=[club.pk]),
        {**NEW_CLUB, "name": "Klubben Arendal", "contact_name": "Ola Klubb"},
    )
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.contact_name == "Ola Klubb"
    entry = AuditEntry.objects.get(action="unit.updated", object_id=str(club.pk))
    assert entry.changes["contact_name"] == ["", "Ola Klubb"]
    assert "name" not in entry.changes


def test_closing_a_unit_keeps_it_but_takes_it_off_the_public_page(client, personas, now):
    client.force_login(personas.leader_a)
    club = personas.a.club
    response = client.post(
        reverse("onboarding:unit_close", args=[club.pk]), {"closed_on": "2026-09-01"}
    )
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.closed_on == datetime.date(2026, 9, 1)
    assert AuditEntry.objects.filter(action="unit.closed", object_id=str(club.pk)).exists()
    listing = client.get(reverse("onboarding:unit_list", args=["4203"]))
    assert "«Klubben Arendal» er lagt ned." in listing.text
    assert 'id="closed-heading"' in listing.text
    public = client.get(reverse("organisations:municipality_detail", args=["4203"]))
    assert "Klubben Arendal" not in public.text
    # Closing twice says when it was closed and changes nothing.
    again = client.post(
        reverse("onboarding:unit_close", args=[club.pk]), {"closed_on": "2026-10-01"}
    )
    assert again.status_code == 400
    assert "Enheten ble lagt ned 1. september 2026." in again.text
    club.refresh_from_db()
    assert club.closed_on == datetime.date(2026, 9, 1)


def test_a_unit_closing_later_is_still_listed_until_then(client, personas, now):
    client.force_login(personas.leader_a)
    client.post(
        reverse("onboarding:unit_close", args=[personas.a.club.pk]), {"closed_on": "2026-12-01"}
    )
    public = client.get(reverse("organisations:municipality_detail", args=["4203"]))
    assert "Klubben Arendal" in public.text


def test_closing_needs_a_date(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(reverse("onboarding:unit_close", args=[personas.a.club.pk]), {})
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.text
    personas.a.club.refresh_from_db()
    assert personas.a.club.closed_on is None


def test_reopening_a_closed_unit(client, personas):
    client.force_login(personas.admin)
    club = personas.a.club
    Unit.objects.filter(pk=club.pk).update(closed_on=datetime.date(2025, 1, 1))
    response = client.post(reverse("onboarding:unit_reopen", args=[club.pk]))
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.closed_on is None
    assert AuditEntry.objects.filter(action="unit.reopened", object_id=str(club.pk)).exists()


def test_the_unit_list_shows_each_unit_with_its_contact(
    client, personas, django_assert_max_num_queries
):
    unit_create(
        actor=personas.admin,
        municipality=personas.arendal,
        now=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        kind=Unit.Kind.VOLUNTEER,
        name="Korpset",
        contact_name="Per Korps",
        email="korps@example.org",
    )
    client.force_login(personas.leader_a)
    # session, user, roles (3), municipality, units with organisations, messages
    with django_assert_max_num_queries(10):
        response = client.get(reverse("onboarding:unit_list", args=["4203"]))
    assert "Korpset" in response.text
    assert "Per Korps" in response.text
    assert "mailto:korps@example.org" in response.text
    assert "Arendal kulturskole" in response.text
    assert "Sola kulturskole" not in response.text


def test_the_close_page_warns_of_published_offers_that_stay_in_the_catalogue(client, personas):
    client.force_login(personas.leader_a)
    page = client.get(reverse("onboarding:unit_close", args=[personas.a.club.pk]))
    assert "Enheten har 1 publisert tilbud." in page.text
    assert reverse("catalogue:unit_offers", args=[personas.a.club.pk]) in page.text
    page = client.get(reverse("onboarding:unit_close", args=[personas.a.ukm.pk]))
    assert 'id="published-offers"' not in page.text


def test_the_model_says_the_same_where_it_is_validated_as_in_the_admin(personas):
    from django.core.exceptions import ValidationError

    duplicate = Unit(municipality=personas.arendal, kind=Unit.Kind.OTHER, name="KLUBBEN arendal")
    with pytest.raises(ValidationError) as raised:
        duplicate.full_clean()
    assert "Kommunen har allerede en enhet med dette navnet." in raised.value.messages
