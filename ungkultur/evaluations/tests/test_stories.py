import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.evaluations import services
from ungkultur.evaluations.models import Story
from ungkultur.planning.models import CollaborationModel

pytestmark = pytest.mark.django_db

STORY = {
    "title": "Klubben og kulturskolen laget festival",
    "what": "En festival planlagt av ungdom.",
    "who": "Fritidsklubben, kulturskolen og UKM.",
    "outcome": "Flere nye deltakere i kulturskolen.",
    "tags": "Festival, ungdomsmedvirkning",
}


@pytest.fixture
def model(personas):
    return CollaborationModel.objects.create(
        title="Felles vårfestival", what="x", who="y", how="z", municipality=personas.arendal,
        created_at=timezone.now(),
    )  # fmt: skip


def create_url(code="4203"):
    return reverse("evaluations:story_create", args=[code])


def test_staff_publish_a_story_linked_to_a_model_and_audited(client, personas, model):
    client.force_login(personas.teacher_a)
    response = client.post(create_url(), {**STORY, "collaboration_model": model.pk})
    story = Story.objects.get()
    assert response.status_code == 302
    assert story.tags == ["festival", "ungdomsmedvirkning"]
    assert AuditEntry.objects.filter(action="evaluations.story_publish").exists()
    page = client.get(reverse("planning:model_detail", args=[model.pk])).text
    assert story.title in page
    assert "Se suksesshistoriene" in client.get(reverse("planning:model_list")).text


def test_a_story_showing_people_without_consent_is_refused(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(create_url(), {**STORY, "shows_people": "on", "consent": " "})
    assert response.status_code == 400
    assert "Historien navngir eller viser personer. Skriv hvem som har samtykket" in response.text
    assert not Story.objects.exists()
    assert not AuditEntry.objects.filter(action="evaluations.story_publish").exists()


def test_with_consent_recorded_it_is_published(client, personas):
    client.force_login(personas.leader_a)
    client.post(create_url(), {**STORY, "shows_people": "on", "consent": "Skriftlig, 3 elever"})
    assert Story.objects.get().consent == "Skriftlig, 3 elever"


def test_the_database_refuses_people_without_consent_too(personas):
    with pytest.raises(Exception):  # noqa: B017 - the CheckConstraint (IntegrityError)
        Story.objects.create(
            municipality=personas.arendal, title="x", what="x", who="x", outcome="x",
            shows_people=True, consent="", published_at=timezone.now(),
        )  # fmt: skip


@pytest.mark.parametrize("who", ["youth_member_a", "youth_a"])
def test_youth_may_not_publish_for_the_municipality(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.post(create_url(), STORY).status_code == 403
    assert not Story.objects.exists()


def test_another_municipality_gets_404(client, personas):
    client.force_login(personas.leader_b)
    assert client.post(create_url(), STORY).status_code == 404
    assert not Story.objects.exists()


def test_the_public_page_searches_and_filters_by_tag(client, personas):
    now = timezone.now()
    for title, tags, municipality in (
        ("Festival i Arendal", ["festival"], personas.arendal),
        ("Lydstudio på Sola", ["musikk"], personas.sola),
    ):
        services.story_publish(
            actor=personas.admin, municipality=municipality, title=title, what="w", who="w",
            outcome="o", tags=tags, shows_people=False, now=now,
        )  # fmt: skip
    page = reverse("evaluations:story_list")
    assert [s.title for s in client.get(page, {"q": "lydstudio"}).context["stories"]] == [
        "Lydstudio på Sola"
    ]
    assert [s.title for s in client.get(page, {"q": "arendal"}).context["stories"]] == [
        "Festival i Arendal"
    ]
    assert [s.title for s in client.get(page, {"tag": "Musikk"}).context["stories"]] == [
        "Lydstudio på Sola"
    ]
    assert client.get(page).context["tags"] == ["festival", "musikk"]
    assert client.get(page, {"q": "x" * 101}).status_code == 400


def test_withdrawing_is_for_the_municipality_and_audited(client, personas):
    story = services.story_publish(
        actor=personas.leader_a, municipality=personas.arendal, title="t", what="w", who="w",
        outcome="o", tags=[], shows_people=False, now=timezone.now(),
    )  # fmt: skip
    client.force_login(personas.leader_b)
    assert client.post(reverse("evaluations:story_withdraw", args=[story.pk])).status_code == 404
    client.force_login(personas.youth_member_a)
    assert client.post(reverse("evaluations:story_withdraw", args=[story.pk])).status_code == 403
    assert Story.objects.exists()
    client.force_login(personas.teacher_a)
    client.post(reverse("evaluations:story_withdraw", args=[story.pk]))
    assert not Story.objects.exists()
    assert AuditEntry.objects.filter(action="evaluations.story_withdraw").exists()
