"""Staff tie existing offers to the other system's references, and complete imported drafts
without losing the link."""

import io

import pytest
from django.urls import reverse

from ungkultur.catalogue.models import Category, Offer
from ungkultur.catalogue.tests.test_manage_views import _form
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.importers import enrolments_import
from ungkultur.enrolment.models import Enrolment, OfferRef
from ungkultur.enrolment.tests.conftest import NOW

pytestmark = pytest.mark.django_db

BALLET = (
    "person_ref,birth_year,gender,offer_ref,offer_title,start_date,end_date,end_reason\n"
    "P-1,2014,F,BAL-1,Ballett,2026-08-17,,\n"
    "P-2,2013,M,BAL-1,Ballett,2026-08-17,,\n"
)


def run(unit, text=BALLET):
    return enrolments_import(actor=None, unit=unit, file=io.BytesIO(text.encode()), now=NOW)


def link(client, unit, offer, ref):
    return client.post(
        reverse("enrolment:offer_ref_link", args=[unit.pk]), {"offer": offer.pk, "ref": ref}
    )


def test_a_linked_offer_is_found_by_the_import(client, personas):
    unit, piano = personas.a.kulturskole, personas.a.piano
    client.force_login(personas.rector_a)
    response = link(client, unit, piano, "BAL-1")
    assert response.status_code == 302
    assert OfferRef.objects.get(unit=unit, ref="BAL-1").offer == piano
    assert AuditEntry.objects.get(action="offer_ref.linked").changes["ref"] == "BAL-1"

    offers_before = Offer.objects.count()
    report = run(unit)
    assert report.offers_created == []
    assert Offer.objects.count() == offers_before
    assert Enrolment.objects.filter(offer=piano).exclude(import_key="").count() == 2


def test_linking_a_reference_of_an_imported_draft_moves_its_pupils_and_drops_the_draft(
    client, personas
):
    unit, piano = personas.a.kulturskole, personas.a.piano
    run(unit)
    draft = OfferRef.objects.get(unit=unit, ref="BAL-1").offer
    assert draft.status == Offer.Status.DRAFT
    client.force_login(personas.rector_a)

    response = link(client, unit, piano, "BAL-1")

    assert response.status_code == 302
    assert not Offer.objects.filter(pk=draft.pk).exists()
    assert Enrolment.objects.filter(offer=piano).exclude(import_key="").count() == 2
    assert run(unit).summary().startswith("0 nye, 0 endret, 2 uendret")
    assert AuditEntry.objects.get(action="offer_ref.linked").changes["enrolments_moved"] == 2


def test_a_published_offer_keeps_its_reference(client, personas):
    unit = personas.a.kulturskole
    OfferRef.objects.create(unit=unit, ref="PIA-1", offer=personas.a.piano)
    other = Offer.objects.get(pk=personas.a.piano.pk)
    other.pk, other.title = None, "Fiolin"
    other.save()
    client.force_login(personas.rector_a)
    response = link(client, unit, other, "PIA-1")
    assert response.status_code == 400
    assert "kan ikke flyttes" in response.text
    assert OfferRef.objects.get(unit=unit, ref="PIA-1").offer == personas.a.piano
    assert not AuditEntry.objects.exists()


def test_linking_needs_a_reference_an_own_offer_and_the_right_role(client, personas):
    unit = personas.a.kulturskole
    client.force_login(personas.rector_a)
    assert link(client, unit, personas.a.piano, " ").status_code == 400
    # Another municipality's offer is no choice.
    response = link(client, unit, personas.b.piano, "X-1")
    assert response.status_code == 400
    assert "Velg tilbudet" in response.text
    client.force_login(personas.teacher_a)
    assert link(client, unit, personas.a.piano, "X-1").status_code == 403
    client.force_login(personas.rector_b)
    assert link(client, unit, personas.a.piano, "X-1").status_code == 404
    assert not OfferRef.objects.exists()


def test_an_imported_draft_is_completed_without_losing_its_link(client, personas):
    unit = personas.a.kulturskole
    run(unit)
    draft = OfferRef.objects.get(unit=unit, ref="BAL-1").offer
    client.force_login(personas.rector_a)
    data = _form(
        title="Ballett",
        category="dance",
        join_mode="registration",
        capacity="12",
        age_min="8",
        age_max="14",
        term_start="2026-08-17",
        term_end="2026-12-18",
        application_deadline="",
        venue=str(personas.a.venue.pk),
    )
    response = client.post(reverse("catalogue:offer_update", args=[draft.pk]), data)
    assert response.status_code == 302, response.content
    response = client.post(
        reverse("catalogue:schedule_create", args=[draft.pk]),
        {
            "weekday": "1",
            "start_time": "17:00",
            "end_time": "18:00",
            "first_date": "2026-08-18",
            "last_date": "2026-12-15",
            "venue": str(personas.a.venue.pk),
        },
    )
    assert response.status_code == 302, response.content
    draft.refresh_from_db()
    assert (draft.category, draft.capacity) == (Category.DANCE, 12)
    assert OfferRef.objects.get(unit=unit, ref="BAL-1").offer_id == draft.pk

    report = run(unit)
    assert report.offers_created == []
    assert report.unchanged == 2
    assert Enrolment.objects.filter(offer=draft).count() == 2
    assert draft.schedules.count() == 1


def test_import_page_lists_the_references(client, personas):
    unit = personas.a.kulturskole
    run(unit)
    client.force_login(personas.rector_a)
    page = client.get(reverse("enrolment:import", args=[unit.pk]))
    assert "BAL-1" in page.text
    assert "Gjør ferdig" in page.text
