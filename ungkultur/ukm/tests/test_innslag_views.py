import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.ukm.models import Innslag, InnslagPerson, InnslagTitle
from ungkultur.ukm.services import innslag_create

from .conftest import innslag_data, person

pytestmark = pytest.mark.django_db


def me(youth):
    return person(youth.first_name, youth.birth_year, role="gitar")


def new_url(event):
    return reverse("ukm:innslag_new", args=[event.pk])


# --- The form -----------------------------------------------------------------------------------


def test_form_prefills_the_youth_first_and_groups_the_types(client, open_event, youth):
    client.force_login(youth)
    response = client.get(new_url(open_event))
    assert response.status_code == 200
    text = response.text
    assert f'name="persons-0-first_name" value="{youth.first_name}"' in text
    assert f'name="persons-0-birth_year" value="{youth.birth_year}"' in text
    assert 'name="persons-1-first_name"' in text
    assert 'name="persons-4-first_name"' in text
    assert 'name="persons-5-first_name"' not in text
    assert 'name="titles-2-title"' in text
    assert 'name="persons-0-DELETE"' not in text  # nothing to remove on a new entry
    assert '<optgroup label="Vise frem">' in text
    assert '<optgroup label="Jobbe med">' in text
    assert "Person 1 (deg)" in text


def test_youth_registers_an_entry(client, open_event, youth, year):
    client.force_login(youth)
    data = innslag_data(
        name="Kaos i kjelleren",
        persons=[
            me(youth),
            person("Lise", year - 14, guardian_name="Mor", guardian_mobile="+47 412 34 567"),
        ],
        titles=[{"title": "Første låt", "duration": "3:05", "self_made": True, "credits": "Lise"}],
    )
    response = client.post(new_url(open_event), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("ukm:event_detail", args=[open_event.pk])
    innslag = Innslag.objects.get()
    assert (innslag.event, innslag.contact, innslag.type, innslag.name) == (
        open_event,
        youth,
        "music",
        "Kaos i kjelleren",
    )
    persons = list(innslag.persons.order_by("pk"))
    assert [(p.first_name, p.user) for p in persons] == [(youth.first_name, youth), ("Lise", None)]
    assert persons[1].guardian_mobile == "41234567"
    title = innslag.titles.get()
    assert (title.title, title.duration_seconds, title.self_made, title.credits) == (
        "Første låt",
        185,
        True,
        "Lise",
    )
    assert AuditEntry.objects.get(action="innslag.created").actor == youth
    page = client.get(response["Location"])
    assert "Kaos i kjelleren er meldt på." in page.text
    assert "Dine innslag" in page.text


def test_working_with_entry_without_titles(client, open_event, youth):
    client.force_login(youth)
    response = client.post(
        new_url(open_event), innslag_data(type="host", name="Konferansier", persons=[me(youth)])
    )
    assert response.status_code == 302
    assert Innslag.objects.get().is_working_with


def test_working_with_entry_with_titles_is_400(client, open_event, youth):
    client.force_login(youth)
    response = client.post(
        new_url(open_event),
        innslag_data(type="media", persons=[me(youth)], titles=[{"title": "Film"}]),
    )
    assert response.status_code == 400
    assert "Innslag der du jobber med noe, har ingen titler. Fjern titlene." in response.text
    assert 'value="Film"' in response.text
    assert not Innslag.objects.exists()


@pytest.mark.parametrize("age,ok", [(9, False), (10, True), (20, True), (21, False)])
def test_age_limits(client, open_event, youth, year, age, ok):
    client.force_login(youth)
    friend = person("Venn", year - age, guardian_name="Foresatt", guardian_mobile="91234567")
    response = client.post(new_url(open_event), innslag_data(persons=[me(youth), friend]))
    if ok:
        assert response.status_code == 302
        assert InnslagPerson.objects.filter(birth_year=year - age).exists()
    else:
        assert response.status_code == 400
        assert "UKM er for deg mellom 10 og 20 år." in response.text
        assert 'id="id_persons-1-birth_year_error"' in response.text
        assert "Person 2, Fødselsår: UKM er for deg mellom 10 og 20 år." in response.text
        assert not Innslag.objects.exists()


def test_14_year_old_without_guardian_is_400(client, open_event, youth, year):
    client.force_login(youth)
    response = client.post(
        new_url(open_event), innslag_data(persons=[me(youth), person("Lise", year - 14)])
    )
    assert response.status_code == 400
    assert "Skriv navnet til en foresatt. Det trengs under 15 år." in response.text
    assert "Skriv mobilnummeret til en foresatt. Det trengs under 15 år." in response.text
    assert 'value="Lise"' in response.text  # nothing typed is lost
    assert not Innslag.objects.exists()


def test_14_year_old_with_a_bad_guardian_number_is_400(client, open_event, youth, year):
    client.force_login(youth)
    lise = person("Lise", year - 14, guardian_name="Mor", guardian_mobile="12 34")
    response = client.post(new_url(open_event), innslag_data(persons=[me(youth), lise]))
    assert response.status_code == 400
    assert "Skriv et norsk mobilnummer med 8 siffer" in response.text
    assert 'aria-invalid="true"' in response.text


def test_15_year_old_needs_no_guardian(client, open_event, youth, year):
    client.force_login(youth)
    response = client.post(
        new_url(open_event), innslag_data(persons=[me(youth), person("Per", year - 15)])
    )
    assert response.status_code == 302


def test_the_first_person_is_required(client, open_event, youth):
    client.force_login(youth)
    response = client.post(new_url(open_event), innslag_data(persons=[]))
    assert response.status_code == 400
    assert "Person 1, Fornavn: Feltet er påkrevet." in response.text
    assert not Innslag.objects.exists()


def test_missing_type_and_name_is_400(client, open_event, youth):
    client.force_login(youth)
    response = client.post(new_url(open_event), innslag_data(type="", name="", persons=[me(youth)]))
    assert response.status_code == 400
    assert "Type innslag: Feltet er påkrevet." in response.text
    assert "Navn på innslaget: Feltet er påkrevet." in response.text


def test_a_bad_duration_is_400(client, open_event, youth):
    client.force_login(youth)
    response = client.post(
        new_url(open_event),
        innslag_data(persons=[me(youth)], titles=[{"title": "Låt", "duration": "3:75"}]),
    )
    assert response.status_code == 400
    assert "Skriv varigheten som minutter:sekunder" in response.text


def test_broken_management_form_is_400_not_500(client, open_event, youth):
    client.force_login(youth)
    data = innslag_data(persons=[me(youth)])
    del data["persons-TOTAL_FORMS"]
    response = client.post(new_url(open_event), data)
    assert response.status_code == 400
    assert not Innslag.objects.exists()


# --- The window ---------------------------------------------------------------------------------


def test_closed_signup_is_400(client, closed_event, youth):
    client.force_login(youth)
    response = client.get(new_url(closed_event))
    assert response.status_code == 400
    assert "Påmeldingen er stengt" in response.text
    response = client.post(new_url(closed_event), innslag_data(persons=[me(youth)]))
    assert response.status_code == 400
    assert "Påmeldingen er stengt" in response.text
    assert 'value="Bandet"' in response.text  # what was typed comes back
    assert not Innslag.objects.exists()


def test_signup_not_yet_open_is_400(client, future_event, youth):
    client.force_login(youth)
    response = client.get(new_url(future_event))
    assert response.status_code == 400
    assert "Påmeldingen er stengt" in response.text
    assert "åpner" in response.text


def test_anonymous_is_sent_to_login(client, open_event):
    response = client.get(new_url(open_event))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_new_entry_answers_405_to_put(client, open_event, youth):
    client.force_login(youth)
    assert client.put(new_url(open_event)).status_code == 405


def test_unknown_event_is_404(client, personas, youth):
    client.force_login(youth)
    assert client.get(reverse("ukm:innslag_new", args=[999])).status_code == 404


# --- Edit ---------------------------------------------------------------------------------------


@pytest.fixture
def entry(personas, open_event, youth, year):
    return innslag_create(
        actor=youth,
        event=open_event,
        type="music",
        name="Kaos",
        persons=[me(youth), person("Ola", year - 17, role="bass")],
        titles=[{"title": "Låt", "duration_seconds": 200}],
        now=timezone.now(),
    )


def edit_url(innslag):
    return reverse("ukm:innslag_edit", args=[innslag.pk])


def test_edit_shows_the_entry(client, entry, youth):
    client.force_login(youth)
    response = client.get(edit_url(entry))
    assert response.status_code == 200
    assert 'name="persons-1-first_name" value="Ola"' in response.text
    assert 'name="persons-1-DELETE"' in response.text
    assert 'name="titles-0-duration" value="3:20"' in response.text
    assert 'name="persons-3-first_name"' in response.text  # room for more


def test_edit_removes_a_person_and_adds_another(client, entry, youth, year):
    client.force_login(youth)
    data = innslag_data(
        name="Kaos 2",
        persons=[
            me(youth),
            {**person("Ola", year - 17, role="bass"), "DELETE": True},
            person("Nina", year - 18, role="synth"),
        ],
        titles=[{"title": "Låt", "duration": "3:20"}],
        initial_persons=2,
        initial_titles=1,
    )
    response = client.post(edit_url(entry), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Kaos 2"
    assert sorted(entry.persons.values_list("first_name", flat=True)) == sorted(
        [youth.first_name, "Nina"]
    )
    assert AuditEntry.objects.filter(action="innslag.updated").count() == 1


def test_edit_with_bad_input_is_400_and_changes_nothing(client, entry, youth, year):
    client.force_login(youth)
    data = innslag_data(
        name="Kaos 2",
        persons=[me(youth), person("Ola", year - 25)],
        initial_persons=2,
        initial_titles=1,
        titles=[{"title": "Låt"}],
    )
    response = client.post(edit_url(entry), data)
    assert response.status_code == 400
    assert "UKM er for deg mellom 10 og 20 år." in response.text
    entry.refresh_from_db()
    assert entry.name == "Kaos"
    assert entry.persons.count() == 2


@pytest.mark.parametrize("who", ["youth_member_a", "leader_a", "youth_b", "admin"])
def test_only_the_contact_may_edit(client, personas, entry, who):
    client.force_login(getattr(personas, who))
    assert client.get(edit_url(entry)).status_code == 404
    assert client.post(edit_url(entry), innslag_data(name="Hacket")).status_code == 404
    entry.refresh_from_db()
    assert entry.name == "Kaos"


def test_edit_after_signup_closes_is_400(client, entry, youth, open_event, year):
    open_event.signup_opens = timezone.now() - timezone.timedelta(days=9)
    open_event.signup_closes = timezone.now() - timezone.timedelta(minutes=1)
    open_event.save()
    client.force_login(youth)
    assert client.get(edit_url(entry)).status_code == 400
    response = client.post(
        edit_url(entry), innslag_data(name="For sent", persons=[me(youth)], initial_persons=2)
    )
    assert response.status_code == 400
    assert "Påmeldingen er stengt" in response.text
    entry.refresh_from_db()
    assert entry.name == "Kaos"
    assert InnslagTitle.objects.filter(innslag=entry).count() == 1


def test_edit_answers_405_to_delete(client, entry, youth):
    client.force_login(youth)
    assert client.delete(edit_url(entry)).status_code == 405
