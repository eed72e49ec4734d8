import datetime

import pytest
from django.urls import reverse

from ungkultur.catalogue.models import Offer, Schedule, Session
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

# Noon on a Wednesday in the personas' term (1 August – 18 December 2026).
IN_THE_TERM = datetime.datetime(2026, 10, 14, 10, tzinfo=datetime.UTC)


def _user(personas, who):
    return personas.a.club_worker if who == "club_worker_a" else getattr(personas, who)


def _endpoints(p):
    unit, offer = p.a.kulturskole.pk, p.a.piano.pk
    return {
        "unit_offers": ("get", reverse("catalogue:unit_offers", args=[unit])),
        "offer_create": ("post", reverse("catalogue:offer_create", args=[unit])),
        "offer_update": ("post", reverse("catalogue:offer_update", args=[offer])),
        "offer_publish": ("post", reverse("catalogue:offer_publish", args=[offer])),
        "offer_unpublish": ("post", reverse("catalogue:offer_unpublish", args=[offer])),
        "schedule_create": ("post", reverse("catalogue:schedule_create", args=[offer])),
        "session_create": ("post", reverse("catalogue:session_create", args=[offer])),
    }


ENDPOINTS = [
    "unit_offers",
    "offer_create",
    "offer_update",
    "offer_publish",
    "offer_unpublish",
    "schedule_create",
    "session_create",
]
DENIED = {
    # Their own municipality, but not the unit's staff or its project leader.
    "youth_a": 403,
    "youth_member_a": 403,
    "guardian_a": 403,
    "club_worker_a": 403,
    "coordinator": 403,
    # Another municipality: as if the unit did not exist.
    "teacher_b": 404,
    "leader_b": 404,
    "youth_b": 404,
    "researcher": 404,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who, status", DENIED.items())
def test_who_may_not_run_the_units_offers(client, personas, endpoint, who, status):
    client.force_login(_user(personas, who))
    method, url = _endpoints(personas)[endpoint]
    response = getattr(client, method)(url, {"title": "Endret", "weekday": 1})
    assert response.status_code == status
    personas.a.piano.refresh_from_db()
    assert personas.a.piano.title == "Piano"
    assert personas.a.piano.status == Offer.Status.PUBLISHED
    assert Offer.objects.count() == 6
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS[1:])
def test_a_teacher_does_not_run_the_units_offers(client, personas, endpoint):
    """A teacher is not a rector (docs/privacy.md): the unit's leader runs its offers."""
    client.force_login(personas.teacher_a)
    method, url = _endpoints(personas)[endpoint]
    response = getattr(client, method)(url, {"title": "Endret", "weekday": 1})
    assert response.status_code == 403
    personas.a.piano.refresh_from_db()
    assert (personas.a.piano.title, personas.a.piano.status) == ("Piano", Offer.Status.PUBLISHED)
    assert Offer.objects.count() == 6
    assert not AuditEntry.objects.exists()


def test_a_teacher_sees_the_units_offers_and_reaches_only_the_group_they_teach(client, personas):
    client.force_login(personas.teacher_a)
    response = client.get(reverse("catalogue:unit_offers", args=[personas.a.kulturskole.pk]))
    assert response.status_code == 200
    assert reverse("catalogue:offer_create", args=[personas.a.kulturskole.pk]) not in response.text
    assert reverse("enrolment:import", args=[personas.a.kulturskole.pk]) not in response.text
    assert reverse("catalogue:offer_update", args=[personas.a.piano.pk]) not in response.text
    assert reverse("enrolment:participants", args=[personas.a.piano.pk]) in response.text


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_is_sent_to_login(client, personas, endpoint):
    method, url = _endpoints(personas)[endpoint]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_wrong_method_is_405(client, personas, endpoint):
    client.force_login(personas.rector_a)
    _method, url = _endpoints(personas)[endpoint]
    assert client.delete(url).status_code == 405
    if endpoint in ("offer_publish", "offer_unpublish"):
        assert client.get(url).status_code == 405
    if endpoint == "unit_offers":
        assert client.post(url).status_code == 405


def test_unknown_unit_and_offer_are_404(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("catalogue:unit_offers", args=[999999])).status_code == 404
    assert client.get(reverse("catalogue:offer_update", args=[999999])).status_code == 404


# --- My units ----------------------------------------------------------------------------------


def test_my_units_lists_the_units_a_person_works_in(client, personas):
    client.force_login(personas.rector_a)
    response = client.get(reverse("catalogue:my_units"))
    assert response.status_code == 200
    assert [u.name for u in response.context["units"]] == ["Arendal kulturskole"]
    assert reverse("catalogue:unit_offers", args=[personas.a.kulturskole.pk]) in response.text
    assert "1 tilbud, 1 publisert" in response.text


def test_my_units_lists_every_unit_of_the_project_leaders_municipality(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(reverse("catalogue:my_units"))
    assert [u.name for u in response.context["units"]] == [
        "Arendal kulturskole",
        "Arendal bibliotek",
        "UKM Arendal",
        "Klubben Arendal",
    ]


def test_my_units_is_empty_for_youth(client, personas):
    client.force_login(personas.youth_a)
    response = client.get(reverse("catalogue:my_units"))
    assert response.status_code == 200
    assert "Du er ikke registrert som ansatt i noen enhet" in response.text


def test_my_units_needs_login(client):
    response = client.get(reverse("catalogue:my_units"))
    assert response.status_code == 302


def test_my_units_only_answers_get(client, personas):
    client.force_login(personas.rector_a)
    assert client.post(reverse("catalogue:my_units")).status_code == 405


# --- The unit's offers -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["rector_a", "leader_a", "admin"])
def test_unit_offers_lists_all_statuses_with_coming_sessions(client, catalogue, who):
    Offer.objects.create(
        unit=catalogue.a.kulturskole,
        municipality=catalogue.arendal,
        title="Fiolin",
        category="music",
        age_min=6,
        age_max=12,
        join_mode=Offer.JoinMode.APPLICATION,
        term_start=datetime.date(2027, 1, 4),
    )
    client.force_login(getattr(catalogue, who))
    response = client.get(reverse("catalogue:unit_offers", args=[catalogue.a.kulturskole.pk]))
    assert response.status_code == 200
    rows = [(o.title, o.status, o.upcoming_sessions) for o in response.context["offers"]]
    assert rows == [("Fiolin", "draft", 0), ("Piano", "published", 16)]
    assert "Utkast" in response.text
    assert reverse("catalogue:offer_create", args=[catalogue.a.kulturskole.pk]) in response.text


def test_unit_offers_query_count_does_not_grow(client, catalogue, django_assert_max_num_queries):
    for number in range(20):
        Offer.objects.create(
            unit=catalogue.a.kulturskole,
            municipality=catalogue.arendal,
            title=f"Kurs {number}",
            category="music",
            age_min=6,
            age_max=12,
            join_mode=Offer.JoinMode.DROP_IN,
            term_start=datetime.date(2026, 8, 1),
        )
    client.force_login(catalogue.rector_a)
    # The session and the user; the user's national roles, memberships and unit roles; the unit
    # with its municipality; the offers with their count of coming sessions.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("catalogue:unit_offers", args=[catalogue.a.kulturskole.pk]))
    assert len(response.context["offers"]) == 21


# --- Create and edit ---------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Gitar for nybegynnere",
        "description": "Lær de første grepene.",
        "category": "music",
        "age_min": "10",
        "age_max": "15",
        "venue": "",
        "price": "1200",
        "reduced_price": "600",
        "price_note": "Søskenmoderasjon",
        "join_mode": "application",
        "capacity": "8",
        "subject_area": "music",
        "programme": "breadth",
        "term_start": "2027-01-04",
        "term_end": "2027-06-18",
        "application_deadline": "2026-12-01",
        "how_to_join": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["rector_a", "leader_a", "admin"])
def test_staff_create_a_draft_offer(client, personas, who):
    client.force_login(getattr(personas, who))
    url = reverse("catalogue:offer_create", args=[personas.a.kulturskole.pk])
    response = client.post(url, _form(venue=str(personas.a.venue.pk)))
    offer = Offer.objects.get(title="Gitar for nybegynnere")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:offer_detail", args=[offer.pk])
    assert offer.status == Offer.Status.DRAFT
    assert offer.unit == personas.a.kulturskole
    assert offer.municipality == personas.arendal
    assert offer.venue == personas.a.venue
    assert (offer.price, offer.reduced_price, offer.capacity) == (1200, 600, 8)
    assert offer.application_deadline == datetime.date(2026, 12, 1)
    assert AuditEntry.objects.get(action="offer.created").actor == getattr(personas, who)


def test_create_form_shows_subject_area_only_for_the_kulturskole(client, personas):
    client.force_login(personas.leader_a)
    kulturskole = client.get(reverse("catalogue:offer_create", args=[personas.a.kulturskole.pk]))
    library = client.get(reverse("catalogue:offer_create", args=[personas.a.library.pk]))
    assert kulturskole.status_code == library.status_code == 200
    assert 'name="subject_area"' in kulturskole.text
    assert 'name="programme"' in kulturskole.text
    assert 'name="subject_area"' not in library.text
    assert 'name="title"' in library.text
    # Places of the unit's own municipality only.
    assert "Kulturhuset Arendal" in library.text
    assert "Kulturhuset Sola" not in library.text


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"age_min": "16", "age_max": "12"}, "age_max", "Til-alderen kan ikke være lavere"),
        ({"term_end": "2026-12-01"}, "term_end", "Sluttdatoen må være etter startdatoen"),
        ({"capacity": ""}, "capacity", "Oppgi hvor mange plasser"),
        ({"application_deadline": ""}, "application_deadline", "Oppgi søknadsfristen"),
        ({"title": ""}, "title", "Feltet er påkrevet"),
        ({"term_start": "1. januar"}, "term_start", "Oppgi en gyldig dato"),
    ],
)
def test_create_with_bad_input_is_400_and_keeps_what_was_typed(
    client, personas, overrides, field, message
):
    client.force_login(personas.rector_a)
    url = reverse("catalogue:offer_create", args=[personas.a.kulturskole.pk])
    response = client.post(url, _form(**overrides))
    assert response.status_code == 400
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text
    assert "Noe må rettes før du kan lagre" in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Lær de første grepene." in response.text
    assert not Offer.objects.filter(title="Gitar for nybegynnere").exists()
    assert not AuditEntry.objects.exists()


def test_create_refuses_a_place_of_another_municipality(client, personas):
    client.force_login(personas.rector_a)
    url = reverse("catalogue:offer_create", args=[personas.a.kulturskole.pk])
    response = client.post(url, _form(venue=str(personas.b.venue.pk)))
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text


def test_edit_form_starts_with_the_offers_values(client, personas):
    client.force_login(personas.rector_a)
    response = client.get(reverse("catalogue:offer_update", args=[personas.a.piano.pk]))
    assert response.status_code == 200
    assert 'value="Piano"' in response.text
    assert 'value="2026-08-01"' in response.text
    assert f'<option value="{personas.a.venue.pk}" selected>' in response.text


def test_staff_edit_an_offer(client, personas):
    client.force_login(personas.rector_a)
    piano = personas.a.piano
    data = _form(
        title="Piano for ungdom",
        term_start="2026-08-01",
        term_end="2026-12-18",
        application_deadline="2026-06-01",
        venue=str(personas.a.venue.pk),
    )
    response = client.post(reverse("catalogue:offer_update", args=[piano.pk]), data)
    assert response.status_code == 302
    piano.refresh_from_db()
    assert piano.title == "Piano for ungdom"
    assert piano.status == Offer.Status.PUBLISHED
    changes = AuditEntry.objects.get(action="offer.updated").changes
    assert changes["title"] == ["Piano", "Piano for ungdom"]


def test_edit_with_bad_input_is_400_and_changes_nothing(client, personas):
    client.force_login(personas.rector_a)
    piano = personas.a.piano
    response = client.post(
        reverse("catalogue:offer_update", args=[piano.pk]),
        _form(title="Nytt navn", join_mode="registration", capacity=""),
    )
    assert response.status_code == 400
    assert "Oppgi hvor mange plasser" in response.text
    piano.refresh_from_db()
    assert piano.title == "Piano"


# --- Publish and unpublish ---------------------------------------------------------------------


def test_staff_publish_a_draft(client, personas, time_machine):
    # Within the personas' term: an offer whose term has ended cannot be published.
    time_machine.move_to(IN_THE_TERM)
    Offer.objects.filter(pk=personas.a.piano.pk).update(status=Offer.Status.DRAFT)
    client.force_login(personas.rector_a)
    response = client.post(reverse("catalogue:offer_publish", args=[personas.a.piano.pk]))
    assert response.status_code == 302
    personas.a.piano.refresh_from_db()
    assert personas.a.piano.status == Offer.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="offer.published").count() == 1
    page = client.get(response["Location"])
    assert "«Piano» er publisert og vises i katalogen." in page.text


def test_publishing_a_published_offer_is_400(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(reverse("catalogue:offer_publish", args=[personas.a.piano.pk]))
    assert response.status_code == 400
    assert "Tilbudet er allerede publisert." in response.text
    assert not AuditEntry.objects.exists()


def test_staff_unpublish_an_offer(client, personas, time_machine):
    # Within the personas' term: the catalogue leaves out offers whose term has ended.
    time_machine.move_to(IN_THE_TERM)
    client.force_login(personas.leader_a)
    response = client.post(reverse("catalogue:offer_unpublish", args=[personas.a.piano.pk]))
    assert response.status_code == 302
    personas.a.piano.refresh_from_db()
    assert personas.a.piano.status == Offer.Status.DRAFT
    assert AuditEntry.objects.get(action="offer.unpublished").actor == personas.leader_a
    assert (
        client.get(reverse("catalogue:search", args=["4203"])).context["page"].paginator.count == 2
    )


def test_unpublishing_a_draft_is_400(client, personas):
    Offer.objects.filter(pk=personas.a.piano.pk).update(status=Offer.Status.DRAFT)
    client.force_login(personas.rector_a)
    response = client.post(reverse("catalogue:offer_unpublish", args=[personas.a.piano.pk]))
    assert response.status_code == 400
    assert "Bare et publisert tilbud kan gjøres om til utkast." in response.text


# --- Times -------------------------------------------------------------------------------------


def test_schedule_form_starts_with_the_offers_term(client, personas):
    client.force_login(personas.rector_a)
    response = client.get(reverse("catalogue:schedule_create", args=[personas.a.piano.pk]))
    assert response.status_code == 200
    assert 'value="2026-08-01"' in response.text
    assert 'value="2026-12-18"' in response.text


def test_staff_add_a_weekly_schedule(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(
        reverse("catalogue:schedule_create", args=[personas.a.piano.pk]),
        {
            "weekday": "1",
            "start_time": "17:00",
            "end_time": "17:45",
            "first_date": "2026-10-13",
            "last_date": "2026-11-03",
        },
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(offer=personas.a.piano)
    assert schedule.sessions.count() == 4
    page = client.get(response["Location"])
    assert "Det faste tidspunktet er lagt til, med 4 samlinger." in page.text


def test_schedule_with_bad_input_is_400(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(
        reverse("catalogue:schedule_create", args=[personas.a.piano.pk]),
        {
            "weekday": "1",
            "start_time": "17:00",
            "end_time": "16:00",
            "first_date": "2026-10-13",
            "last_date": "2027-03-01",
        },
    )
    assert response.status_code == 400
    assert "Sluttidspunktet må være etter starttidspunktet." in response.text
    assert "Datoen er etter at tilbudet slutter (18. desember 2026)." in response.text
    assert 'value="2027-03-01"' in response.text
    assert not Session.objects.exists()


def test_schedule_with_unknown_weekday_is_400(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(
        reverse("catalogue:schedule_create", args=[personas.a.piano.pk]), {"weekday": "9"}
    )
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text


def test_staff_add_a_single_session(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(
        reverse("catalogue:session_create", args=[personas.a.piano.pk]),
        {"date": "2026-12-12", "start_time": "14:00", "end_time": "16:00", "venue": ""},
    )
    assert response.status_code == 302
    session = Session.objects.get(offer=personas.a.piano)
    assert session.weekday == 5
    assert session.venue is None
    assert AuditEntry.objects.get(action="session.created").actor == personas.rector_a


def test_single_session_outside_the_term_is_400(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(
        reverse("catalogue:session_create", args=[personas.a.piano.pk]),
        {"date": "2027-01-09", "start_time": "14:00", "end_time": "16:00"},
    )
    assert response.status_code == 400
    assert "Datoen er etter at tilbudet slutter" in response.text
    assert not Session.objects.exists()


def test_single_session_at_a_place_of_another_municipality_is_400(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(
        reverse("catalogue:session_create", args=[personas.a.piano.pk]),
        {
            "date": "2026-12-12",
            "start_time": "14:00",
            "end_time": "16:00",
            "venue": str(personas.b.venue.pk),
        },
    )
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text
