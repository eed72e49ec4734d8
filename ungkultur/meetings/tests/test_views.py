import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.meetings.models import ActionItem, AgendaItem, Event, Registration
from ungkultur.meetings.tests.factories import make_event
from ungkultur.participation.models import Notification, Proposal

pytestmark = pytest.mark.django_db
RS = Registration.Status

LOCAL_ORGANISERS = ["admin", "coordinator", "leader_a"]
NOT_ORGANISERS_A = ["teacher_a", "youth_a", "youth_member_a"]


def _login(client, personas, who):
    user = getattr(personas, who)
    client.force_login(user)
    return user


def _future(days, hour=18):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _create_data(**overrides):
    return {
        "kind": "project_group_meeting",
        "title": "Prosjektgruppemøte mars",
        "starts_at": _future(10),
        "ends_at": _future(10, 20),
        "place": "Kulturhuset",
        "online_url": "",
        "description": "",
        "capacity": "",
        "registration_deadline": "",
        **overrides,
    }


# --- Create -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", LOCAL_ORGANISERS)
def test_organisers_create_a_municipality_meeting(client, personas, who):
    user = _login(client, personas, who)
    response = client.post(reverse("meetings:event_create", args=["4203"]), _create_data())
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:event_detail", args=[event.pk])
    assert event.municipality == personas.arendal
    assert event.place == "Kulturhuset"
    assert list(event.organisers.all()) == [user]
    assert AuditEntry.objects.filter(action="meetings.event_create", actor=user).exists()


@pytest.mark.parametrize("who", NOT_ORGANISERS_A)
def test_others_of_the_municipality_may_not_create(client, personas, who):
    _login(client, personas, who)
    response = client.post(reverse("meetings:event_create", args=["4203"]), _create_data())
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_other_municipality_leader_gets_404(client, personas):
    _login(client, personas, "leader_b")
    response = client.get(reverse("meetings:event_create", args=["4203"]))
    assert response.status_code == 404


def test_create_rejects_end_before_start_with_message(client, personas):
    _login(client, personas, "leader_a")
    response = client.post(
        reverse("meetings:event_create", args=["4203"]),
        _create_data(ends_at=_future(9)),
    )
    assert response.status_code == 400
    assert "Slutt må være etter start." in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize("who,status", [("coordinator", 302), ("admin", 302), ("leader_a", 403)])
def test_national_events_are_for_national_roles(client, personas, who, status):
    _login(client, personas, who)
    response = client.post(
        reverse("meetings:event_create_national"),
        _create_data(kind="youth_gathering", title="Nasjonal ungdomssamling"),
    )
    assert response.status_code == status
    assert Event.objects.filter(municipality__isnull=True).count() == (status == 302)


def test_create_needs_login(client, personas):
    response = client.get(reverse("meetings:event_create", args=["4203"]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- Lists --------------------------------------------------------------------------------------


def test_municipality_list_shows_upcoming_and_status(
    client, personas, django_assert_max_num_queries
):
    make_event(personas, title="Neste møte")
    cancelled = make_event(personas, days=3, title="Avlyst møte")
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)
    make_event(personas, days=-5, title="Gammelt møte")
    make_event(personas, municipality="sola", title="Møte i Sola")
    # session, events with counts (anonymous: no roles)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("meetings:municipality_events", args=["4203"]))
    text = response.content.decode()
    assert "Neste møte" in text and "Avlyst møte" in text and "Avlyst" in text
    assert "Gammelt møte" not in text and "Møte i Sola" not in text
    response = client.get(
        reverse("meetings:municipality_events", args=["4203"]), {"period": "past"}
    )
    assert "Gammelt møte" in response.content.decode()


def test_list_rejects_bad_filter(client, personas):
    response = client.get(reverse("meetings:municipality_events", args=["4203"]), {"kind": "fest"})
    assert response.status_code == 400
    assert "gyldig" in response.content.decode()


def test_national_list_has_only_national_events(client, personas):
    make_event(
        personas,
        municipality=None,
        kind=Event.Kind.CONFERENCE,
        title="KK-konferansen",
        actor=personas.coordinator,
    )
    make_event(personas, title="Lokalt")
    text = client.get(reverse("meetings:national_events")).content.decode()
    assert "KK-konferansen" in text and "Lokalt" not in text


def test_list_post_is_405(client, personas):
    assert client.post(reverse("meetings:national_events")).status_code == 405


# --- Detail: public facts, internal parts ------------------------------------------------------


def test_detail_shows_public_facts_but_not_agenda_to_strangers(client, personas):
    event = make_event(personas, place="Kulturhuset", online_url="https://møte.example.org/x")
    AgendaItem.objects.create(event=event, position=1, title="Budsjett", added_at=timezone.now())
    text = client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    assert "Kulturhuset" in text
    assert "Budsjett" not in text and "example.org/x" not in text
    client.force_login(personas.teacher_b)
    assert (
        "Budsjett"
        not in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    )


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "youth_member_a"])
def test_detail_shows_agenda_to_members(client, personas, who):
    event = make_event(personas)
    AgendaItem.objects.create(event=event, position=1, title="Budsjett", added_at=timezone.now())
    _login(client, personas, who)
    assert (
        "Budsjett" in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    )


# --- Organiser actions: 403 / 404 --------------------------------------------------------------


ORGANISER_PAGES = [
    "event_edit",
    "event_move",
    "event_cancel",
    "event_invite",
    "attendance",
    "minutes",
    "registrations",
]


@pytest.mark.parametrize(
    "who,status", [("teacher_a", 403), ("youth_member_a", 403), ("leader_b", 404)]
)
def test_organiser_pages_refuse_others(client, personas, who, status):
    event = make_event(personas)
    _login(client, personas, who)
    for name in ORGANISER_PAGES:
        assert client.get(reverse(f"meetings:{name}", args=[event.pk])).status_code == status, name


def test_organiser_pages_open_to_the_organiser(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    for name in ORGANISER_PAGES:
        assert client.get(reverse(f"meetings:{name}", args=[event.pk])).status_code == 200, name


def test_invite_page_invites_groups(client, personas, django_capture_on_commit_callbacks):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:event_invite", args=[event.pk]),
            {"groups": [personas.a.project_group.pk, personas.a.resource_group.pk]},
        )
    assert response.status_code == 302
    assert event.registrations.filter(status=RS.INVITED).count() == 2
    assert len(mail.outbox) == 2


def test_invite_refuses_another_municipalitys_group(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    response = client.post(
        reverse("meetings:event_invite", args=[event.pk]), {"groups": [personas.b.project_group.pk]}
    )
    assert response.status_code == 400
    assert not event.registrations.exists()


def test_invite_without_groups_is_400(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    response = client.post(reverse("meetings:event_invite", args=[event.pk]), {})
    assert response.status_code == 400
    assert "Velg minst én gruppe." in response.content.decode()


def test_move_through_page(client, personas, django_capture_on_commit_callbacks):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:event_move", args=[event.pk]),
            {"starts_at": _future(20), "ends_at": _future(20, 20), "reason": "Ferie"},
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert timezone.localtime(event.starts_at).date() == timezone.localdate() + datetime.timedelta(
        days=20
    )
    text = client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    assert "Først planlagt" in text and "Flyttet" in text and "Ferie" in text


def test_move_to_the_past_is_400(client, personas):
    event = make_event(personas)
    before = event.starts_at
    _login(client, personas, "leader_a")
    response = client.post(
        reverse("meetings:event_move", args=[event.pk]),
        {"starts_at": _future(-2), "ends_at": _future(-2, 20)},
    )
    assert response.status_code == 400
    assert "Den nye datoen må være fram i tid." in response.content.decode()
    event.refresh_from_db()
    assert event.starts_at == before


def test_cancel_through_page(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    assert (
        client.post(reverse("meetings:event_cancel", args=[event.pk]), {"reason": ""}).status_code
        == 400
    )
    response = client.post(reverse("meetings:event_cancel", args=[event.pk]), {"reason": "Sykdom"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert (
        "Avlyst: Sykdom"
        in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    )


def test_cancel_get_is_allowed_delete_is_405(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    assert client.delete(reverse("meetings:event_cancel", args=[event.pk])).status_code == 405


# --- Registration -------------------------------------------------------------------------------


def test_invitee_registers_with_answers_and_sensitive_ones_stay_with_organisers(client, personas):
    event = make_event(personas)
    question = event.questions.create(text="Allergier", is_sensitive=True, required=True)
    Registration.objects.create(event=event, user=personas.youth_member_a, status=RS.INVITED)
    _login(client, personas, "youth_member_a")
    url = reverse("meetings:register", args=[event.pk])
    assert client.post(url, {f"q{question.pk}": ""}).status_code == 400
    response = client.post(url, {f"q{question.pk}": "Nøtter"})
    assert response.status_code == 302
    assert event.registrations.get(user=personas.youth_member_a).status == RS.REGISTERED
    assert (
        "Nøtter"
        not in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    )
    _login(client, personas, "leader_a")
    assert (
        "Nøtter" in client.get(reverse("meetings:registrations", args=[event.pk])).content.decode()
    )


def test_uninvited_youth_cannot_register(client, personas):
    event = make_event(personas)
    _login(client, personas, "youth_a")
    response = client.post(reverse("meetings:register", args=[event.pk]), {})
    assert response.status_code == 400
    assert "Bare inviterte" in response.content.decode()
    assert not event.registrations.exists()


def test_unregister_moves_next_up(client, personas):
    event = make_event(personas, capacity=1, open_registration=True)
    Registration.objects.create(
        event=event, user=personas.youth_a, status=RS.REGISTERED, registered_at=timezone.now()
    )
    Registration.objects.create(
        event=event, user=personas.youth_member_a, status=RS.WAITING, queued_at=timezone.now()
    )
    _login(client, personas, "youth_a")
    assert client.post(reverse("meetings:unregister", args=[event.pk])).status_code == 302
    assert event.registrations.get(user=personas.youth_member_a).status == RS.REGISTERED
    assert client.get(reverse("meetings:unregister", args=[event.pk])).status_code == 405


# --- Agenda ------------------------------------------------------------------------------------


def _proposal(personas, municipality="arendal"):
    now = timezone.now()
    return Proposal.objects.create(
        municipality=getattr(personas, municipality),
        author=personas.youth_a,
        title="Skatepark ved kulturhuset",
        text="Vi vil ha en skatepark.",
        category="other",
        submitted_at=now,
        answer_due=timezone.localdate(now) + datetime.timedelta(days=30),
    )


def test_resource_group_youth_put_items_on_the_project_group_agenda(client, personas):
    event = make_event(personas)
    _login(client, personas, "youth_member_a")
    response = client.post(
        reverse("meetings:agenda_item_add", args=[event.pk]), {"title": "Mer klubbtid"}
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.title, item.position, item.added_by) == (
        "Mer klubbtid",
        1,
        personas.youth_member_a,
    )


@pytest.mark.parametrize("who,status", [("youth_a", 403), ("teacher_a", 403), ("leader_b", 404)])
def test_others_may_not_add_agenda_items(client, personas, who, status):
    event = make_event(personas)
    _login(client, personas, who)
    response = client.post(reverse("meetings:agenda_item_add", args=[event.pk]), {"title": "X"})
    assert response.status_code == status
    assert not AgendaItem.objects.exists()


def test_youth_member_cannot_add_to_a_theme_meeting(client, personas):
    event = make_event(personas, kind=Event.Kind.THEME_MEETING)
    _login(client, personas, "youth_member_a")
    assert (
        client.post(
            reverse("meetings:agenda_item_add", args=[event.pk]), {"title": "X"}
        ).status_code
        == 403
    )


def test_empty_agenda_item_is_400(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    response = client.post(reverse("meetings:agenda_item_add", args=[event.pk]), {"title": ""})
    assert response.status_code == 400
    assert "Skriv hva saken gjelder" in response.content.decode()


def test_organiser_reorders_and_removes_items(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    for title in ["A", "B", "C"]:
        client.post(reverse("meetings:agenda_item_add", args=[event.pk]), {"title": title})
    c = AgendaItem.objects.get(title="C")
    client.post(reverse("meetings:agenda_item_up", args=[c.pk]))
    assert list(event.agenda_items.values_list("title", flat=True)) == ["A", "C", "B"]
    client.post(reverse("meetings:agenda_item_remove", args=[AgendaItem.objects.get(title="A").pk]))
    assert list(event.agenda_items.values_list("title", "position")) == [("C", 2), ("B", 3)]
    _login(client, personas, "youth_member_a")
    assert client.post(reverse("meetings:agenda_item_up", args=[c.pk])).status_code == 403


def test_put_proposal_on_the_agenda(client, personas):
    event = make_event(personas)
    proposal = _proposal(personas)
    _login(client, personas, "leader_a")
    url = reverse("meetings:proposal_to_agenda", args=[proposal.pk])
    assert "Prosjektgruppemøte" in client.get(url).content.decode()
    response = client.post(url, {"event": event.pk})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.proposal, item.title) == (proposal, "Skatepark ved kulturhuset")
    # On the agenda, the proposal is considered; its author hears it.
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CONSIDERING
    trail = proposal.events.order_by("-pk").first()
    assert "Satt på sakslisten til «Prosjektgruppemøte»" in trail.note
    assert Notification.objects.filter(user=personas.youth_a).exists()
    page = client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    assert "På sakslisten" in page and reverse("meetings:event_detail", args=[event.pk]) in page
    again = client.post(url, {"event": event.pk})
    assert again.status_code == 400
    assert "allerede på sakslisten" in again.content.decode()


def test_proposal_to_agenda_tenancy(client, personas):
    make_event(personas)
    proposal = _proposal(personas)
    _login(client, personas, "leader_b")
    assert client.get(reverse("meetings:proposal_to_agenda", args=[proposal.pk])).status_code == 404
    _login(client, personas, "teacher_a")
    assert client.get(reverse("meetings:proposal_to_agenda", args=[proposal.pk])).status_code == 403


def test_sola_meeting_cannot_take_arendal_proposal(client, personas):
    event = make_event(personas, municipality="sola", actor=personas.leader_b)
    proposal = _proposal(personas)
    _login(client, personas, "leader_b")
    response = client.post(
        reverse("meetings:agenda_item_add", args=[event.pk]), {"proposal": proposal.pk}
    )
    assert response.status_code == 400
    assert not AgendaItem.objects.exists()


# --- Attendance, minutes, actions, Min side ----------------------------------------------------


def test_attendance_and_youth_report(client, personas, django_assert_max_num_queries):
    event = make_event(personas, days=-1)
    Registration.objects.create(event=event, user=personas.youth_member_a, status=RS.REGISTERED)
    make_event(personas, days=-2, title="Uten ungdom")
    _login(client, personas, "leader_a")
    response = client.post(
        reverse("meetings:attendance", args=[event.pk]),
        {"present": [personas.leader_a.pk, personas.youth_member_a.pk]},
    )
    assert response.status_code == 302
    assert set(event.attendances.values_list("user", "is_youth")) == {
        (personas.leader_a.pk, False),
        (personas.youth_member_a.pk, True),
    }
    url = reverse("meetings:youth_attendance", args=["4203"])
    # session, user, roles (3), meetings, attendances, members
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(10):
        text = client.get(url).content.decode()
    assert "1 av 2 møter hadde ungdom til stede (50 %)" in text
    assert personas.youth_member_a.full_name in text


@pytest.mark.parametrize(
    "who,status", [("teacher_a", 403), ("youth_member_a", 403), ("leader_b", 404)]
)
def test_youth_report_refuses_others(client, personas, who, status):
    _login(client, personas, who)
    assert client.get(reverse("meetings:youth_attendance", args=["4203"])).status_code == status


def test_attendance_of_a_stranger_is_400(client, personas):
    event = make_event(personas, days=-1)
    _login(client, personas, "leader_a")
    response = client.post(
        reverse("meetings:attendance", args=[event.pk]), {"present": [personas.youth_b.pk]}
    )
    assert response.status_code == 400
    assert not event.attendances.exists()


def test_minutes_decision_and_action_reach_members_and_min_side(
    client, personas, django_capture_on_commit_callbacks
):
    event = make_event(personas, days=-1)
    Registration.objects.create(event=event, user=personas.youth_member_a, status=RS.REGISTERED)
    _login(client, personas, "leader_a")
    client.post(reverse("meetings:minutes_save", args=[event.pk]), {"summary": "Godt møte."})
    client.post(
        reverse("meetings:decision_add", args=[event.pk]), {"text": "Vi lager en festival."}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:action_item_add", args=[event.pk]),
            {"what": "Booke scene", "owner": personas.youth_member_a.pk, "due": "2027-02-01"},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [personas.youth_member_a.email]
    _login(client, personas, "youth_member_a")
    detail = client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    assert "Godt møte." in detail and "Vi lager en festival." in detail and "Booke scene" in detail
    mypage = client.get(reverse("mypage:index")).content.decode()
    assert "Booke scene" in mypage
    item = ActionItem.objects.get()
    response = client.post(
        reverse("meetings:action_item_status", args=[item.pk]), {"status": "done", "next": "mypage"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert "Booke scene" not in client.get(reverse("mypage:index")).content.decode()


def test_action_without_owner_is_400(client, personas):
    event = make_event(personas, days=-1)
    _login(client, personas, "leader_a")
    response = client.post(
        reverse("meetings:action_item_add", args=[event.pk]), {"what": "X", "due": "2027-01-01"}
    )
    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def test_action_status_by_stranger(client, personas):
    event = make_event(personas, days=-1)
    item = ActionItem.objects.create(
        event=event,
        owner=personas.leader_a,
        what="X",
        due=datetime.date(2027, 1, 1),
        created_at=timezone.now(),
    )
    _login(client, personas, "teacher_a")
    assert (
        client.post(
            reverse("meetings:action_item_status", args=[item.pk]), {"status": "done"}
        ).status_code
        == 403
    )
    _login(client, personas, "leader_a")
    assert (
        client.post(
            reverse("meetings:action_item_status", args=[item.pk]), {"status": "x"}
        ).status_code
        == 400
    )
    item.refresh_from_db()
    assert item.status == "open"


def test_min_side_lists_invitations(client, personas):
    event = make_event(personas, title="Ressursgruppemøte i desember")
    Registration.objects.create(event=event, user=personas.youth_member_a, status=RS.INVITED)
    _login(client, personas, "youth_member_a")
    text = client.get(reverse("mypage:index")).content.decode()
    assert "Ressursgruppemøte i desember" in text and "invitert" in text


def test_organiser_drops_an_action_from_the_minutes_page(client, personas):
    event = make_event(personas, days=-1)
    item = ActionItem.objects.create(
        event=event,
        owner=personas.youth_member_a,
        what="Plakat",
        due=datetime.date(2027, 1, 1),
        created_at=timezone.now(),
    )
    _login(client, personas, "leader_a")
    assert (
        f'id="status-{item.pk}"'
        in client.get(reverse("meetings:minutes", args=[event.pk])).content.decode()
    )
    response = client.post(
        reverse("meetings:action_item_status", args=[item.pk]),
        {"status": "dropped", "next": "minutes"},
    )
    assert response["Location"] == reverse("meetings:minutes", args=[event.pk])
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DROPPED
    assert AuditEntry.objects.filter(action="meetings.action_item_set_status").exists()


def test_detail_page_query_count_for_a_member(client, personas, django_assert_max_num_queries):
    event = make_event(personas, days=-1)
    for i in range(5):
        AgendaItem.objects.create(
            event=event, position=i + 1, title=f"Sak {i}", added_at=timezone.now()
        )
        ActionItem.objects.create(
            event=event,
            owner=personas.leader_a,
            what=f"Gjøre {i}",
            due=datetime.date(2027, 1, 1),
            created_at=timezone.now(),
        )
    _login(client, personas, "youth_member_a")
    # event, session, user, roles (3); the rules: organiser, registration, attendance,
    # invitation (view_internal), organiser (organise); counts, my registration, history,
    # invitations, agenda with its decisions (2), minutes, decisions, actions, attendance;
    # organiser (add_agenda_item), open proposals; the competence orders and measures it
    # belongs to. Five more items or actions change nothing.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(26):
        response = client.get(reverse("meetings:event_detail", args=[event.pk]))
    assert response.content.decode().count("Gjøre ") == 5


def test_national_invite_offers_every_kk_municipalitys_resource_group(
    client, personas, django_capture_on_commit_callbacks
):
    event = make_event(
        personas, municipality=None, kind=Event.Kind.YOUTH_GATHERING, actor=personas.coordinator
    )
    _login(client, personas, "coordinator")
    page = client.get(reverse("meetings:event_invite", args=[event.pk])).content.decode()
    assert "Ressursgruppe ungdom Sola" in page and "Styringsgruppen" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("meetings:event_invite", args=[event.pk]),
            {"groups": [personas.a.resource_group.pk, personas.b.resource_group.pk]},
        )
    assert set(event.registrations.values_list("user__first_name", flat=True)) == {
        "RessursA",
        "RessursB",
    }


def test_anonymous_is_asked_to_log_in_for_open_registration(client, personas):
    event = make_event(
        personas,
        municipality=None,
        kind=Event.Kind.WEBINAR,
        open_registration=True,
        actor=personas.admin,
    )
    text = client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    assert "Logg inn for å melde deg på" in text


def test_unregister_after_start_is_400_and_changes_nothing(client, personas):
    event = make_event(personas, days=-1)
    Registration.objects.create(event=event, user=personas.youth_a, status=RS.REGISTERED)
    _login(client, personas, "youth_a")
    response = client.post(reverse("meetings:unregister", args=[event.pk]))
    assert response.status_code == 400
    assert "Arrangementet har startet." in response.content.decode()
    assert event.registrations.get().status == RS.REGISTERED


def test_organiser_adds_an_adult_co_organiser_who_then_organises(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    url = reverse("meetings:organiser_add", args=[event.pk])
    youth = client.post(url, {"email": personas.youth_member_a.email})
    assert youth.status_code == 400
    assert "Medarrangører må være voksne." in youth.content.decode()
    unknown = client.post(url, {"email": "ingen@example.org"})
    assert unknown.status_code == 400
    assert "Fant ingen bruker" in unknown.content.decode()
    assert client.post(url, {"email": personas.teacher_a.email.upper()}).status_code == 302
    assert set(event.organisers.all()) == {personas.leader_a, personas.teacher_a}
    assert AuditEntry.objects.filter(action="meetings.event_organiser_add").count() == 1
    _login(client, personas, "teacher_a")
    assert client.get(reverse("meetings:event_edit", args=[event.pk])).status_code == 200
    _login(client, personas, "leader_b")
    assert client.post(url, {"email": personas.teacher_b.email}).status_code == 404


def test_question_add_through_the_page(client, personas):
    event = make_event(personas)
    _login(client, personas, "leader_a")
    url = reverse("meetings:question_add", args=[event.pk])
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400
    assert not event.questions.exists()
    response = client.post(url, {"text": "Allergier", "is_sensitive": "on"})
    assert response.status_code == 302
    question = event.questions.get()
    assert (question.text, question.is_sensitive, question.required) == ("Allergier", True, False)
    _login(client, personas, "teacher_a")
    assert client.post(url, {"text": "X"}).status_code == 403


def test_calendar_feed_has_public_facts_and_cancellations(client, personas):
    make_event(personas, title="Prosjektgruppemøte jul", place="Rådhuset")
    cancelled = make_event(personas, days=2, title="Avlyst temamøte")
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED, cancel_reason="Syk")
    make_event(personas, municipality="sola", actor=personas.leader_b, title="Sola-møte")
    response = client.get(reverse("meetings:municipality_feed", args=["4203"]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "SUMMARY:Prosjektgruppemøte jul" in text and "LOCATION:Rådhuset" in text
    assert "STATUS:CANCELLED" in text and "Sola-møte" not in text
    assert client.post(reverse("meetings:national_feed")).status_code == 405


def test_edit_details_moves_waiting_people_up_when_places_are_added(client, personas):
    event = make_event(personas, capacity=1, open_registration=True)
    Registration.objects.create(event=event, user=personas.youth_a, status=RS.REGISTERED)
    Registration.objects.create(
        event=event, user=personas.youth_member_a, status=RS.WAITING, queued_at=timezone.now()
    )
    _login(client, personas, "leader_a")
    url = reverse("meetings:event_edit", args=[event.pk])
    data = {"title": "Nytt navn", "place": "Biblioteket", "capacity": "2"}
    assert client.post(url, {**data, "capacity": "0"}).status_code == 400
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.place, event.capacity) == ("Nytt navn", "Biblioteket", 2)
    assert event.open_registration is False
    assert event.registrations.get(user=personas.youth_member_a).status == RS.REGISTERED
    assert AuditEntry.objects.filter(action="meetings.event_update").exists()
