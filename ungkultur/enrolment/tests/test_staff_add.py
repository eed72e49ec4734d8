"""Staff add a participant by hand (a phone call, a sibling): a youth with an account in the
municipality, or someone new known only by first name, birth year and one address."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment, Participant
from ungkultur.enrolment.services import recipients
from ungkultur.enrolment.tests.conftest import born

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def url(offer, query=""):
    return reverse("enrolment:staff_add", args=[offer.pk]) + (f"?q={query}" if query else "")


def nothing_changed(before_participants):
    assert Participant.objects.count() == before_participants
    assert not Enrolment.objects.filter(signed_up_by__isnull=True).exists()
    assert not AuditEntry.objects.filter(action="enrolment.added_by_staff").exists()
    assert mail.outbox == []


def test_search_finds_youth_of_the_offers_ages_in_the_municipality(client, current, make_youth):
    found = make_youth("Sigrid", birth_year=born(14))
    make_youth("Sigrun", birth_year=born(25))  # too old for the workshop
    make_youth("Sigve", birth_year=born(14), municipality=current.sola)
    client.force_login(current.leader_a)
    response = client.get(url(current.a.workshop, "sig"))
    assert response.status_code == 200
    assert found.full_name in response.text
    assert "Sigrun" not in response.text
    assert "Sigve" not in response.text
    # An address is matched exactly, and never shown.
    response = client.get(url(current.a.workshop, found.email.upper()))
    assert found.full_name in response.text
    assert found.email not in response.text


def test_a_youth_found_gets_a_place_and_an_e_mail(
    client, current, make_youth, django_capture_on_commit_callbacks
):
    youth = make_youth("Sigrid", birth_year=born(14))
    client.force_login(current.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(current.a.workshop, "sig"), {"user": youth.pk, "place": "now"}, follow=True
        )
    assert "Sigrid" in response.text
    assert "har fått plass. Det er sendt beskjed på e-post." in response.text
    enrolment = Enrolment.objects.get(participant__user=youth)
    assert enrolment.status == Status.ACTIVE
    assert enrolment.start == timezone.localdate()
    assert enrolment.signed_up_by is None
    entry = AuditEntry.objects.get(action="enrolment.added_by_staff")
    assert entry.actor == current.leader_a
    assert entry.changes["to"] == "active"
    assert entry.changes["account"] is True
    assert [m.to for m in mail.outbox] == [[youth.email]]
    assert "Du har fått plass på «Tegneserieverksted»" in mail.outbox[0].body


def test_a_child_under_13_is_told_through_the_guardian(
    client, current, django_capture_on_commit_callbacks
):
    child = current.child_a
    client.force_login(current.rector_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(current.a.piano), {"user": child.pk, "place": "now"})
    assert Enrolment.objects.get(participant__user=child).status == Status.ACTIVE
    assert [m.to for m in mail.outbox] == [[current.guardian_a.email]]
    assert f"{child.public_name} har fått plass" in mail.outbox[0].body


def test_someone_new_goes_on_the_waiting_list(client, current, django_capture_on_commit_callbacks):
    client.force_login(current.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(current.a.workshop),
            {
                "first_name": " Ola ",
                "birth_year": born(13),
                "email": "Forelder@Example.org",
                "place": "waiting",
            },
            follow=True,
        )
    assert "Ola står på ventelisten." in response.text
    participant = Participant.objects.get(first_name="Ola")
    assert participant.user is None
    assert participant.birth_year == born(13)
    assert participant.contact_email == "forelder@example.org"
    assert participant.ref_hash == ""
    enrolment = participant.enrolments.get()
    assert enrolment.status == Status.WAITING
    assert [m.to for m in mail.outbox] == [["forelder@example.org"]]
    assert "Ola står på ventelisten" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="enrolment.added_by_staff")
    assert entry.changes["account"] is False
    # Later notices reach the same address.
    assert recipients(enrolment) == ["forelder@example.org"]


def test_someone_new_without_an_address_is_not_mailed(client, current):
    client.force_login(current.leader_a)
    response = client.post(
        url(current.a.workshop),
        {"first_name": "Kari", "birth_year": born(14), "place": "now"},
        follow=True,
    )
    assert "Vi har ingen e-postadresse" in response.text
    assert Enrolment.objects.get(participant__first_name="Kari").status == Status.ACTIVE
    assert mail.outbox == []
    # Shown by first name, not as an import.
    page = client.get(reverse("enrolment:participants", args=[current.a.workshop.pk])).text
    assert "Kari" in page
    assert "importert fra fagsystemet" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "  ", "birth_year": "AGE14"}, "Skriv fornavnet."),
        ({"first_name": "Ola", "birth_year": ""}, "Skriv fødselsåret."),
        ({"first_name": "Ola", "birth_year": "AGE30"}, "Tilbudet er for 12–16 år."),
        ({"first_name": "Ola", "birth_year": "AGE5"}, "Tilbudet er for 12–16 år."),
        ({"first_name": "Ola", "birth_year": "12"}, "Skriv fødselsåret med fire sifre."),
        ({"first_name": "Ola", "birth_year": "abc"}, "Skriv fødselsåret med fire sifre."),
        (
            {"first_name": "Ola", "birth_year": "AGE14", "email": "ikke-en-adresse"},
            "Skriv en gyldig e-postadresse",
        ),
        (
            {"first_name": "Ola", "birth_year": "AGE14", "place": "kanskje"},
            "Velg et gyldig valg",
        ),
        (
            {"first_name": "Ola", "birth_year": "AGE14", "place": ""},
            "Velg om personen skal få plass nå eller stå på venteliste.",
        ),
    ],
)
def test_bad_input_changes_nothing(client, current, data, message):
    data = {"place": "now", **data}
    if data["birth_year"].startswith("AGE"):
        data["birth_year"] = born(int(data["birth_year"][3:]))
    before = Participant.objects.count()
    client.force_login(current.leader_a)
    response = client.post(url(current.a.workshop), data)
    assert response.status_code == 400
    assert message in response.text
    nothing_changed(before)


def test_a_full_offer_needs_a_tick(client, current, fill, django_capture_on_commit_callbacks):
    fill(
        current.a.workshop, 2, now=timezone.now() - datetime.timedelta(days=1), birth_year=born(14)
    )
    before = Participant.objects.count()
    client.force_login(current.leader_a)
    data = {"first_name": "Ola", "birth_year": born(14), "place": "now"}
    response = client.post(url(current.a.workshop), data)
    assert response.status_code == 400
    assert "Tilbudet er fullt (2 plasser)." in response.text
    nothing_changed(before)
    assert "Gi plass selv om tilbudet er fullt" in client.get(url(current.a.workshop)).text
    client.post(url(current.a.workshop), {**data, "over_capacity": "on"})
    assert Enrolment.objects.get(participant__first_name="Ola").status == Status.ACTIVE
    entry = AuditEntry.objects.get(action="enrolment.added_by_staff")
    assert entry.changes["over_capacity"] is True
    # The waiting list needs no tick.
    client.post(url(current.a.workshop), {**data, "first_name": "Kari", "place": "waiting"})
    assert Enrolment.objects.get(participant__first_name="Kari").status == Status.WAITING


def test_already_enrolled_is_refused(client, current, fill):
    (enrolment,) = fill(current.a.workshop, 1, birth_year=born(14))
    youth = enrolment.participant.user
    client.force_login(current.leader_a)
    response = client.post(url(current.a.workshop), {"user": youth.pk, "place": "now"})
    assert response.status_code == 400
    assert "er allerede påmeldt dette tilbudet." in response.text
    assert Enrolment.objects.filter(participant__user=youth).count() == 1
    data = {"first_name": "Ola", "birth_year": born(14), "place": "waiting"}
    client.post(url(current.a.workshop), data)
    response = client.post(url(current.a.workshop), {**data, "first_name": "ola"})
    assert response.status_code == 400
    assert "er allerede påmeldt dette tilbudet." in response.text
    assert Participant.objects.filter(first_name__iexact="ola").count() == 1


def test_a_youth_of_another_municipality_cannot_be_added(client, current, make_youth):
    other = make_youth("Sigve", birth_year=born(14), municipality=current.sola)
    before = Participant.objects.count()
    client.force_login(current.leader_a)
    response = client.post(url(current.a.workshop), {"user": other.pk, "place": "now"})
    assert response.status_code == 404
    nothing_changed(before)


def test_a_drop_in_offer_takes_nobody(client, current):
    client.force_login(current.leader_a)
    response = client.post(
        url(current.a.open_club), {"first_name": "Ola", "birth_year": born(14), "place": "now"}
    )
    assert response.status_code == 400
    assert "Her trenger ingen å melde seg på." in response.text
    assert not Participant.objects.filter(first_name="Ola").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher_a", 403), ("youth_a", 403), ("coordinator", 403), ("teacher_b", 404)],
)
def test_others_may_not_add(client, current, who, status):
    before = Participant.objects.count()
    client.force_login(getattr(current, who))
    assert client.get(url(current.a.piano, "ung")).status_code == status
    response = client.post(
        url(current.a.piano), {"first_name": "Ola", "birth_year": born(14), "place": "now"}
    )
    assert response.status_code == status
    nothing_changed(before)


def test_the_participants_page_links_to_it(client, current):
    client.force_login(current.rector_a)
    page = client.get(reverse("enrolment:participants", args=[current.a.piano.pk])).text
    assert url(current.a.piano) in page


def _waiting(current, **person):
    from ungkultur.enrolment.services import enrolment_add_by_staff

    return enrolment_add_by_staff(
        actor=current.leader_a,
        offer=current.a.workshop,
        place="waiting",
        now=timezone.now(),
        **person,
    )


@pytest.mark.parametrize("unit_email", ["kontakt@bibliotek.example.org", ""])
def test_someone_without_an_account_is_told_to_answer_the_unit_not_min_side(
    current, unit_email, django_capture_on_commit_callbacks
):
    from ungkultur.enrolment.services import enrolment_offer_place, enrolment_reminders_send

    unit = current.a.workshop.unit
    unit.email = unit_email
    unit.save(update_fields=["email"])
    enrolment = _waiting(
        current, first_name="Ola", birth_year=born(13), email="forelder@example.org"
    )
    mail.outbox.clear()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_offer_place(actor=current.leader_a, enrolment=enrolment, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_reminders_send(now=enrolment.answer_by - datetime.timedelta(hours=2))
    offered, reminder = mail.outbox
    assert offered.to == reminder.to == ["forelder@example.org"]
    assert "Ola har fått tilbud om plass på «Tegneserieverksted»" in offered.body
    if unit_email:
        answer = f"Ta imot eller takk nei ved å skrive til {unit.name} på {unit_email}."
    else:
        answer = f"Ta imot eller takk nei ved å ta kontakt med {unit.name}."
    for message in (offered, reminder):
        assert answer in message.body
        assert "Min side" not in message.body
        assert "/min-side/" not in message.body


def test_a_youth_with_an_account_added_by_hand_answers_on_min_side(
    current, make_youth, django_capture_on_commit_callbacks
):
    from ungkultur.enrolment.services import enrolment_offer_place

    unit = current.a.workshop.unit
    unit.email = "kontakt@bibliotek.example.org"
    unit.save(update_fields=["email"])
    youth = make_youth("Sigrid", birth_year=born(14))
    enrolment = _waiting(current, user=youth)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_offer_place(actor=current.leader_a, enrolment=enrolment, now=timezone.now())
    (offered,) = mail.outbox
    assert offered.to == [youth.email]
    assert "Ta imot eller takk nei på Min side:" in offered.body
    assert "/min-side/" in offered.body
    assert "kontakt@bibliotek.example.org" not in offered.body


def test_someone_without_an_account_is_not_asked_to_reregister_nor_withdrawn(
    client, current, make_youth, django_capture_on_commit_callbacks
):
    from ungkultur.enrolment.services import (
        enrolment_add_by_staff,
        enrolment_reregistration_close,
    )

    now = timezone.now()
    ola = enrolment_add_by_staff(
        actor=current.leader_a,
        offer=current.a.workshop,
        place="now",
        now=now,
        first_name="Ola",
        birth_year=born(13),
        email="forelder@example.org",
    )
    youth = make_youth("Sigrid", birth_year=born(14))
    sigrid = enrolment_add_by_staff(
        actor=current.leader_a, offer=current.a.workshop, place="now", now=now, user=youth
    )
    mail.outbox.clear()
    client.force_login(current.leader_a)
    page = reverse("enrolment:reregistration_open", args=[current.a.workshop.pk])
    response = client.get(page)
    assert "1 deltaker blir spurt." in response.text
    assert "1 deltaker er lagt til av dere uten konto og blir ikke spurt" in response.text
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"deadline": deadline.isoformat()})
    assert [m.to for m in mail.outbox] == [[youth.email]]
    ola.refresh_from_db()
    assert ola.reregistration_deadline is None
    enrolment_reregistration_close(now=now + datetime.timedelta(days=12))
    ola.refresh_from_db()
    sigrid.refresh_from_db()
    assert ola.status == Status.ACTIVE
    assert sigrid.status == Status.ENDED


def test_ages_count_in_the_year_the_place_starts_not_the_year_the_offer_began(client, current):
    """As for joining (join_age_reason): a standing offer that began two years ago is for those
    of its ages now. Counted from its first year, a 13-year-old was "11" and refused."""
    offer = current.a.workshop
    offer.age_min, offer.age_max = 13, 16
    offer.term_start = offer.term_start.replace(year=offer.term_start.year - 2)
    offer.save()
    client.force_login(current.leader_a)
    response = client.post(
        url(offer), {"first_name": "Kari", "birth_year": born(13), "place": "waiting"}
    )
    assert response.status_code == 302, response.text
    assert Participant.objects.filter(first_name="Kari").exists()
