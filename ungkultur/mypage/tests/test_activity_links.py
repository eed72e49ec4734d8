"""Mine aktiviteter leads to each offer, and to the catalogue when there is nothing yet."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.enrolment.services import enrolment_join

pytestmark = pytest.mark.django_db


def test_with_nothing_yet_mine_aktiviteter_leads_to_the_offers(client, personas):
    client.force_login(personas.youth_a)
    text = client.get(reverse("mypage:index")).text
    section = text[text.index('id="activities-heading"') :]
    assert "Du er ikke med på noe ennå" in section
    assert f'href="{reverse("mypage:offers")}"' in section


def test_each_activity_links_to_its_offer(client, personas):
    workshop = personas.a.workshop
    workshop.term_end = None
    workshop.save(update_fields=["term_end"])
    youth = personas.youth_a
    enrolment_join(actor=youth, offer=workshop, person=youth, now=timezone.now())
    client.force_login(youth)
    text = client.get(reverse("mypage:index")).text
    section = text[text.index('id="activities-heading"') :]
    assert (
        f'href="{reverse("catalogue:offer_detail", args=[workshop.pk])}">Tegneserieverksted</a>'
        in section
    )
    assert "Du er ikke med på noe ennå" not in section
