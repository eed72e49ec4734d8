import datetime
import hashlib
import io
import math
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ungkultur.accounts.models import Gender
from ungkultur.catalogue.models import Category, Offer
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.importers import BATCH_SIZE, EnrolmentImportError, enrolments_import
from ungkultur.enrolment.models import Enrolment, OfferRef, Participant
from ungkultur.lib.person_ref import person_ref_hash

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))
HEADER = "person_ref,birth_year,gender,offer_ref,offer_title,start_date,end_date,end_reason\n"


def run(unit, source, *, actor=None):
    """Import a fixture file (a name in data/) or CSV text."""
    if source.endswith(".csv"):
        with open(DATA / source, "rb") as file:
            return enrolments_import(actor=actor, unit=unit, file=file, now=NOW)
    return enrolments_import(actor=actor, unit=unit, file=io.BytesIO(source.encode()), now=NOW)


def errors_of(unit, source):
    with pytest.raises(EnrolmentImportError) as raised:
        run(unit, source)
    return raised.value.errors


def counts():
    return (
        Offer.objects.count(),
        OfferRef.objects.count(),
        Participant.objects.count(),
        Enrolment.objects.count(),
        AuditEntry.objects.count(),
    )


def participant(municipality, ref):
    return Participant.objects.get(
        municipality=municipality, ref_hash=person_ref_hash(municipality.code, ref)
    )


def enrolments(unit):
    """What the import stored, by (offer ref, birth year, start): comparable across files."""
    refs = dict(OfferRef.objects.filter(unit=unit).values_list("offer_id", "ref"))
    return {
        (refs[e.offer_id], e.participant.birth_year, e.start): (e.status, e.end, e.end_reason)
        for e in Enrolment.objects.filter(offer__unit=unit).select_related("participant")
    }


# --- Good files -------------------------------------------------------------------------------


def test_good_file_creates_offers_participants_and_enrolments(personas):
    unit = personas.a.kulturskole
    report = run(unit, "import_good_comma.csv")

    assert report.summary() == (
        "7 nye, 0 endret, 0 uendret; 6 nye deltakere; 3 nye tilbud er lagret som utkast: "
        "«Gitar for nybegynnere», «Band, viderekommende», «Rytmikk»."
    )
    assert enrolments(unit) == {
        ("GIT-1", 2011, datetime.date(2024, 8, 19)): ("active", None, ""),
        ("GIT-1", 2010, datetime.date(2024, 8, 19)): (
            "ended",
            datetime.date(2025, 6, 15),
            "completed",
        ),
        # An end without a reason is "unknown".
        ("GIT-1", 2012, datetime.date(2025, 1, 6)): ("ended", datetime.date(2025, 3, 1), "unknown"),
        ("BAND-2", 2011, datetime.date(2023, 8, 21)): (
            "ended",
            datetime.date(2024, 6, 14),
            "dropped_out",
        ),
        ("BAND-2", 2008, datetime.date(2023, 8, 21)): ("active", None, ""),
        ("RYT-3", 2019, datetime.date(2024, 8, 19)): ("active", None, ""),
        ("RYT-3", 1990, datetime.date(2024, 8, 19)): (
            "ended",
            datetime.date(2024, 12, 20),
            "moved",
        ),
    }


def test_new_offers_are_drafts_with_ages_and_term_from_the_file(personas):
    unit = personas.a.kulturskole
    run(unit, "import_good_comma.csv")

    offers = {r.ref: r.offer for r in OfferRef.objects.filter(unit=unit).select_related("offer")}
    guitar, band, rhythm = offers["GIT-1"], offers["BAND-2"], offers["RYT-3"]
    for offer in offers.values():
        assert offer.unit == unit
        assert offer.municipality == personas.arendal
        assert offer.status == Offer.Status.DRAFT
        assert offer.category == Category.OTHER
        assert offer.join_mode == Offer.JoinMode.REGISTRATION
    assert guitar.title == "Gitar for nybegynnere"
    assert (guitar.age_min, guitar.age_max) == (13, 14)
    assert guitar.term_start == datetime.date(2024, 8, 19)
    assert band.title == "Band, viderekommende"  # a quoted comma stays in the title
    assert (band.age_min, band.age_max, band.term_start) == (12, 15, datetime.date(2023, 8, 21))
    # 5 and 34 years old at the start: the ages are held within 6–26.
    assert (rhythm.age_min, rhythm.age_max) == (6, 26)


def test_participants_get_birth_year_and_gender(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")

    arendal = personas.arendal
    assert (participant(arendal, "P-1001").birth_year, participant(arendal, "P-1001").gender) == (
        2011,
        Gender.FEMALE,
    )
    assert participant(arendal, "P-1002").gender == Gender.MALE
    assert participant(arendal, "P-1003").gender == Gender.OTHER
    assert participant(arendal, "P-1004").gender == ""
    assert participant(arendal, "P-1001").user is None


def test_semicolon_bom_and_norwegian_dates_read_the_same_as_comma_and_iso(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")
    expected = enrolments(personas.a.kulturskole)

    run(personas.a.library, "import_good_semicolon_bom.csv")

    assert enrolments(personas.a.library) == expected
    # Same people in the same municipality: no new participants.
    assert Participant.objects.count() == 6


def test_existing_offer_is_found_by_its_reference_not_made_again(personas):
    unit = personas.a.kulturskole
    OfferRef.objects.create(unit=unit, ref="GIT-1", offer=personas.a.piano)

    report = run(unit, "import_good_comma.csv")

    assert Enrolment.objects.filter(offer=personas.a.piano).count() == 3
    assert report.offers_created == ["Band, viderekommende", "Rytmikk"]
    personas.a.piano.refresh_from_db()
    assert personas.a.piano.title == "Piano"  # the file's title does not rename it


def test_the_same_offer_reference_in_another_unit_is_another_offer(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")
    run(personas.a.library, "import_good_comma.csv")

    assert OfferRef.objects.count() == 6
    assert Offer.objects.filter(title="Rytmikk").count() == 2


def test_one_audit_row_per_import_with_counts_and_checksum(personas):
    report = run(personas.a.kulturskole, "import_good_comma.csv", actor=personas.teacher_a)

    entry = AuditEntry.objects.get()
    assert entry.action == "enrolment.imported"
    assert entry.actor == personas.teacher_a
    assert entry.object_id == str(personas.a.kulturskole.pk)
    assert entry.at == NOW
    sha256 = hashlib.sha256((DATA / "import_good_comma.csv").read_bytes()).hexdigest()
    assert report.sha256 == sha256
    assert entry.changes == {
        "rows": 7,
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "participants_created": 6,
        "offers_created": 3,
        "sha256": sha256,
        "kept_here": 0,
        "conflicts": 0,
        "read_as": "UTF-8",
    }


def test_imported_enrolments_queue_from_their_start(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")

    enrolment = Enrolment.objects.filter(start=datetime.date(2023, 8, 21)).first()
    assert enrolment.queued_at == datetime.datetime(2023, 8, 21, tzinfo=ZoneInfo("Europe/Oslo"))
    assert enrolment.signed_up_by is None
    assert len(enrolment.import_key) == 64


# --- Idempotence and changes ------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(personas):
    unit = personas.a.kulturskole
    run(unit, "import_good_comma.csv")
    before = list(Enrolment.objects.order_by("pk").values())
    offers = list(Offer.objects.order_by("pk").values("pk", "title", "age_min", "age_max"))

    report = run(unit, "import_good_comma.csv")

    assert report.summary() == "0 nye, 0 endret, 7 uendret."
    assert list(Enrolment.objects.order_by("pk").values()) == before
    assert list(Offer.objects.order_by("pk").values("pk", "title", "age_min", "age_max")) == offers
    assert Participant.objects.count() == 6
    assert AuditEntry.objects.filter(action="enrolment.imported").count() == 2


def test_a_changed_end_updates_the_enrolment(personas):
    unit = personas.a.kulturskole
    run(unit, "import_good_comma.csv")
    first = participant(personas.arendal, "P-1001")
    guitar = Enrolment.objects.get(participant=first, offer__import_refs__ref="GIT-1")
    reopened = Enrolment.objects.get(participant=participant(personas.arendal, "P-1003"))
    reopened.dropout_reason = "time"
    reopened.save()

    report = run(unit, "import_changed_end.csv")

    assert report.summary() == "1 nye, 2 endret, 5 uendret; 1 ny deltaker."
    guitar.refresh_from_db()
    assert (guitar.status, guitar.end, guitar.end_reason) == (
        Enrolment.Status.ENDED,
        datetime.date(2025, 11, 1),
        "dropped_out",
    )
    reopened.refresh_from_db()
    assert (reopened.status, reopened.end, reopened.end_reason) == ("active", None, "")
    assert reopened.dropout_reason == ""  # a sub-reason belongs to "dropped out" only
    assert Enrolment.objects.count() == 8


def test_a_changed_end_keeps_the_dropout_sub_reason(personas):
    unit = personas.a.kulturskole
    run(unit, "import_good_comma.csv")
    band = Enrolment.objects.get(end_reason="dropped_out")
    band.dropout_reason = "cost"
    band.save()
    text = (DATA / "import_good_comma.csv").read_text().replace("2024-06-14", "2024-05-31")

    report = run(unit, text)

    assert (report.updated, report.unchanged) == (1, 6)
    band.refresh_from_db()
    assert (band.end, band.dropout_reason) == (datetime.date(2024, 5, 31), "cost")


# --- Persons ----------------------------------------------------------------------------------


def test_the_reference_is_never_stored(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")

    for ref_hash in Participant.objects.values_list("ref_hash", flat=True):
        assert len(ref_hash) == 64
        assert "P-100" not in ref_hash and "100" not in ref_hash
    stored = [
        *Participant.objects.values_list("ref_hash", flat=True),
        *Enrolment.objects.values_list("import_key", flat=True),
        *(str(changes) for changes in AuditEntry.objects.values_list("changes", flat=True)),
    ]
    for ref in ("P-1001", "P-1002", "P-1003", "P-1004", "P-1005", "P-1006"):
        assert all(ref not in value for value in stored)
        assert person_ref_hash(personas.arendal.code, ref) != ref


def test_the_same_person_in_two_files_is_one_participant(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")
    run(personas.a.club, "import_club.csv")

    youth = participant(personas.arendal, "P-1001")
    units = set(youth.enrolments.values_list("offer__unit__name", flat=True))
    assert units == {"Arendal kulturskole", "Klubben Arendal"}
    assert Participant.objects.count() == 7  # six, and P-9001 from the club


def test_the_same_reference_in_another_municipality_is_another_person(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")
    run(personas.b.kulturskole, "import_good_comma.csv")

    assert Participant.objects.count() == 12
    assert participant(personas.arendal, "P-1001") != participant(personas.sola, "P-1001")


def test_an_existing_participant_keeps_its_birth_year_and_gender(personas):
    run(personas.a.kulturskole, "import_good_comma.csv")
    text = HEADER + "P-1001,2012,M,NY,Ny,2025-08-18,,\n"

    run(personas.a.club, text)

    youth = participant(personas.arendal, "P-1001")
    assert (youth.birth_year, youth.gender) == (2011, Gender.FEMALE)


# --- Bad files: nothing written, every bad row with its line -----------------------------------


def test_bad_file_reports_every_bad_row_and_writes_nothing(personas):
    before = counts()

    errors = errors_of(personas.a.kulturskole, "import_bad.csv")

    assert errors == [
        "Linje 3: person_ref mangler.",
        "Linje 4: birth_year «20x1» er ikke et årstall mellom 1900 og 2026.",
        "Linje 5: ukjent kjønn «Q» (bruk K eller J for jente, G eller M for gutt, X for annet, "
        "eller la feltet stå tomt).",
        "Linje 6: start_date «2024-13-01» finnes ikke i kalenderen.",
        "Linje 7: end_date er før start_date.",
        "Linje 8: end_reason er fylt ut, men end_date mangler.",
        "Linje 9: ukjent end_reason «quit» (bruk fullført, for gammel, flyttet, sluttet, ukjent, "
        "eller completed, aged_out, moved, dropped_out, unknown, eller la feltet stå tomt).",
        "Linje 10: birth_year 2012 er et annet enn på linje 2 (2011) for samme person.",
        "Linje 11: samme person, tilbud og startdato som på linje 2.",
        "Linje 12: samme person har en påmelding uten end_date til samme tilbud på linje 2.",
        "Linje 13: linjen har 6 felt, men skal ha 8 (skilt med «,»).",
        "Linje 14: start_date «19/08/2024» er ikke en dato (skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ).",
        "Linje 15: offer_title mangler.",
        "Linje 16: start_date «2024-02-30» finnes ikke i kalenderen; end_date «31.02.2025» "
        "finnes ikke i kalenderen.",
        "Linje 17: start_date er før fødselsåret.",
    ]
    assert counts() == before


def test_one_bad_row_among_good_ones_writes_nothing(personas):
    text = (DATA / "import_good_comma.csv").read_text() + "P-1,2011,F,GIT-1,Gitar,2024-08-19,,x\n"

    assert errors_of(personas.a.kulturskole, text) == [
        "Linje 10: ukjent end_reason «x» (bruk fullført, for gammel, flyttet, sluttet, ukjent, "
        "eller completed, aged_out, moved, dropped_out, unknown, eller la feltet stå tomt)."
    ]
    assert counts()[:4] == (6, 0, 0, 0)  # the personas' offers only


def test_bad_row_in_the_second_import_leaves_the_first_as_it_was(personas):
    unit = personas.a.kulturskole
    run(unit, "import_good_comma.csv")
    before = (counts(), enrolments(unit))
    text = (DATA / "import_changed_end.csv").read_text() + "P-2,2011,F,GIT-1,Gitar,,,\n"

    assert errors_of(unit, text) == ["Linje 10: start_date mangler."]
    assert (counts(), enrolments(unit)) == before


def test_a_second_open_enrolment_in_the_same_offer_is_an_error(personas):
    unit = personas.a.kulturskole
    run(unit, "import_good_comma.csv")
    # P-1001 is still in GIT-1 from 19 August; the other system now starts her again.
    text = HEADER + "P-1001,2011,F,GIT-1,Gitar for nybegynnere,2025-08-18,,\n"

    assert errors_of(unit, text) == [
        "Linje 2: personen har allerede en påmelding til «Gitar for nybegynnere» som ikke er "
        "avsluttet (med en annen startdato, eller gjort i Ungkultur)."
    ]


def test_a_new_start_is_fine_when_the_file_ends_the_old_one(personas):
    unit = personas.a.kulturskole
    run(unit, "import_good_comma.csv")
    text = (
        HEADER
        + "P-1001,2011,F,GIT-1,Gitar for nybegynnere,2024-08-19,2025-06-15,completed\n"
        + "P-1001,2011,F,GIT-1,Gitar for nybegynnere,2025-08-18,,\n"
    )

    report = run(unit, text)

    assert (report.created, report.updated) == (1, 1)
    assert participant(personas.arendal, "P-1001").enrolments.filter(status="active").count() == 1


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "Filen er tom."),
        (HEADER.encode(), "Filen har ingen påmeldinger, bare overskriften."),
        (
            b"person_ref,gender,offer_ref,offer_title,start_date,end_date,name\n",
            "Linje 1: finner ikke kolonnene for fødselsår (birth_year). Velg hvilken kolonne "
            "som er hva.",
        ),
        (
            b"elevnr,fodt,fag,startdato,start\n",
            "Linje 1: finner ikke kolonnene for fag-id (offer_ref); flere kolonner er startdato. "
            "Velg hvilken kolonne som er hva.",
        ),
        (
            (HEADER + "P-1,2011,F,GIT-1,Gitar,2024-08-19,,\n").encode() + b"P-2,\x81\x8d\n",
            "Linje 3: filen er verken UTF-8 eller Windows-1252. Lagre den som «CSV UTF-8» og "
            "prøv igjen.",
        ),
        (
            b"\xd0\xcf\x11\xe0rest",
            "Filen er en gammel Excel-fil (.xls). Lagre den som .xlsx eller CSV og prøv igjen.",
        ),
        (
            b"PK\x03\x04broken",
            "Excel-filen kan ikke leses. Lagre den på nytt som .xlsx eller CSV og prøv igjen.",
        ),
    ],
    ids=[
        "empty",
        "header-only",
        "missing-column",
        "alias-twice",
        "neither-utf8-nor-1252",
        "xls",
        "broken-xlsx",
    ],
)
def test_file_level_errors(personas, content, error):
    with pytest.raises(EnrolmentImportError) as raised:
        enrolments_import(
            actor=None, unit=personas.a.kulturskole, file=io.BytesIO(content), now=NOW
        )
    assert raised.value.errors == [error]
    assert counts()[1:] == (0, 0, 0, 0)


def test_columns_may_come_in_another_order_and_case(personas):
    text = (
        "Offer_Ref;Person_Ref;Birth_Year;Gender;Offer_Title;Start_Date;End_Date;End_Reason\n"
        "GIT-1;P-1;2011;f;Gitar;19.08.2024;;\n"
    )
    report = run(personas.a.kulturskole, text)
    assert report.created == 1
    assert participant(personas.arendal, "P-1").gender == Gender.FEMALE


def test_too_large_file_is_refused(personas, monkeypatch):
    monkeypatch.setattr("ungkultur.enrolment.importers.MAX_BYTES", 100)
    with pytest.raises(EnrolmentImportError) as raised:
        run(personas.a.kulturskole, "import_good_comma.csv")
    assert raised.value.errors == ["Filen er for stor: den kan være på høyst 0 MB."]


def test_many_errors_keep_the_first_thousand_and_count_all(personas):
    text = HEADER + "P-1,2011,F,GIT-1,Gitar,,,\n" * 1200
    with pytest.raises(EnrolmentImportError) as raised:
        run(personas.a.kulturskole, text)
    assert raised.value.total == 1200
    assert len(raised.value.errors) == 1000
    assert raised.value.errors[-1] == "Linje 1001: start_date mangler."


# --- Scale ------------------------------------------------------------------------------------


def _tables_written(queries):
    # An executemany is logged as "N times: INSERT ..."; PostgreSQL's COPY is not logged.
    sql = [re.sub(r"^\d+ times: ", "", q["sql"]) for q in queries]
    return [s.split('"')[1] for s in sql if s.startswith(("INSERT", "UPDATE"))]


def test_rows_are_looked_up_and_written_in_bulk(personas):
    rows = 1500
    lines = [
        f"P-{n},{2008 + n % 8},F,OFFER-{n % 3},Tilbud {n % 3},2025-08-18,,\n" for n in range(rows)
    ]
    text = HEADER + "".join(lines)

    with CaptureQueriesContext(connection) as queries:
        report = run(personas.a.kulturskole, text)

    assert report.created == rows
    sql = [q["sql"] for q in queries]
    # The offer refs once, participants before creating them (and after, where the insert does
    # not return their keys: not PostgreSQL); no offer was known, so no stored enrolments to read.
    copied = connection.vendor == "postgresql"
    assert sum(s.startswith("SELECT") and "enrolment_offerref" in s for s in sql) == 1
    assert sum(s.startswith("SELECT") and "enrolment_participant" in s for s in sql) == (
        1 if copied else 2
    )
    assert not any('FROM "enrolment_enrolment"' in s for s in sql)
    written = _tables_written(queries)
    assert written.count("catalogue_offer") == 3  # one per new offer
    assert written.count("enrolment_offerref") == 1
    # New rows go in without a model instance each: on PostgreSQL enrolments by COPY (not in the
    # query log) and participants by one INSERT from arrays that returns their keys; else one
    # executemany per BATCH_SIZE rows.
    assert written.count("enrolment_enrolment") == (0 if copied else math.ceil(rows / BATCH_SIZE))
    assert written.count("enrolment_participant") == (1 if copied else math.ceil(rows / BATCH_SIZE))
    assert Enrolment.objects.filter(import_key__gt="").count() == rows
    assert written.count("core_auditentry") == 1

    with CaptureQueriesContext(connection) as queries:
        report = run(personas.a.kulturskole, text)

    # The second time everything is looked up once and only the audit row is written.
    assert report.unchanged == rows
    sql = [q["sql"] for q in queries]
    assert sum('FROM "enrolment_enrolment"' in s for s in sql) == 1
    assert _tables_written(queries) == ["core_auditentry"]
    assert len(queries) <= 10
