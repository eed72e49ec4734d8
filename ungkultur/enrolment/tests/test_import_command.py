from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment, Participant

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def test_command_imports_and_prints_the_report(personas):
    out = StringIO()
    call_command(
        "import_enrolments",
        str(DATA / "import_good_semicolon_bom.csv"),
        "--unit",
        str(personas.a.kulturskole.pk),
        stdout=out,
    )
    assert out.getvalue().startswith("7 nye, 0 endret, 0 uendret; 6 nye deltakere;")
    assert Enrolment.objects.filter(offer__unit=personas.a.kulturskole).count() == 7
    entry = AuditEntry.objects.get(action="enrolment.imported")
    assert entry.actor is None


def test_command_twice_changes_nothing(personas):
    args = [str(DATA / "import_good_comma.csv"), "--unit", str(personas.a.kulturskole.pk)]
    call_command("import_enrolments", *args, stdout=StringIO())
    out = StringIO()
    call_command("import_enrolments", *args, stdout=out)
    assert out.getvalue().strip() == "0 nye, 0 endret, 7 uendret."


def test_command_reports_bad_rows_and_writes_nothing(personas):
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_enrolments",
            str(DATA / "import_bad.csv"),
            "--unit",
            str(personas.a.kulturskole.pk),
        )
    message = str(raised.value)
    assert message.startswith("Ingenting ble importert: 15 feil i filen.")
    assert (
        "  Linje 5: ukjent kjønn «Q» (bruk K eller J for jente, G eller M for gutt, X for "
        "annet, eller la feltet stå tomt)."
    ) in message
    assert not Participant.objects.exists()
    assert not Enrolment.objects.exists()


def test_command_shows_the_first_fifty_errors(personas, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "person_ref,birth_year,gender,offer_ref,offer_title,start_date,end_date,end_reason\n"
        + "P-1,2011,F,G,Gitar,,,\n" * 60
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_enrolments", str(path), "--unit", str(personas.a.kulturskole.pk))
    lines = str(raised.value).splitlines()
    assert lines[0] == "Ingenting ble importert: 60 feil i filen."
    assert lines[50] == "  Linje 51: start_date mangler."
    assert lines[-1] == "  … og 10 feil til."


def test_command_refuses_an_unknown_unit(personas):
    with pytest.raises(CommandError, match="Fant ingen enhet med id 999999."):
        call_command("import_enrolments", str(DATA / "import_good_comma.csv"), "--unit", "999999")
    assert not Enrolment.objects.exists()


def test_command_refuses_a_missing_file(personas, tmp_path):
    with pytest.raises(CommandError, match="Kan ikke lese"):
        call_command(
            "import_enrolments",
            str(tmp_path / "finnes-ikke.csv"),
            "--unit",
            str(personas.a.kulturskole.pk),
        )


def test_command_needs_a_unit(personas):
    with pytest.raises(CommandError, match="--unit"):
        call_command("import_enrolments", str(DATA / "import_good_comma.csv"))
