"""Imports as the kulturskole systems export them: Norwegian headers and aliases, K/G/J/M
genders, Norwegian end reasons, extra columns, Excel, Windows-1252, a column step for unknown
headers (remembered per unit) and a template."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungkultur.accounts.models import Gender
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.importers import (
    EnrolmentImportError,
    ImportNeedsColumns,
    enrolments_import,
)
from ungkultur.enrolment.models import Enrolment, ImportColumns, OfferRef, Participant
from ungkultur.enrolment.tests.test_import_service import NOW, participant

pytestmark = pytest.mark.django_db

# As SpeedAdmin exports a class list (names and guardian columns are ignored, never stored).
SPEEDADMIN = (
    "Elevnr;Fornavn;Etternavn;Fødselsdato;Kjønn;Fag-ID;Fagnavn;Innmeldt dato;Utmeldt dato;"
    "Utmeldingsårsak;Foresatt e-post\n"
    "1001;Kari;Nordmann;12.03.2011;K;SLAG-2;Slagverk gr. 2;19.08.2024;;;kari.mor@example.org\n"
    "1002;Ola;Nordmann;01.01.2010;G;SLAG-2;Slagverk gr. 2;19.08.2024;15.06.2025;fullført;\n"
    "1003;Per;Hansen;05.05.2012;;SLAG-2;Slagverk gr. 2;19.08.2024;01.03.2025;flyttet;\n"
    "1004;Lise;Berg;07.07.2008;J;SLAG-2;Slagverk gr. 2;21.08.2023;14.06.2024;for gammel;\n"
    "1005;Nils;Lie;08.08.2011;M;SLAG-2;Slagverk gr. 2;21.08.2023;14.06.2024;Sluttet;\n"
    "1006;Eva;Ås;09.09.2011;K;SLAG-2;Slagverk gr. 2;21.08.2023;14.06.2024;ukjent;\n"
)
VISMA = (
    "ElevID,Fødselsår,Kjønn,KursID,Kurs,Startdato,Sluttdato,Sluttårsak\n"
    "V-1,2011,K,BAL-1,Ballett,2024-08-19,,\n"
)


def run(unit, content, **kwargs):
    if isinstance(content, str):
        content = content.encode()
    return enrolments_import(actor=None, unit=unit, file=io.BytesIO(content), now=NOW, **kwargs)


def stored(unit):
    refs = dict(OfferRef.objects.filter(unit=unit).values_list("offer_id", "ref"))
    return sorted(
        (refs[e.offer_id], e.participant.birth_year, e.participant.gender, e.status, e.end_reason)
        for e in Enrolment.objects.filter(offer__unit=unit).select_related("participant")
    )


def test_a_speedadmin_class_list_imports_with_norwegian_words(personas):
    unit = personas.a.kulturskole
    report = run(unit, SPEEDADMIN)

    assert report.created == 6
    assert report.ignored_columns == ["Fornavn", "Etternavn", "Foresatt e-post"]
    assert stored(unit) == [
        ("SLAG-2", 2008, Gender.FEMALE, "ended", "aged_out"),
        ("SLAG-2", 2010, Gender.MALE, "ended", "completed"),
        ("SLAG-2", 2011, Gender.FEMALE, "active", ""),
        ("SLAG-2", 2011, Gender.FEMALE, "ended", "unknown"),
        ("SLAG-2", 2011, Gender.MALE, "ended", "dropped_out"),
        ("SLAG-2", 2012, "", "ended", "moved"),
    ]
    # Only the year of a birth date is kept, and nothing of names or guardians' addresses.
    kari = participant(personas.arendal, "1001")
    assert (kari.birth_year, kari.user) == (2011, None)
    kept = repr(list(Participant.objects.values())) + repr(list(AuditEntry.objects.values()))
    assert "Kari" not in kept and "kari.mor" not in kept and "12.03" not in kept


def test_the_same_file_twice_changes_nothing(personas):
    unit = personas.a.kulturskole
    run(unit, SPEEDADMIN)
    before = stored(unit)
    report = run(unit, SPEEDADMIN)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert stored(unit) == before


def test_a_visma_style_header_imports(personas):
    report = run(personas.a.kulturskole, VISMA)
    assert report.created == 1
    assert OfferRef.objects.get(ref="BAL-1").offer.title == "Ballett"


def test_windows_1252_is_detected(personas):
    text = VISMA.replace("Ballett", "Smørbrødkurs for små")
    report = run(personas.a.kulturskole, text.encode("cp1252"))
    assert report.read_as == "Windows-1252"
    assert OfferRef.objects.get(ref="BAL-1").offer.title == "Smørbrødkurs for små"


def test_utf16_tab_separated_text_is_read(personas):
    report = run(personas.a.kulturskole, VISMA.replace(",", "\t").encode("utf-16"))
    assert (report.read_as, report.created) == ("UTF-16", 1)


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_ROWS = [
    ["Elevnr", "Fødselsår", "Kjønn", "Fag-ID", "Fagnavn", "Startdato", "Sluttdato", "Årsak"],
    # Excel stores dates without a time zone.
    [1001, 2011, "K", "SLAG-2", "Slagverk", datetime.datetime(2024, 8, 19), None, None],  # noqa: DTZ001
    [1002, 2010.0, "G", "SLAG-2", "Slagverk", datetime.date(2024, 8, 19), "15.06.2025", "fullført"],
]


def test_excel_files_import_with_date_and_number_cells(personas):
    report = run(personas.a.kulturskole, _xlsx(XLSX_ROWS))
    assert (report.read_as, report.created) == ("Excel", 2)
    assert participant(personas.arendal, "1002").birth_year == 2010
    assert Enrolment.objects.filter(start=datetime.date(2024, 8, 19)).count() == 2


def test_an_excel_row_with_an_error_gives_its_row_number(personas):
    rows = [*XLSX_ROWS, [1003, 2011, "Q", "SLAG-2", "Slagverk", "2024-08-19", None, None]]
    with pytest.raises(EnrolmentImportError) as raised:
        run(personas.a.kulturskole, _xlsx(rows))
    assert raised.value.errors[0].startswith("Linje 4: ukjent kjønn «Q»")
    assert not Enrolment.objects.exists()


def test_an_unknown_header_asks_which_column_is_which(personas):
    text = "Nr;År;Gruppe nr;Begynte\nA1;2011;G7;2024-08-19\n"
    with pytest.raises(ImportNeedsColumns) as raised:
        run(personas.a.kulturskole, text)
    assert raised.value.headers == ["nr", "år", "gruppe nr", "begynte"]
    assert raised.value.missing == ["person_ref", "birth_year", "offer_ref", "start_date"]
    columns = {"nr": "person_ref", "år": "birth_year", "gruppe nr": "offer_ref"}
    columns["begynte"] = "start_date"
    assert run(personas.a.kulturskole, text, columns=columns).created == 1


# --- The page: column step remembered per unit, the template ----------------------------------


def upload(client, unit, content, name="elever.csv", **extra):
    return client.post(
        reverse("enrolment:import", args=[unit.pk]),
        {"file": SimpleUploadedFile(name, content), **extra},
    )


def test_the_column_step_is_shown_and_remembered_for_the_unit(client, personas):
    unit = personas.a.kulturskole
    text = "Nr;År;Gruppe nr;Begynte;Kommentar\nA1;2011;G7;2024-08-19;hei\n".encode()
    client.force_login(personas.rector_a)

    response = upload(client, unit, text)
    assert response.status_code == 400
    assert 'id="column-step"' in response.text
    assert "Kolonnen «gruppe nr»" in response.text
    assert not Enrolment.objects.exists()

    choice = {
        "column_header": ["nr", "år", "gruppe nr", "begynte", "kommentar"],
        "column_field": ["person_ref", "birth_year", "offer_ref", "start_date", ""],
    }
    response = upload(client, unit, text, **choice)
    assert response.status_code == 200
    assert "1 nye" in response.text
    assert ImportColumns.objects.get(unit=unit).columns["gruppe nr"] == "offer_ref"
    assert AuditEntry.objects.filter(action="import_columns.saved").count() == 1

    # The next file with the same header goes straight in; another unit is asked again.
    second = "Nr;År;Gruppe nr;Begynte;Kommentar\nA2;2012;G7;2024-08-19;\n".encode()
    assert upload(client, unit, second).status_code == 200
    assert Enrolment.objects.count() == 2
    client.force_login(personas.leader_a)
    assert upload(client, personas.a.library, second).status_code == 400


def test_a_bad_column_choice_is_refused(client, personas):
    client.force_login(personas.rector_a)
    response = upload(
        client,
        personas.a.kulturskole,
        b"Nr;Aar\nA1;2011\n",
        column_header=["nr", "aar"],
        column_field=["person_ref", "password"],
    )
    assert response.status_code == 400
    assert not ImportColumns.objects.exists()


def test_an_xlsx_named_csv_is_read_as_excel(client, personas):
    client.force_login(personas.rector_a)
    response = upload(client, personas.a.kulturskole, _xlsx(XLSX_ROWS), name="eksport.csv")
    assert response.status_code == 200
    assert "Lest som Excel." in response.text
    assert Enrolment.objects.count() == 2


def test_the_template_downloads_and_imports(client, personas):
    client.force_login(personas.rector_a)
    response = client.get(reverse("enrolment:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").strip() == (
        "elevnummer;fødselsår;kjønn;fag-id;fag;startdato;sluttdato;sluttårsak"
    )
    filled = body + b"1;2011;J;F-1;Fiolin;19.08.2024;;\r\n"
    assert run(personas.a.kulturskole, filled).created == 1


def test_the_template_needs_a_login(client):
    response = client.get(reverse("enrolment:import_template"))
    assert response.status_code == 302
