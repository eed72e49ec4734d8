"""Wherever a youth cannot act, the page says why (age, municipality, unconfirmed e-mail,
closed), and the "Stem nå" banner shows only to those who may vote in the round (issue 18)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ungkultur.mypage.tests.test_front_door import voting_round
from ungkultur.participation.models import Comment, Proposal
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def proposal_in(municipality, *, author, status=Proposal.Status.SUBMITTED):
    now = timezone.now()
    return Proposal.objects.create(
        municipality=municipality,
        author=author,
        title="Åpen scene hver fredag",
        text="Vi vil ha en åpen scene.",
        category="music",
        status=status,
        submitted_at=now,
        answer_due=timezone.localdate() + 30 * DAY,
    )


def comments_section(text):
    return text[text.index('id="kommentarer"') :]


def support_section(text):
    return text[text.index('id="support-heading"') : text.index('id="trail-heading"')]


# --- Comments ----------------------------------------------------------------------------------


def test_a_youth_of_the_municipality_gets_the_comment_form_and_no_reason(client, personas):
    proposal = proposal_in(personas.arendal, author=personas.youth_member_a)
    client.force_login(personas.youth_a)
    section = comments_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    assert reverse("participation:comment_new", args=[proposal.pk]) in section
    assert 'data-testid="why-not-comment"' not in section


def test_a_too_young_youth_is_told_why_they_cannot_comment(client, personas):
    proposal = proposal_in(personas.arendal, author=personas.youth_a)
    client.force_login(personas.child_a)
    section = comments_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    assert reverse("participation:comment_new", args=[proposal.pk]) not in section
    assert "Du kan være med fra det året du fyller 13." in section
    # And the service refuses what the page does not offer.
    response = client.post(
        reverse("participation:comment_new", args=[proposal.pk]), {"text": "Hei"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_youth_of_another_municipality_is_told_why_they_cannot_comment(client, personas):
    proposal = proposal_in(personas.arendal, author=personas.youth_a)
    client.force_login(personas.youth_b)
    section = comments_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    assert reverse("participation:comment_new", args=[proposal.pk]) not in section
    assert "Dette er for ungdom som bor eller går på skole i Arendal." in section


def test_a_too_old_user_is_told_it_is_for_youth(client, personas):
    proposal = proposal_in(personas.arendal, author=personas.youth_a)
    older = make_user(
        "eldre@example.org",
        first_name="Eldre",
        birth_year=timezone.localdate().year - 25,
        municipality=personas.arendal,
    )
    client.force_login(older)
    section = comments_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    assert reverse("participation:comment_new", args=[proposal.pk]) not in section
    assert "Dette er for ungdom til og med 19 år." in section


def test_an_unconfirmed_youth_may_comment_and_is_not_told_to_confirm_there(client, personas):
    """Comments need no confirmed e-mail (only proposals, supports and votes count people)."""
    proposal = proposal_in(personas.arendal, author=personas.youth_member_a)
    youth = personas.youth_a
    youth.email_confirmed_at = None
    youth.save(update_fields=["email_confirmed_at"])
    client.force_login(youth)
    text = client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    assert reverse("participation:comment_new", args=[proposal.pk]) in comments_section(text)
    assert "Bekreft e-postadressen din først" in support_section(text)
    assert "Bekreft e-postadressen din først" not in comments_section(text)


def test_a_visitor_is_asked_to_log_in_to_comment(client, personas):
    proposal = proposal_in(personas.arendal, author=personas.youth_a)
    section = comments_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    login = (
        reverse("accounts:login")
        + "?next="
        + reverse("participation:proposal_detail", args=[proposal.pk])
    )
    assert login in section
    assert "Logg inn for å kommentere" in section


# --- Supports ----------------------------------------------------------------------------------


def test_the_author_is_told_they_cannot_support_their_own_proposal(client, personas):
    proposal = proposal_in(personas.arendal, author=personas.youth_a)
    client.force_login(personas.youth_a)
    section = support_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    assert reverse("participation:proposal_support", args=[proposal.pk]) not in section
    assert "Du kan ikke støtte ditt eget forslag." in section


def test_an_answered_proposal_says_support_is_closed(client, personas):
    proposal = proposal_in(
        personas.arendal, author=personas.youth_member_a, status=Proposal.Status.ACCEPTED
    )
    client.force_login(personas.youth_a)
    section = support_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    assert reverse("participation:proposal_support", args=[proposal.pk]) not in section
    assert "Forslaget har fått svar, så det kan ikke støttes lenger." in section


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("child_a", "Du kan være med fra det året du fyller 13."),
        ("youth_b", "Dette er for ungdom som bor eller går på skole i Arendal."),
    ],
)
def test_who_cannot_support_is_told_why(client, personas, who, reason):
    proposal = proposal_in(personas.arendal, author=personas.youth_member_a)
    client.force_login(getattr(personas, who))
    section = support_section(
        client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    )
    assert reverse("participation:proposal_support", args=[proposal.pk]) not in section
    assert reason in section


# --- Votes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("child_a", "Du kan være med fra det året du fyller 13."),
        ("youth_b", "Dette er for ungdom som bor eller går på skole i Arendal."),
        ("unconfirmed", "Bekreft e-postadressen din først"),
    ],
)
def test_who_cannot_vote_is_told_why(client, personas, who, reason):
    round_ = voting_round(personas.arendal)
    if who == "unconfirmed":
        user = personas.youth_a
        user.email_confirmed_at = None
        user.save(update_fields=["email_confirmed_at"])
    else:
        user = getattr(personas, who)
    client.force_login(user)
    text = client.get(reverse("participation:budget_detail", args=[round_.pk])).text
    assert reverse("participation:budget_vote", args=[round_.pk]) not in text
    assert reason in text


def test_a_closed_vote_says_so(client, personas):
    round_ = voting_round(personas.arendal)
    client.force_login(personas.youth_a)
    with time_machine.travel(timezone.now() + 6 * DAY):
        text = client.get(reverse("participation:budget_detail", args=[round_.pk])).text
    assert reverse("participation:budget_vote", args=[round_.pk]) not in text
    assert "Avstemningen er over." in text


# --- The "Stem nå" banner ----------------------------------------------------------------------


def pages_for(personas):
    return {
        "front page": reverse("organisations:home"),
        "municipality": reverse("organisations:municipality_detail", args=["4203"]),
        "say": reverse("mypage:say"),
        "my page": reverse("mypage:index"),
    }


@pytest.mark.parametrize("page", ["front page", "municipality", "say", "my page"])
def test_a_youth_of_the_municipality_sees_stem_na_while_the_vote_runs(client, personas, page):
    round_ = voting_round(personas.arendal)
    client.force_login(personas.youth_a)
    text = client.get(pages_for(personas)[page]).text
    assert 'data-testid="vote-banner"' in text
    assert reverse("participation:budget_detail", args=[round_.pk]) in text
    with time_machine.travel(timezone.now() + 6 * DAY):
        assert 'data-testid="vote-banner"' not in client.get(pages_for(personas)[page]).text


@pytest.mark.parametrize("page", ["front page", "municipality", "say", "my page"])
@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "guardian_a", "coordinator", "admin"])
def test_adults_and_staff_never_see_stem_na(client, personas, page, who):
    voting_round(personas.arendal)
    client.force_login(getattr(personas, who))
    assert 'data-testid="vote-banner"' not in client.get(pages_for(personas)[page]).text


@pytest.mark.parametrize("who", ["child_a", "youth_b"])
def test_youth_who_may_not_vote_there_do_not_see_stem_na(client, personas, who):
    voting_round(personas.arendal)
    client.force_login(getattr(personas, who))
    text = client.get(reverse("organisations:municipality_detail", args=["4203"])).text
    assert 'data-testid="vote-banner"' not in text


def test_a_visitor_sees_stem_na_on_the_municipality_page(client, personas):
    """Not logged in, the visitor may be a youth of the municipality: the banner leads them on."""
    voting_round(personas.arendal)
    text = client.get(reverse("organisations:municipality_detail", args=["4203"])).text
    assert 'data-testid="vote-banner"' in text
    assert 'data-testid="vote-banner"' not in client.get(reverse("organisations:home")).text
