import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import Guardianship
from ungkultur.catalogue.models import Offer
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.tests.conftest import born, make_session
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def url(offer):
    return reverse("enrolment:join", args=[offer.pk])


def test_the_url_is_the_one_the_offer_page_links_to(current):
    assert url(current.a.workshop) == f"/tilbud/{current.a.workshop.pk}/bli-med/"


def test_youth_sees_a_confirm_page(client, current):
    client.force_login(current.youth_a)
    response = client.get(url(current.a.workshop))
    assert response.status_code == 200
    assert "Bli med på Tegneserieverksted" in response.text
    assert "For 12–16 år" in response.text
    assert "Meld på" in response.text
    assert "Hvem melder du på?" not in response.text
    assert not Enrolment.objects.exists()


def test_youth_joins_and_sees_it_on_min_side(client, current):
    client.force_login(current.youth_a)
    response = client.post(url(current.a.workshop), {"person": current.youth_a.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mypage:index")
    assert "Du er med på Tegneserieverksted!" in response.text
    enrolment = Enrolment.objects.get()
    assert enrolment.status == Status.ACTIVE
    assert enrolment.start == timezone.localdate()
    assert enrolment.signed_up_by == current.youth_a


def test_a_full_offer_puts_you_on_the_waiting_list_with_your_place(
    client, current, fill, make_youth
):
    fill(
        current.a.workshop, 3, now=timezone.now() - datetime.timedelta(hours=1), birth_year=born(15)
    )
    client.force_login(current.youth_a)
    response = client.post(url(current.a.workshop), {"person": current.youth_a.pk}, follow=True)
    assert "Tegneserieverksted er fullt. Du er nummer 2 på ventelisten." in response.text
    response = client.get(url(current.a.workshop))
    assert "Du er nummer 2 på ventelisten." in response.text


def test_application_is_sent(client, current):
    client.force_login(current.youth_a)
    response = client.get(url(current.a.piano))
    assert "Send søknad" in response.text
    assert "Søknadsfrist" in response.text
    response = client.post(url(current.a.piano), {"person": current.youth_a.pk}, follow=True)
    assert "Søknaden til Piano er sendt" in response.text
    assert Enrolment.objects.get().status == Status.APPLIED


def test_application_after_the_deadline_is_400(client, current):
    Offer.objects.filter(pk=current.a.piano.pk).update(
        application_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(current.youth_a)
    response = client.get(url(current.a.piano))
    assert "Søknadsfristen har gått ut" in response.text
    assert "Send søknad" not in response.text
    response = client.post(url(current.a.piano), {"person": current.youth_a.pk})
    assert response.status_code == 400
    assert "Søknadsfristen har gått ut" in response.text
    assert not Enrolment.objects.exists()


def test_age_outside_the_range_is_400_with_a_message(client, current, make_youth):
    old = make_youth(birth_year=born(18))
    client.force_login(old)
    response = client.post(url(current.a.workshop), {"person": old.pk})
    assert response.status_code == 400
    assert "Tilbudet er for 12–16 år." in response.text
    assert not Enrolment.objects.exists()


def test_joining_twice_is_400_with_a_message(client, current):
    client.force_login(current.youth_a)
    client.post(url(current.a.workshop), {"person": current.youth_a.pk})
    response = client.post(url(current.a.workshop), {"person": current.youth_a.pk})
    assert response.status_code == 400
    assert "Du er allerede påmeldt." in response.text
    assert Enrolment.objects.count() == 1


def test_drop_in_says_just_come_with_opening_times(client, current):
    start = timezone.now() + datetime.timedelta(days=2)
    make_session(current.a.open_club, start)
    response = client.get(url(current.a.open_club))
    assert response.status_code == 200
    assert "Bare møt opp" in response.text
    assert timezone.localtime(start).strftime("%H:%M") in response.text
    response = client.post(url(current.a.open_club))
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_anonymous_is_sent_to_login(client, current):
    response = client.get(url(current.a.workshop))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_drafts_and_unknown_offers_are_404(client, current):
    Offer.objects.filter(pk=current.a.workshop.pk).update(status=Offer.Status.DRAFT)
    client.force_login(current.youth_a)
    assert client.get(url(current.a.workshop)).status_code == 404
    assert client.get(reverse("enrolment:join", args=[99999])).status_code == 404


def test_cancelled_offer_says_so(client, current):
    Offer.objects.filter(pk=current.a.workshop.pk).update(status=Offer.Status.CANCELLED)
    client.force_login(current.youth_a)
    response = client.post(url(current.a.workshop), {"person": current.youth_a.pk})
    assert response.status_code == 400
    assert "Tilbudet er avlyst." in response.text


def test_join_allows_only_get_and_post(client, current):
    client.force_login(current.youth_a)
    assert client.put(url(current.a.workshop)).status_code == 405


# --- Under the online consent age: the guardian signs up ----------------------------------------


def test_a_child_is_told_a_guardian_must_sign_them_up(client, current):
    client.force_login(current.child_a)
    response = client.get(url(current.a.piano))
    assert response.status_code == 200
    assert "Du er under 13 år, så det er en foresatt som melder deg på." in response.text
    assert "Send søknad" not in response.text


def test_a_child_cannot_sign_up_alone(client, current):
    client.force_login(current.child_a)
    response = client.post(url(current.a.piano), {"person": current.child_a.pk})
    assert response.status_code == 403
    assert "En foresatt må melde deg på" in response.text
    assert not Enrolment.objects.exists()


def test_guardian_signs_up_their_child(client, current):
    client.force_login(current.guardian_a)
    response = client.get(url(current.a.piano))
    assert "Du melder på BarnA." in response.text
    response = client.post(url(current.a.piano), {"person": current.child_a.pk}, follow=True)
    assert "Søknaden til Piano er sendt" in response.text
    enrolment = Enrolment.objects.get()
    assert enrolment.participant.user == current.child_a
    assert enrolment.signed_up_by == current.guardian_a


def test_guardian_with_two_children_chooses_whom(client, current):
    sibling = make_user("barn2.a@example.org", first_name="Sosken", birth_year=born(14))
    Guardianship.objects.create(
        guardian=current.guardian_a, child=sibling, confirmed_at=timezone.now()
    )
    client.force_login(current.guardian_a)
    response = client.get(url(current.a.workshop))
    assert "Hvem melder du på?" in response.text
    assert "BarnA" in response.text and "Sosken" in response.text
    client.post(url(current.a.workshop), {"person": sibling.pk})
    assert Enrolment.objects.get().participant.user == sibling


def test_guardian_cannot_sign_up_someone_elses_child(client, current):
    client.force_login(current.guardian_a)
    response = client.post(url(current.a.piano), {"person": current.youth_a.pk})
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text
    assert not Enrolment.objects.exists()


def test_guardian_gets_the_childs_age_checked(client, current):
    client.force_login(current.guardian_a)
    response = client.post(url(current.a.workshop), {"person": current.child_a.pk})
    assert response.status_code == 400
    assert "BarnA er" in response.text


def test_staff_without_birth_year_cannot_sign_anyone_up(client, current):
    client.force_login(current.teacher_a)
    response = client.get(url(current.a.workshop))
    assert "Du kan ikke melde noen på fra denne kontoen" in response.text
    response = client.post(url(current.a.workshop), {"person": current.teacher_a.pk})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_a_youth_of_the_wrong_age_is_told_why_before_signing_up(client, current):
    """Issue 18: the page says why (age) before the youth presses the button, and offers none."""
    offer = current.a.workshop
    Offer.objects.filter(pk=offer.pk).update(age_min=17, age_max=19)
    client.force_login(current.youth_a)
    year = timezone.localdate().year
    age = year - current.youth_a.birth_year
    response = client.get(url(offer))
    assert response.status_code == 200
    assert f"Tilbudet er for 17–19 år. Du er {age} år i " in response.text
    assert 'data-testid="why-not-join"' in response.text
    assert ">Meld på</button>" not in response.text
    assert not Enrolment.objects.exists()
