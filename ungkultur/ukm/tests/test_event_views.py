import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.ukm.models import Innslag, UkmEvent
from ungkultur.ukm.services import innslag_create

from .conftest import DAY, person

pytestmark = pytest.mark.django_db

MAY = ["admin", "leader_a", "ukm_contact_a"]
MAY_NOT = ["teacher_a", "club_worker_a", "youth_a", "youth_member_a", "coordinator"]
ELSEWHERE = ["ukm_contact_b", "leader_b", "youth_b", "researcher"]


def who_is(personas, who):
    for role in ("ukm_contact", "club_worker"):
        if who.startswith(role):
            return getattr(getattr(personas, who[-1]), role)
    return getattr(personas, who)


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def at(days, hour):
    """Oslo time on a day counted from today, as the form takes it. Whole hours on whole days:
    a time counted from now falls, on the night summer time ends, in the hour that comes twice
    (02:00-03:00), which the form refuses as ambiguous."""
    return f"{timezone.localdate() + datetime.timedelta(days=days)}T{hour:02}:00"


def event_form(personas, **fields):
    data = {
        "name": "UKM Arendal",
        "description": "Scene, utstilling og mat.",
        "starts_at": at(60, 18),
        "venue": str(personas.a.venue.pk),
        "signup_opens": at(0, 0),  # open since midnight
        "signup_closes": at(30, 12),
    }
    return {**data, **fields}


def add_entry(personas, event, *, type="music", name="Bandet", contact=None, **fields):
    year = timezone.localtime(event.starts_at).year
    return innslag_create(
        actor=contact or personas.youth_a,
        event=event,
        type=type,
        name=name,
        persons=fields.pop("persons", [person("Ola", year - 16, role="trommer")]),
        titles=fields.pop("titles", [] if type in ("organiser", "media") else [{"title": "Låt"}]),
        now=timezone.now(),
    )


# --- New event ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MAY)
def test_ukm_staff_leader_and_admin_create_an_event(client, personas, who):
    client.force_login(who_is(personas, who))
    url = reverse("ukm:event_new", args=[personas.a.ukm.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, event_form(personas))
    event = UkmEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ukm:event_detail", args=[event.pk])
    assert (event.unit, event.venue, event.name) == (
        personas.a.ukm,
        personas.a.venue,
        "UKM Arendal",
    )
    assert local(event.signup_opens) == at(0, 0)
    assert AuditEntry.objects.get(action="ukm_event.created").actor == who_is(personas, who)


@pytest.mark.parametrize("who", MAY_NOT)
def test_others_in_the_municipality_may_not_create(client, personas, who):
    client.force_login(who_is(personas, who))
    url = reverse("ukm:event_new", args=[personas.a.ukm.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, event_form(personas)).status_code == 403
    assert not UkmEvent.objects.exists()


@pytest.mark.parametrize("who", ELSEWHERE)
def test_another_municipality_gets_404(client, personas, who):
    client.force_login(who_is(personas, who))
    url = reverse("ukm:event_new", args=[personas.a.ukm.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, event_form(personas)).status_code == 404


def test_a_unit_that_is_not_ukm_is_404(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("ukm:event_new", args=[personas.a.club.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(reverse("ukm:event_new", args=[personas.a.ukm.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_venues_are_only_the_municipalitys(client, personas):
    client.force_login(personas.a.ukm_contact)
    url = reverse("ukm:event_new", args=[personas.a.ukm.pk])
    page = client.get(url)
    assert personas.a.venue.name in page.text
    assert personas.b.venue.name not in page.text
    response = client.post(url, event_form(personas, venue=str(personas.b.venue.pk)))
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text
    assert not UkmEvent.objects.exists()


def test_signup_closing_before_it_opens_is_400_and_keeps_the_input(client, personas):
    client.force_login(personas.a.ukm_contact)
    response = client.post(
        reverse("ukm:event_new", args=[personas.a.ukm.pk]),
        event_form(personas, signup_closes=at(-1, 12)),
    )
    assert response.status_code == 400
    assert "Påmeldingen må stenge etter at den åpner." in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="UKM Arendal"' in response.text
    assert not UkmEvent.objects.exists()


def test_a_bad_date_is_400(client, personas):
    client.force_login(personas.a.ukm_contact)
    response = client.post(
        reverse("ukm:event_new", args=[personas.a.ukm.pk]), event_form(personas, starts_at="snart")
    )
    assert response.status_code == 400
    assert "Starter:" in response.text


def test_new_event_answers_405_to_put(client, personas):
    client.force_login(personas.a.ukm_contact)
    assert client.put(reverse("ukm:event_new", args=[personas.a.ukm.pk])).status_code == 405


# --- Edit event ---------------------------------------------------------------------------------


def test_edit_event_shows_and_saves_with_audit(client, personas, open_event):
    client.force_login(personas.a.ukm_contact)
    url = reverse("ukm:event_edit", args=[open_event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{local(open_event.signup_closes)}"' in page.text
    response = client.post(url, event_form(personas, name="UKM Arendal 2027", venue=""))
    assert response.status_code == 302
    open_event.refresh_from_db()
    assert (open_event.name, open_event.venue) == ("UKM Arendal 2027", None)
    assert AuditEntry.objects.filter(action="ukm_event.updated").count() == 1


@pytest.mark.parametrize("who,status", [("youth_a", 403), ("teacher_a", 403), ("leader_b", 404)])
def test_edit_event_refuses_others(client, personas, open_event, who, status):
    client.force_login(who_is(personas, who))
    url = reverse("ukm:event_edit", args=[open_event.pk])
    assert client.get(url).status_code == status
    assert client.post(url, event_form(personas, name="Hacket")).status_code == status
    open_event.refresh_from_db()
    assert open_event.name == "UKM Arendal"


def test_edit_event_bad_input_is_400(client, personas, open_event):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("ukm:event_edit", args=[open_event.pk]), event_form(personas, name="")
    )
    assert response.status_code == 400
    assert "Navn på arrangementet: Feltet er påkrevet." in response.text


# --- Public page --------------------------------------------------------------------------------


def test_public_page_counts_entries_by_type_without_names(client, personas, open_event):
    for n in range(6):
        add_entry(
            personas, open_event, type="music", name="Hemmelig band" if n == 0 else f"Band {n}"
        )
    for n in range(5):
        add_entry(personas, open_event, type="media", name=f"Fotogjengen {n}")
    response = client.get(reverse("ukm:event_detail", args=[open_event.pk]))
    assert response.status_code == 200
    text = response.text
    assert "11 innslag er meldt på." in text
    assert "6 viser frem, 5 jobber med arrangementet." in text
    assert "<td>Musikk</td><td>6</td>" in text
    assert "<td>Media</td><td>5</td>" in text
    assert "Hemmelig band" not in text
    assert "Ola" not in text
    assert "Påmeldingen er åpen til" in text
    assert "Logg inn for å melde på" in text
    assert reverse("ukm:event_manage", args=[open_event.pk]) not in text


def test_public_page_hides_counts_below_five(client, personas, open_event):
    for n in range(6):
        add_entry(personas, open_event, type="music", name=f"Band {n}")
    add_entry(personas, open_event, type="dance", name="Dansegruppa")
    for n in range(7):
        add_entry(personas, open_event, type="film", name=f"Film {n}")
    text = client.get(reverse("ukm:event_detail", args=[open_event.pk])).text
    # Dance (1) is hidden; with the total shown it could be worked out, so the smaller of the
    # others (music, 6) is hidden too, and said to be "skjult": it is not under 5.
    assert "14 innslag er meldt på." in text
    assert "<td>Dans</td><td>færre enn 5</td>" in text
    assert "<td>Musikk</td><td>skjult</td>" in text
    assert "<td>Film</td><td>7</td>" in text


def test_public_page_with_fewer_than_five_entries_shows_no_count(client, personas, open_event):
    add_entry(personas, open_event, type="music", name="Band")
    add_entry(personas, open_event, type="media", name="Foto")
    text = client.get(reverse("ukm:event_detail", args=[open_event.pk])).text
    assert "Færre enn 5 innslag er meldt på." in text
    assert "2 innslag" not in text
    assert "viser frem" not in text


def test_public_page_of_a_closed_event(client, personas, closed_event):
    response = client.get(reverse("ukm:event_detail", args=[closed_event.pk]))
    assert "Påmeldingen er stengt." in response.text
    assert reverse("ukm:innslag_new", args=[closed_event.pk]) not in response.text


def test_public_page_before_signup_opens(client, personas, future_event):
    response = client.get(reverse("ukm:event_detail", args=[future_event.pk]))
    assert "Påmeldingen åpner" in response.text
    assert reverse("ukm:innslag_new", args=[future_event.pk]) not in response.text


def test_youth_sees_own_entries_with_edit_links(client, personas, open_event, youth):
    own = add_entry(personas, open_event, name="Mitt band")
    add_entry(personas, open_event, name="Noen andres", contact=personas.youth_member_a)
    client.force_login(youth)
    response = client.get(reverse("ukm:event_detail", args=[open_event.pk]))
    assert "Dine innslag" in response.text
    assert "Mitt band" in response.text
    assert reverse("ukm:innslag_edit", args=[own.pk]) in response.text
    assert "Noen andres" not in response.text
    assert reverse("ukm:innslag_new", args=[open_event.pk]) in response.text


def test_staff_see_links_to_manage(client, personas, open_event):
    client.force_login(personas.a.ukm_contact)
    response = client.get(reverse("ukm:event_detail", args=[open_event.pk]))
    assert reverse("ukm:event_manage", args=[open_event.pk]) in response.text
    assert reverse("ukm:event_edit", args=[open_event.pk]) in response.text


def test_public_page_query_count(client, personas, open_event, django_assert_max_num_queries):
    for index in range(6):
        add_entry(personas, open_event, name=f"Band {index}")
    # The event with unit, municipality and venue; the counts by type.
    with django_assert_max_num_queries(2):
        client.get(reverse("ukm:event_detail", args=[open_event.pk]))


def test_public_page_answers_405_to_post(client, personas, open_event):
    assert client.post(reverse("ukm:event_detail", args=[open_event.pk])).status_code == 405


def test_unit_page_lists_events_and_staff_get_a_new_button(client, personas, open_event):
    url = reverse("ukm:event_list", args=[personas.a.ukm.pk])
    response = client.get(url)
    assert open_event.name in response.text
    assert reverse("ukm:event_new", args=[personas.a.ukm.pk]) not in response.text
    client.force_login(personas.a.ukm_contact)
    assert reverse("ukm:event_new", args=[personas.a.ukm.pk]) in client.get(url).text
    assert client.get(reverse("ukm:event_list", args=[personas.a.club.pk])).status_code == 404


# --- Entries for staff --------------------------------------------------------------------------


def test_manage_lists_entries_with_persons_and_titles(client, personas, open_event, year):
    add_entry(
        personas,
        open_event,
        name="Kaos",
        persons=[
            person("Ola", year - 16, role="trommer"),
            person("Lise", year - 14, guardian_name="Mor Testesen", guardian_mobile="912 34 567"),
        ],
        titles=[{"title": "Første låt", "duration_seconds": 215, "self_made": True}],
    )
    client.force_login(personas.a.ukm_contact)
    response = client.get(reverse("ukm:event_manage", args=[open_event.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Kaos" in text
    assert "Ola Testesen" in text
    assert "trommer" in text
    assert "Mor Testesen, 91234567" in text
    assert "Første låt (3:35)" in text
    assert personas.youth_a.email in text
    assert "Videresend Kaos til fylkesfestivalen" in text


@pytest.mark.parametrize(
    "who,status",
    [("youth_a", 403), ("teacher_a", 403), ("club_worker_a", 403), ("ukm_contact_b", 404)],
)
def test_manage_refuses_others(client, personas, open_event, who, status):
    add_entry(personas, open_event)
    client.force_login(who_is(personas, who))
    response = client.get(reverse("ukm:event_manage", args=[open_event.pk]))
    assert response.status_code == status
    assert "Ola" not in response.text


def test_manage_query_count_does_not_grow_with_entries(
    client, personas, open_event, django_assert_max_num_queries
):
    for index in range(8):
        add_entry(personas, open_event, name=f"Band {index}")
    client.force_login(personas.a.ukm_contact)
    # The session; the user; the event with unit, municipality and venue; roles_for (national
    # roles, memberships, unit roles); the entries with contact; their persons; their titles;
    # the counts by type.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("ukm:event_manage", args=[open_event.pk]))
    assert response.text.count("til fylkesfestivalen</button>") == 8


def test_manage_answers_405_to_post(client, personas, open_event):
    client.force_login(personas.a.ukm_contact)
    assert client.post(reverse("ukm:event_manage", args=[open_event.pk])).status_code == 405


# --- Forward to the county festival -------------------------------------------------------------


@pytest.mark.parametrize("who", MAY)
def test_staff_forward_and_withdraw_an_entry(client, personas, open_event, who):
    innslag = add_entry(personas, open_event, name="Kaos")
    # Forwarding comes after the local show.
    UkmEvent.objects.filter(pk=open_event.pk).update(starts_at=timezone.now() - DAY)
    client.force_login(who_is(personas, who))
    url = reverse("ukm:innslag_forward", args=[innslag.pk])
    response = client.post(url, {"forwarded": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("ukm:event_manage", args=[open_event.pk])
    innslag.refresh_from_db()
    assert innslag.forwarded_at is not None
    page = client.get(response["Location"])
    assert "Kaos er videresendt til fylkesfestivalen." in page.text
    assert "Angre videresending av Kaos" in page.text
    client.post(url, {"forwarded": "0"})
    innslag.refresh_from_db()
    assert innslag.forwarded_at is None
    assert list(
        AuditEntry.objects.filter(action__startswith="innslag.forward")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["innslag.forwarded", "innslag.forward_withdrawn"]


@pytest.mark.parametrize("who,status", [("youth_a", 403), ("teacher_a", 403), ("leader_b", 404)])
def test_forward_refuses_others(client, personas, open_event, who, status):
    innslag = add_entry(personas, open_event)
    client.force_login(who_is(personas, who))
    response = client.post(reverse("ukm:innslag_forward", args=[innslag.pk]), {"forwarded": "1"})
    assert response.status_code == status
    innslag.refresh_from_db()
    assert innslag.forwarded_at is None
    assert not AuditEntry.objects.filter(action="innslag.forwarded").exists()


@pytest.mark.parametrize("value", ["", "ja", "2"])
def test_forward_with_a_bad_value_is_400(client, personas, open_event, value):
    innslag = add_entry(personas, open_event)
    client.force_login(personas.a.ukm_contact)
    response = client.post(reverse("ukm:innslag_forward", args=[innslag.pk]), {"forwarded": value})
    assert response.status_code == 400
    assert "Vi skjønte ikke hva du ville gjøre" in response.text
    assert Innslag.objects.get().forwarded_at is None


def test_forward_answers_405_to_get(client, personas, open_event):
    innslag = add_entry(personas, open_event)
    client.force_login(personas.a.ukm_contact)
    assert client.get(reverse("ukm:innslag_forward", args=[innslag.pk])).status_code == 405


# --- The catalogue's sign-up banner -------------------------------------------------------------


def test_the_catalogue_shows_a_new_or_changed_event_at_once(
    client, personas, django_capture_on_commit_callbacks
):
    """The catalogue keeps its page a minute; a new UKM event and a change of its sign-up window
    reach it at once, not after the minute (the catalogue's banner was stale)."""
    catalogue = reverse("catalogue:search", args=[personas.arendal.code])
    assert "UKM Nyhet" not in client.get(catalogue).text  # cached without the event
    staff = Client()
    staff.force_login(personas.a.ukm_contact)
    with django_capture_on_commit_callbacks(execute=True):
        created = staff.post(
            reverse("ukm:event_new", args=[personas.a.ukm.pk]),
            event_form(personas, name="UKM Nyhet"),
        )
    assert created.status_code == 302
    assert "UKM Nyhet" in client.get(catalogue).text
    event = UkmEvent.objects.get(name="UKM Nyhet")
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("ukm:event_edit", args=[event.pk]),
            event_form(personas, name="UKM Nyhet", signup_opens=at(1, 0)),  # opens tomorrow
        )
    assert "UKM Nyhet" not in client.get(catalogue).text
