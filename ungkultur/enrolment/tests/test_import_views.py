from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment, OfferRef, Participant

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def url(unit):
    return reverse("enrolment:import", args=[unit.pk])


def upload(name):
    return SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv")


def post(client, user, unit, name="import_good_comma.csv"):
    client.force_login(user)
    return client.post(url(unit), {"file": upload(name)})


def stored():
    return (OfferRef.objects.count(), Participant.objects.count(), Enrolment.objects.count())


def test_staff_of_the_unit_sees_the_form_and_the_format(client, personas):
    client.force_login(personas.rector_a)
    response = client.get(url(personas.a.kulturskole))
    assert response.status_code == 200
    assert "Importer påmeldinger til Arendal kulturskole" in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert 'type="file"' in response.text
    assert '<label class="ds-label" for="id_file">' in response.text
    assert (
        "elevnummer;<wbr>fødselsår;<wbr>kjønn;<wbr>fag-id;<wbr>fag;<wbr>"
        "startdato;<wbr>sluttdato;<wbr>sluttårsak"
    ) in response.text
    assert reverse("enrolment:import_template") in response.text


@pytest.mark.parametrize("who", ["rector_a", "leader_a", "admin"])
def test_who_may_import_gets_the_report(client, personas, who):
    response = post(client, getattr(personas, who), personas.a.kulturskole)

    assert response.status_code == 200
    assert "Importen er ferdig" in response.text
    assert "7 nye, 0 endret, 0 uendret; 6 nye deltakere; 3 nye tilbud" in response.text
    assert reverse("catalogue:unit_offers", args=[personas.a.kulturskole.pk]) in response.text
    assert stored() == (3, 6, 7)
    entry = AuditEntry.objects.get(action="enrolment.imported")
    assert entry.actor == getattr(personas, who)
    assert entry.object_id == str(personas.a.kulturskole.pk)


def test_importing_the_same_upload_again_changes_nothing(client, personas):
    post(client, personas.rector_a, personas.a.kulturskole)
    response = post(client, personas.rector_a, personas.a.kulturskole)
    assert "0 nye, 0 endret, 7 uendret." in response.text
    assert stored() == (3, 6, 7)


@pytest.mark.parametrize("who", ["youth_a", "coordinator", "guardian_a", "youth_member_a"])
def test_others_in_the_municipality_may_not(client, personas, who):
    response = post(client, getattr(personas, who), personas.a.kulturskole)
    assert response.status_code == 403
    assert stored() == (0, 0, 0)


def test_staff_of_another_unit_may_not(client, personas):
    response = post(client, personas.a.club_worker, personas.a.kulturskole)
    assert response.status_code == 403
    assert stored() == (0, 0, 0)


@pytest.mark.parametrize("who", ["teacher_b", "leader_b", "researcher"])
def test_another_municipalitys_unit_is_not_found(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(url(personas.a.kulturskole)).status_code == 404
    response = post(client, getattr(personas, who), personas.a.kulturskole)
    assert response.status_code == 404
    assert stored() == (0, 0, 0)


def test_unknown_unit_is_not_found(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("enrolment:import", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, personas):
    response = client.post(url(personas.a.kulturskole), {"file": upload("import_good_comma.csv")})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert stored() == (0, 0, 0)


def test_bad_file_is_400_with_every_error_and_nothing_written(client, personas):
    response = post(client, personas.rector_a, personas.a.kulturskole, "import_bad.csv")

    assert response.status_code == 400
    assert "Filen har 15 feil, så ingenting ble importert." in response.text
    assert "Linje 3: person_ref mangler." in response.text
    assert "Linje 17: start_date er før fødselsåret." in response.text
    assert response.text.count("<li>Linje ") == 15
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_file_helptext id_file_error"' in response.text
    assert stored() == (0, 0, 0)
    assert not AuditEntry.objects.exists()


def test_missing_file_is_400(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(url(personas.a.kulturskole), {})
    assert response.status_code == 400
    assert "Velg filen du vil importere." in response.text
    assert 'aria-invalid="true"' in response.text
    assert stored() == (0, 0, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "Filen er tom."), (b"navn,alder\n", "Linje 1: finner ikke kolonnene for")],
)
def test_empty_or_wrong_file_is_400(client, personas, content, message):
    client.force_login(personas.rector_a)
    response = client.post(
        url(personas.a.kulturskole), {"file": SimpleUploadedFile("fil.csv", content)}
    )
    assert response.status_code == 400
    assert message in response.text
    assert stored() == (0, 0, 0)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405(client, personas, method):
    client.force_login(personas.rector_a)
    assert getattr(client, method)(url(personas.a.kulturskole)).status_code == 405
