"""A decision in the minutes on a youth proposal's agenda item answers the proposal in one
step; a wrong answer is corrected with a visible history; decisions are editable until the
minutes are approved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.meetings import services
from ungkultur.meetings.models import Decision
from ungkultur.meetings.tests.factories import make_event
from ungkultur.participation.models import Proposal, ProposalEvent
from ungkultur.participation.services import proposal_create

pytestmark = pytest.mark.django_db
Status = Proposal.Status


@pytest.fixture
def item(personas):
    """A held project group meeting with a youth proposal on its agenda, the resource group's
    youth member and the leader present."""
    now = timezone.now()
    proposal = proposal_create(
        actor=personas.youth_a,
        municipality=personas.arendal,
        title="Lydstudio",
        text="Et lydstudio på klubben.",
        category="music",
        services=["club"],
        now=now,
    )
    event = make_event(personas, days=-1)
    item = services.agenda_item_add(
        actor=personas.leader_a, event=event, title="", proposal=proposal, now=now
    )
    services.attendance_set(
        actor=personas.leader_a,
        event=event,
        users=[personas.leader_a, personas.youth_member_a],
        now=now,
    )
    return item


def _decide(personas, item, outcome="accepted", text="Vi bygger studioet i januar."):
    return services.decision_add(
        actor=personas.leader_a,
        event=item.event,
        agenda_item=item,
        text=text,
        outcome=outcome,
        now=timezone.now(),
    )


def test_recording_the_decision_answers_the_proposal(personas, item):
    proposal = item.proposal
    proposal.refresh_from_db()
    assert proposal.status == Status.CONSIDERING
    _decide(personas, item)
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    assert proposal.answer == "Vi bygger studioet i januar."
    assert proposal.answered_by == personas.leader_a
    # The youth of the resource group present took part; the adult present is not youth.
    assert list(proposal.youth_participants.all()) == [personas.youth_member_a]
    assert proposal.events.last().status == Status.ACCEPTED


def test_a_second_answering_decision_is_refused(personas, item):
    _decide(personas, item)
    with pytest.raises(ValidationError, match="allerede besvart"):
        _decide(personas, item, outcome="rejected")
    assert Decision.objects.count() == 1
    item.proposal.refresh_from_db()
    assert item.proposal.status == Status.ACCEPTED


def test_an_outcome_needs_a_proposal_item(personas, item):
    other = services.agenda_item_add(
        actor=personas.leader_a, event=item.event, title="Budsjett", now=timezone.now()
    )
    with pytest.raises(ValidationError):
        _decide(personas, other)
    with pytest.raises(ValidationError):
        services.decision_add(
            actor=personas.leader_a,
            event=item.event,
            text="Uten sak",
            outcome="accepted",
            now=timezone.now(),
        )
    assert not Decision.objects.exists()


def test_a_wrong_answer_is_corrected_with_a_visible_history(personas, item, client):
    decision = _decide(personas, item)
    with pytest.raises(ValidationError):
        services.decision_edit(
            actor=personas.leader_a,
            decision=decision,
            text="Avslått: ingen rom.",
            outcome="rejected",
            reason=" ",
            now=timezone.now(),
        )
    item.proposal.refresh_from_db()
    assert item.proposal.status == Status.ACCEPTED
    services.decision_edit(
        actor=personas.leader_a,
        decision=decision,
        text="Avslått: klubben har ikke rom.",
        outcome="rejected",
        reason="Feil svar ført i referatet",
        now=timezone.now(),
    )
    proposal = item.proposal
    proposal.refresh_from_db()
    assert proposal.status == Status.REJECTED
    assert proposal.answer == "Avslått: klubben har ikke rom."
    correction = ProposalEvent.objects.filter(proposal=proposal).last()
    assert (correction.previous_status, correction.status) == (Status.ACCEPTED, Status.REJECTED)
    assert "Feil svar ført i referatet" in correction.note
    audit = AuditEntry.objects.get(action="participation.proposal_answer_correct")
    assert audit.changes["status"] == [Status.ACCEPTED, Status.REJECTED]
    page = client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    assert "Svaret er rettet: Feil svar ført i referatet" in page
    assert "Vi bygger studioet i januar." in page  # the first answer stays in the history


def test_approved_minutes_freeze_decisions(personas, item):
    decision = _decide(personas, item)
    services.minutes_approve(actor=personas.leader_a, event=item.event, now=timezone.now())
    with pytest.raises(ValidationError, match="godkjent"):
        services.decision_edit(
            actor=personas.leader_a,
            decision=decision,
            text="Endret",
            outcome="rejected",
            reason="For sent",
            now=timezone.now(),
        )
    with pytest.raises(ValidationError, match="godkjent"):
        services.decision_add(
            actor=personas.leader_a, event=item.event, text="Nytt", now=timezone.now()
        )
    decision.refresh_from_db()
    assert decision.text == "Vi bygger studioet i januar."
    item.proposal.refresh_from_db()
    assert item.proposal.status == Status.ACCEPTED


def test_views_who_may_answer_through_the_minutes(personas, item, client):
    url = reverse("meetings:decision_add", args=[item.event.pk])
    data = {"text": "Ja.", "agenda_item": item.pk, "outcome": "accepted"}
    # A co-organiser who is not the project leader may record decisions, not answer proposals.
    services.event_organiser_add(
        actor=personas.leader_a, event=item.event, user=personas.rector_a, now=timezone.now()
    )
    client.force_login(personas.rector_a)
    assert client.post(url, data).status_code == 403
    client.force_login(personas.leader_b)
    assert client.post(url, data).status_code == 404
    assert not Decision.objects.exists()
    client.force_login(personas.leader_a)
    # An answer without a proposal item: the form again, nothing saved.
    response = client.post(url, {"text": "Ja.", "agenda_item": "", "outcome": "accepted"})
    assert response.status_code == 400
    assert "krever at vedtaket gjelder forslagets sak" in response.text
    assert not Decision.objects.exists()
    assert client.post(url, data).status_code == 302
    item.proposal.refresh_from_db()
    assert item.proposal.status == Status.ACCEPTED
    decision = Decision.objects.get()
    minutes = client.get(reverse("meetings:minutes", args=[item.event.pk])).text
    assert reverse("participation:proposal_detail", args=[item.proposal.pk]) in minutes
    detail = client.get(reverse("meetings:event_detail", args=[item.event.pk])).text
    assert reverse("participation:proposal_detail", args=[item.proposal.pk]) in detail
    edit = reverse("meetings:decision_edit", args=[decision.pk])
    prefix = f"d{decision.pk}"
    response = client.post(edit, {f"{prefix}-text": "Nei.", f"{prefix}-outcome": "rejected"})
    assert response.status_code == 400
    assert "Skriv hvorfor svaret rettes." in response.text
    response = client.post(
        edit,
        {f"{prefix}-text": "Nei.", f"{prefix}-outcome": "rejected", f"{prefix}-reason": "Feil"},
    )
    assert response.status_code == 302
    item.proposal.refresh_from_db()
    assert item.proposal.status == Status.REJECTED
    approve = reverse("meetings:minutes_approve", args=[item.event.pk])
    assert client.post(approve).status_code == 302
    response = client.post(
        edit,
        {f"{prefix}-text": "Ja.", f"{prefix}-outcome": "accepted", f"{prefix}-reason": "Igjen"},
    )
    assert response.status_code == 400
    item.proposal.refresh_from_db()
    assert item.proposal.status == Status.REJECTED
    assert (
        "Godkjenn referatet"
        not in client.get(reverse("meetings:minutes", args=[item.event.pk])).text
    )
