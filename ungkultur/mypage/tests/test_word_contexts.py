"""The Norwegian "gjennomført" and "Forslag" mean different things in different places, so each use
has its own translation context: a meeting is "held", a proposal "carried out", a competence order
"delivered"; "Forslag" on Si din mening is the plural heading ("Proposals"), not a table's
"Proposal" column. (English used "held" for all three and "Proposal" for the heading.)"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ungkultur.meetings.models import Event
from ungkultur.participation.models import Proposal
from ungkultur.planning.models import CompetenceOrder

pytestmark = pytest.mark.django_db


def test_each_status_reads_its_own_word_in_english():
    with translation.override("en"):
        assert str(Event.Status.HELD.label) == "held"
        assert str(Proposal.Status.IMPLEMENTED.label) == "carried out"
        assert str(CompetenceOrder.Status.DELIVERED.label) == "delivered"
        assert str(Proposal._meta.get_field("implemented_at").verbose_name) == "carried out"
        assert str(CompetenceOrder._meta.get_field("delivered_at").verbose_name) == "delivered"


def test_norwegian_is_unchanged():
    with translation.override("nb"):
        for label in (
            Event.Status.HELD.label,
            Proposal.Status.IMPLEMENTED.label,
            CompetenceOrder.Status.DELIVERED.label,
        ):
            assert str(label) == "gjennomført"


def test_the_proposals_heading_is_not_the_singular_column_word(client, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(personas.youth_a)
    response = client.get(reverse("mypage:say"))
    assert response.status_code == 200
    assert 'id="proposals-heading">Proposals<' in response.text
