import pytest
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.participation.models import (
    Comment,
    Notification,
    ParticipantProfile,
    Proposal,
    ProposalEvent,
    ProposalSupport,
)
from ungkultur.participation.tests.conftest import answered, make_proposal

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Åpent lydstudio",
    "text": "Vi vil ha et lydstudio på klubben på fredager.",
    "category": "music",
    "services": ["club", "ukm"],
}


def new_url(personas):
    return reverse("participation:proposal_new", args=[personas.arendal.code])


def test_youth_proposes_and_gets_a_deadline(client, personas):
    client.force_login(personas.youth_a)
    response = client.post(new_url(personas), VALID)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("participation:proposal_detail", args=[proposal.pk])
    assert proposal.author == personas.youth_a
    assert proposal.author_name == ""  # no nickname: no name in public (docs/privacy.md)
    assert proposal.services == ["club", "ukm"]
    assert str(proposal.answer_due) == "2026-12-26"  # 30 days by default
    assert ProposalEvent.objects.get(proposal=proposal).status == "submitted"
    assert AuditEntry.objects.filter(action="participation.proposal_create").count() == 1


def test_public_name_is_the_nickname_when_chosen(client, personas):
    personas.youth_a.nickname = "Lydnerd"
    personas.youth_a.save()
    client.force_login(personas.youth_a)
    client.post(new_url(personas), VALID)
    proposal = Proposal.objects.get()
    assert proposal.author_name == "Lydnerd"
    page = client.get(reverse("participation:proposal_detail", args=[proposal.pk]))
    assert "Lydnerd" in page.text
    assert "Testesen" not in page.text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("youth_member_a", 200),
        ("youth_a", 200),
        ("child_a", 403),  # 11 years old
        ("leader_a", 403),  # staff, not youth
        ("teacher_a", 403),
        ("youth_b", 404),  # lives in Sola
        ("leader_b", 404),
    ],
)
def test_who_may_propose(client, personas, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(new_url(personas)).status_code == status


def test_anonymous_is_sent_to_log_in(client, personas):
    response = client.get(new_url(personas))
    assert response.status_code == 302
    assert "/konto/" in response.url


def test_youth_going_to_school_in_the_municipality_may_propose(client, personas):
    ParticipantProfile.objects.create(user=personas.youth_b, school_municipality=personas.arendal)
    client.force_login(personas.youth_b)
    assert client.post(new_url(personas), VALID).status_code == 302
    assert Proposal.objects.get().municipality == personas.arendal


def test_school_municipality_is_declared_on_the_settings_page(client, personas):
    client.force_login(personas.youth_b)
    response = client.post(
        reverse("participation:profile"),
        {"school_municipality": personas.arendal.pk, "email_digest": "on"},
    )
    assert response.status_code == 302
    assert client.get(new_url(personas)).status_code == 200


def test_bad_input_answers_400_and_stores_nothing(client, personas):
    client.force_login(personas.youth_a)
    response = client.post(new_url(personas), {**VALID, "title": "", "services": ["zoo"]})
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.text
    assert not Proposal.objects.exists()


def test_support_once_only(client, personas, proposal):
    client.force_login(personas.youth_member_a)
    url = reverse("participation:proposal_support", args=[proposal.pk])
    assert client.post(url).status_code == 302
    second = client.post(url)
    assert second.status_code == 400
    assert "Du støtter allerede dette forslaget." in second.text
    assert ProposalSupport.objects.filter(proposal=proposal).count() == 1
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [("youth_a", 403), ("leader_a", 403), ("child_a", 403), ("youth_b", 404)],
)
def test_who_may_not_support(client, personas, proposal, who, status):
    client.force_login(getattr(personas, who))
    url = reverse("participation:proposal_support", args=[proposal.pk])
    assert client.post(url).status_code == status
    assert not ProposalSupport.objects.exists()


def test_an_answered_proposal_cannot_be_supported(client, personas, proposal):
    answered(proposal, personas)
    client.force_login(personas.youth_member_a)
    response = client.post(reverse("participation:proposal_support", args=[proposal.pk]))
    assert response.status_code == 403


def test_support_can_be_withdrawn(client, personas, proposal):
    ProposalSupport.objects.create(
        proposal=proposal, user=personas.youth_member_a, created_at=proposal.submitted_at
    )
    client.force_login(personas.youth_member_a)
    url = reverse("participation:proposal_unsupport", args=[proposal.pk])
    assert client.post(url).status_code == 302
    assert not ProposalSupport.objects.exists()
    assert client.post(url).status_code == 400


def test_comment_and_notice_to_the_author(client, personas, proposal):
    client.force_login(personas.youth_member_a)
    url = reverse("participation:comment_new", args=[proposal.pk])
    assert client.post(url, {"text": "Så bra!"}).status_code == 302
    comment = Comment.objects.get()
    assert comment.author_name == ""  # a youth without a nickname is not named
    notice = Notification.objects.exclude(kind="new_proposal").get()
    assert (notice.user, notice.kind) == (personas.youth_a, "comment")
    assert client.post(url, {"text": " "}).status_code == 400
    assert Comment.objects.count() == 1


def test_staff_may_comment_but_not_another_municipality(client, personas, proposal):
    url = reverse("participation:comment_new", args=[proposal.pk])
    client.force_login(personas.teacher_a)
    assert client.post(url, {"text": "Vi kan hjelpe."}).status_code == 302
    client.force_login(personas.teacher_b)
    assert client.post(url, {"text": "Hei"}).status_code == 404
    client.force_login(personas.child_a)
    assert client.post(url, {"text": "Hei"}).status_code == 403
    assert Comment.objects.count() == 1


def test_reported_comment_is_hidden_until_a_moderator_decides(client, personas, proposal, settings):
    settings.UNGKULTUR_PARTICIPATION_REPORTS_TO_HIDE = 2
    comment = Comment.objects.create(
        proposal=proposal,
        author=personas.youth_a,
        author_name="UngdomA",
        text="Dumt",
        created_at=proposal.submitted_at,
    )
    report = reverse("participation:comment_report", args=[comment.pk])
    detail = reverse("participation:proposal_detail", args=[proposal.pk])
    client.force_login(personas.youth_member_a)
    assert client.post(report, {"reason": "stygt"}).status_code == 302
    again = client.post(report)
    assert again.status_code == 400
    assert "allerede rapportert" in again.text
    client.force_login(personas.teacher_a)
    client.post(report)
    comment.refresh_from_db()
    assert comment.state == Comment.State.HIDDEN
    assert "Dumt" not in client.get(detail).text
    # The moderator sees it, and decides.
    client.force_login(personas.teacher_a)
    assert client.post(reverse("participation:comment_keep", args=[comment.pk])).status_code == 403
    client.force_login(personas.leader_b)
    assert client.post(reverse("participation:comment_keep", args=[comment.pk])).status_code == 404
    client.force_login(personas.leader_a)
    assert "Dumt" in client.get(detail).text
    assert client.post(reverse("participation:comment_keep", args=[comment.pk])).status_code == 302
    comment.refresh_from_db()
    assert comment.state == Comment.State.KEPT
    client.logout()
    assert "Dumt" in client.get(detail).text


def test_moderator_removes_a_comment(client, personas, proposal):
    comment = Comment.objects.create(
        proposal=proposal,
        author=personas.youth_a,
        author_name="UngdomA",
        text="Søppel",
        created_at=proposal.submitted_at,
        state=Comment.State.HIDDEN,
    )
    client.force_login(personas.coordinator)
    assert (
        client.post(reverse("participation:comment_remove", args=[comment.pk])).status_code == 302
    )
    comment.refresh_from_db()
    assert comment.state == Comment.State.REMOVED
    assert AuditEntry.objects.filter(action="participation.comment_moderate").exists()


# --- Answering ------------------------------------------------------------------------------


def answer_url(proposal):
    return reverse("participation:proposal_answer", args=[proposal.pk])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("leader_a", 200),
        ("coordinator", 200),
        ("admin", 200),
        ("teacher_a", 403),
        ("youth_member_a", 403),
        ("youth_a", 403),
        ("leader_b", 404),
        ("youth_b", 404),
    ],
)
def test_who_may_answer(client, personas, proposal, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(answer_url(proposal)).status_code == status


def test_answer_with_youth_and_everyone_hears(client, personas, proposal, mailoutbox):
    ProposalSupport.objects.create(
        proposal=proposal, user=personas.youth_member_a, created_at=proposal.submitted_at
    )
    client.force_login(personas.leader_a)
    consider = client.post(
        reverse("participation:proposal_consider", args=[proposal.pk]),
        {"note": "Møtet 3. desember"},
    )
    assert consider.status_code == 302
    response = client.post(
        answer_url(proposal),
        {
            "status": "partly_accepted",
            "answer": "Vi åpner studioet én fredag i måneden.",
            "youth_participants": [personas.youth_member_a.pk],
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "partly_accepted"
    assert proposal.answered_by == personas.leader_a
    assert list(proposal.youth_participants.all()) == [personas.youth_member_a]
    assert list(proposal.events.values_list("status", flat=True)) == [
        "submitted",
        "considering",
        "partly_accepted",
    ]
    assert proposal.events.last().actor == personas.leader_a
    notices = Notification.objects.filter(status="partly_accepted")
    assert {n.user for n in notices} == {personas.youth_a, personas.youth_member_a}
    assert AuditEntry.objects.filter(action="participation.proposal_partly_accepted").exists()
    # Notices go out as a digest, not one mail per change.
    assert mailoutbox == []
    page = client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    assert "Vi åpner studioet én fredag i måneden." in page
    assert "RessursA" in page


def test_answer_needs_a_justification_and_resource_group_youth(client, personas, proposal):
    client.force_login(personas.leader_a)
    response = client.post(
        answer_url(proposal),
        {"status": "rejected", "answer": "  ", "youth_participants": [personas.youth_a.pk]},
    )
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.text
    assert "Velg et gyldig valg" in response.text
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert proposal.answered_at is None


def test_an_answered_proposal_cannot_be_answered_again(client, personas, proposal):
    answered(proposal, personas)
    client.force_login(personas.leader_a)
    response = client.post(answer_url(proposal), {"status": "rejected", "answer": "Nei"})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_follow_up_to_implemented_with_an_offer(client, personas, proposal):
    answered(proposal, personas)
    client.force_login(personas.leader_a)
    url = reverse("participation:proposal_follow_up", args=[proposal.pk])
    empty = client.post(url, {"status": "implemented"})
    assert empty.status_code == 400
    assert "Fortell hva som kom ut av forslaget" in empty.text
    other = client.post(url, {"status": "implemented", "outcome_offer": personas.b.open_club.pk})
    assert other.status_code == 400
    assert (
        client.post(url, {"status": "in_progress", "note": "Utstyr er bestilt"}).status_code == 302
    )
    response = client.post(url, {"status": "implemented", "outcome_offer": personas.a.open_club.pk})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "implemented"
    assert proposal.outcome_offer == personas.a.open_club
    assert proposal.implemented_at is not None
    page = client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    assert "Åpen klubb" in page
    assert "Utstyr er bestilt" in page


def test_follow_up_is_refused_before_an_answer(client, personas, proposal):
    client.force_login(personas.leader_a)
    response = client.get(reverse("participation:proposal_follow_up", args=[proposal.pk]))
    assert response.status_code == 400


def test_overdue_proposals_stand_out_for_the_project_leader(client, personas):
    import datetime

    from ungkultur.participation.tests.conftest import NOW

    old = make_proposal(personas, title="Gammel idé", now=NOW - datetime.timedelta(days=40))
    make_proposal(personas, title="Ny idé")
    url = reverse("participation:follow_up_list", args=[personas.arendal.code])
    client.force_login(personas.teacher_a)
    assert client.get(url).status_code == 403
    client.force_login(personas.leader_b)
    assert client.get(url).status_code == 404
    client.force_login(personas.leader_a)
    response = client.get(url)
    assert response.status_code == 200
    assert [p.pk for p in response.context["overdue"]] == [old.pk]
    assert "1 forslag har passert svarfristen" in response.text


def test_project_leader_sets_the_deadline(client, personas):
    url = reverse("participation:municipality_settings", args=[personas.arendal.code])
    client.force_login(personas.teacher_a)
    assert client.post(url, {"answer_days": 14}).status_code == 403
    client.force_login(personas.leader_a)
    assert client.post(url, {"answer_days": 0}).status_code == 400
    assert client.post(url, {"answer_days": 14}).status_code == 302
    proposal = make_proposal(personas)
    assert str(proposal.answer_due) == "2026-12-10"
