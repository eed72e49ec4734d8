import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ungkultur.participation.models import DigestSent, Notification, ParticipantProfile
from ungkultur.participation.services import digests_send, proposal_consider
from ungkultur.participation.tasks import send_participation_digests
from ungkultur.participation.tests.conftest import NOW, answered, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the digest and the e-mail it enqueues after commit."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return digests_send(now=now)

    return run


@pytest.fixture
def two_changes(personas, proposal):
    proposal_consider(actor=personas.leader_a, proposal=proposal, now=NOW)
    answered(proposal, personas)
    return proposal


def test_one_digest_a_day_with_every_notice(personas, two_changes, mailoutbox, send):
    assert send(NOW) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [personas.youth_a.email]
    assert "til behandling" in mail.body
    assert "vedtatt" in mail.body
    assert "/varsler/" in mail.body
    assert DigestSent.objects.get().day == datetime.date(2026, 11, 26)
    # A new change later the same day waits for tomorrow's digest.
    make_proposal(personas, title="Nummer to", author=personas.youth_member_a)
    proposal = make_proposal(personas, title="Tre")
    proposal_consider(actor=personas.leader_a, proposal=proposal, now=NOW)
    assert send(NOW + datetime.timedelta(hours=3)) == 0
    assert len(mailoutbox) == 1
    assert send(NOW + datetime.timedelta(days=1)) == 1
    assert len(mailoutbox) == 2
    assert "Tre" in mailoutbox[1].body
    assert "Lydstudio" not in mailoutbox[1].body


def test_no_digest_for_those_who_opted_out(personas, two_changes, mailoutbox, send):
    ParticipantProfile.objects.create(user=personas.youth_a, email_digest=False)
    assert send(NOW) == 0
    assert mailoutbox == []
    # The in-app notices are still there.
    assert Notification.objects.filter(user=personas.youth_a).count() == 2


def test_the_task_and_the_command_send_the_digest(
    personas, two_changes, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = send_participation_digests.enqueue()
    assert result.return_value == 1
    call_command("send_participation_digests")
    assert len(mailoutbox) == 1


def test_notification_list_and_mark_read(client, personas, two_changes):
    client.force_login(personas.youth_a)
    response = client.get(reverse("participation:notifications"))
    assert response.status_code == 200
    assert "2 uleste varsler" in response.text
    assert "«Lydstudio» har fått ny status: vedtatt." in response.text
    assert client.post(reverse("participation:notifications_read")).status_code == 302
    assert not Notification.objects.filter(user=personas.youth_a, read_at__isnull=True).exists()
    # Only one's own: the project leader's notice of the new proposal stays unread.
    assert Notification.objects.filter(user=personas.leader_a, read_at__isnull=True).exists()
    assert client.post(reverse("participation:notifications")).status_code == 405


def test_others_do_not_see_my_notifications(client, personas, two_changes):
    client.force_login(personas.youth_b)
    response = client.get(reverse("participation:notifications"))
    assert "Lydstudio" not in response.text


def test_my_page_shows_my_proposals_and_notices(client, personas, two_changes):
    client.force_login(personas.youth_a)
    response = client.get(reverse("mypage:index"))
    assert response.status_code == 200
    assert "Forslagene mine" in response.text
    assert "Lydstudio" in response.text
    assert "Varsler (2 uleste)" in response.text
    client.force_login(personas.youth_b)
    assert "Forslagene mine" not in client.get(reverse("mypage:index")).text


def test_the_header_counts_unread_notices_from_the_cache(
    client, personas, two_changes, django_capture_on_commit_callbacks
):
    home = reverse("organisations:home")
    client.force_login(personas.youth_a)
    response = client.get(home)
    assert 'data-count="2"' in response.text and "(2 uleste varsler)" in response.text
    with CaptureQueriesContext(connection) as queries:
        client.get(home)
    assert not [q for q in queries if "participation_notification" in q["sql"]]
    # A new notice and reading them all show at once.
    with django_capture_on_commit_callbacks(execute=True):
        proposal_consider(
            actor=personas.leader_a, proposal=make_proposal(personas, title="Tre"), now=NOW
        )
    assert "(3 uleste varsler)" in client.get(home).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participation:notifications_read"))
    assert "data-count" not in client.get(home).text
    # Someone else's count is their own.
    client.force_login(personas.youth_b)
    assert "data-count" not in client.get(home).text
