"""The youth resource group's part is the group's voice: a youth is named with it only after
their own consent (from 15; below that a guardian's), only those who consented are named, and
the name leaves the report page, the PDF and the open API when the consent is withdrawn."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ungkultur.accounts.models import Guardianship
from ungkultur.core.models import AuditEntry
from ungkultur.evaluations import services
from ungkultur.evaluations.models import Answer, NamedInYouthPart
from ungkultur.organisations.models import Membership
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db


def youth_member(personas, key, *, age, nickname=""):
    user = make_user(
        f"{key}@example.org", first_name=key.capitalize(),
        birth_year=timezone.localdate().year - age, municipality=personas.arendal,
        nickname=nickname,
    )  # fmt: skip
    Membership.objects.create(group=personas.a.resource_group, user=user,
                              role=Membership.Role.YOUTH_MEMBER, start=START)  # fmt: skip
    return user


@pytest.fixture
def group(personas, round_):
    """A submitted, published youth part; three more members: 13, 16 (silent) and 17."""
    g = {
        "older": personas.youth_member_a,  # RessursA, born 2010
        "younger": youth_member(personas, "lillebror", age=13),
        "silent": youth_member(personas, "tauspeder", age=16),
        "nick": youth_member(personas, "ekteolsen", age=17, nickname="Trommis"),
    }
    g["guardian"] = make_user("mor@example.org", first_name="Mor", municipality=personas.arendal)
    confirmed = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    Guardianship.objects.create(guardian=g["guardian"], child=g["younger"], confirmed_at=confirmed)
    now = timezone.now()
    answer = services.answer_save(
        actor=g["older"], round=round_, municipality=personas.arendal, part="youth",
        texts={q.pk: "Vi vil ha mer å si" for q in round_.questions.all()}, published=True,
        now=now,
    )  # fmt: skip
    services.answer_submit(actor=g["older"], answer=answer, now=now)
    g["answer"] = answer
    return g


def name_url(round_, code="4203"):
    return reverse("evaluations:answer_name", args=[code, round_.pk])


def everywhere(client, personas) -> str:
    """The report page, the PDF's text and the open API, as one text."""
    client.force_login(personas.coordinator)
    page = client.get(reverse("evaluations:report")).text
    pdf = client.get(reverse("evaluations:report_pdf"))
    assert pdf.status_code == 200
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    client.logout()
    api = client.get(reverse("api:municipality_evaluations", args=["4203"])).text
    return "\n".join((page, pdf_text, api))


def test_nobody_is_named_without_consent(client, personas, group):
    shown = everywhere(client, personas)
    assert "Ressursgruppen" in shown
    for key in ("older", "younger", "silent", "nick"):
        assert group[key].first_name not in shown
    assert "Trommis" not in shown
    api = client.get(reverse("api:municipality_evaluations", args=["4203"])).json()
    assert api["results"][0]["named"] == []


def test_a_youth_of_15_or_more_opts_in_and_only_they_are_named(client, personas, group, round_):
    for key in ("older", "nick"):
        client.force_login(group[key])
        assert client.post(name_url(round_)).status_code == 302
    shown = everywhere(client, personas)
    assert "RessursA" in shown and "Trommis" in shown  # the nickname when there is one
    for hidden in ("Tauspeder", "Lillebror", "Ekteolsen"):
        assert hidden not in shown
    api = client.get(reverse("api:municipality_evaluations", args=["4203"])).json()
    assert api["results"][0]["named"] == ["RessursA", "Trommis"]
    client.force_login(personas.coordinator)
    assert "Ressursgruppen: RessursA, Trommis" in client.get(reverse("evaluations:report")).text
    entries = AuditEntry.objects.filter(action="evaluations.youth_name_give")
    assert sorted((e.changes["youth"], e.changes["given_by"]) for e in entries) == sorted(
        [(group["older"].pk, "self"), (group["nick"].pk, "self")]
    )


def test_withdrawing_removes_the_name_everywhere(client, personas, group, round_):
    client.force_login(group["older"])
    client.post(name_url(round_))
    assert "RessursA" in everywhere(client, personas)
    client.force_login(group["older"])
    client.post(name_url(round_), {"withdraw": "1"})
    assert not NamedInYouthPart.objects.exists()
    assert "RessursA" not in everywhere(client, personas)
    assert AuditEntry.objects.filter(action="evaluations.youth_name_withdraw").count() == 1


def test_under_15_the_youth_cannot_opt_in_alone(client, personas, group, round_):
    client.force_login(group["younger"])
    page = client.get(reverse("evaluations:answer_edit", args=["4203", round_.pk, "youth"]))
    assert "Du er under 15 år, så det er en foresatt som bestemmer" in page.text
    assert f'href="{reverse("evaluations:guardian_names")}"' in page.text
    response = client.post(name_url(round_), follow=True)
    assert "Du er under 15 år, så en foresatt må samtykke til at navnet ditt vises." in (
        response.text
    )
    assert not NamedInYouthPart.objects.exists()
    assert not AuditEntry.objects.filter(action="evaluations.youth_name_give").exists()
    assert "Lillebror" not in everywhere(client, personas)


def test_a_guardian_decides_for_a_child_under_15(client, personas, group, round_):
    client.force_login(group["guardian"])
    page = client.get(reverse("evaluations:guardian_names"))
    assert "Lillebror" in page.text and round_.title in page.text
    data = {"child": group["younger"].pk, "answer": group["answer"].pk}
    assert client.post(reverse("evaluations:guardian_names"), data).status_code == 302
    named = NamedInYouthPart.objects.get()
    assert (named.youth, named.grantor, named.given_by) == (
        group["younger"], group["guardian"], "guardian",
    )  # fmt: skip
    assert named.age_at_time == 13
    assert "Lillebror" in everywhere(client, personas)
    # The child may always take it back.
    client.force_login(group["younger"])
    client.post(name_url(round_), {"withdraw": "1"})
    assert not NamedInYouthPart.objects.exists()
    assert "Lillebror" not in everywhere(client, personas)


def test_a_guardian_cannot_name_another_child_or_one_over_15(client, personas, group):
    client.force_login(group["guardian"])
    for child in (group["silent"], group["older"]):
        data = {"child": child.pk, "answer": group["answer"].pk}
        assert client.post(reverse("evaluations:guardian_names"), data).status_code == 404
    # Another guardian (of a child not in a resource group) sees nothing to decide.
    client.force_login(personas.guardian_a)
    assert "Ingen av barna dine" in client.get(reverse("evaluations:guardian_names")).text
    data = {"child": group["younger"].pk, "answer": group["answer"].pk}
    assert client.post(reverse("evaluations:guardian_names"), data).status_code == 404
    assert not NamedInYouthPart.objects.exists()


@pytest.mark.parametrize(("who", "code", "status"),
                         [("teacher_a", "4203", 403), ("youth_a", "4203", 403),
                          ("leader_b", "4203", 404), ("youth_member_a", "1124", 404)])  # fmt: skip
def test_only_the_groups_own_youth_may_be_named(client, personas, group, round_, who, code, status):
    client.force_login(getattr(personas, who))
    assert client.post(name_url(round_, code)).status_code == status
    assert not NamedInYouthPart.objects.exists()


def test_the_project_groups_part_has_no_names(personas, group, round_):
    now = timezone.now()
    answer = services.answer_save(
        actor=personas.leader_a, round=round_, municipality=personas.arendal,
        part="project_group", texts={}, now=now,
    )  # fmt: skip
    with pytest.raises(Exception, match="Bare ressursgruppas svar"):
        services.youth_name_give(actor=group["older"], answer=answer, youth=group["older"], now=now)
    assert Answer.objects.count() == 2 and not NamedInYouthPart.objects.exists()


def test_the_guardians_min_side_links_to_the_decision(client, personas, group):
    page_url = reverse("mypage:index")
    link = f'href="{reverse("evaluations:guardian_names")}"'
    client.force_login(group["guardian"])
    page = client.get(page_url)
    assert page.status_code == 200
    assert link in page.text
    assert "Bestem om navnet til Lillebror vises" in page.text
    # Once decided, it is still there to change, without asking again.
    data = {"child": group["younger"].pk, "answer": group["answer"].pk}
    client.post(reverse("evaluations:guardian_names"), data)
    page = client.get(page_url)
    assert link in page.text and "Bestem om navnet" not in page.text
    assert "Navnet til Lillebror i ressursgruppas evaluering" in page.text


def test_no_link_without_a_decision_to_make(client, personas, group):
    # A guardian of a child not in a resource group, a child of 15 or more, nobody's guardian.
    older_guardian = make_user("far@example.org", first_name="Far", municipality=personas.arendal)
    Guardianship.objects.create(
        guardian=older_guardian, child=group["silent"],
        confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    link = f'href="{reverse("evaluations:guardian_names")}"'
    for user in (personas.guardian_a, older_guardian, personas.leader_a):
        client.force_login(user)
        page = client.get(reverse("mypage:index"))
        assert page.status_code == 200
        assert link not in page.text, user
