import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, personas):
    personas.admin.is_staff = True
    personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def test_admin_lists_offers_venues_and_sessions(superuser_client, catalogue):
    offers = superuser_client.get(reverse("admin:catalogue_offer_changelist"))
    assert offers.status_code == 200
    assert "Tegneserieverksted" in offers.text
    venues = superuser_client.get(reverse("admin:catalogue_venue_changelist"))
    assert "Kulturhuset Sola" in venues.text
    sessions = superuser_client.get(reverse("admin:catalogue_session_changelist"))
    assert sessions.status_code == 200
    assert "Åpen klubb" in sessions.text


def test_admin_offer_page_shows_schedules_and_sessions_read_only(superuser_client, catalogue):
    response = superuser_client.get(
        reverse("admin:catalogue_offer_change", args=[catalogue.a.piano.pk])
    )
    assert response.status_code == 200
    assert "Faste tidspunkter" in response.text
    assert "Samlinger" in response.text
    # Read-only inlines: no inputs for the sessions' times.
    assert 'name="sessions-0-starts_at' not in response.text
