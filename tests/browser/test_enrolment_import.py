"""A kulturskole rector imports a class list as SpeedAdmin exports it (Norwegian headers, K/G
genders, Norwegian end reasons, names that are left out), sees the report, and finds the pupils
on the participants page shown plainly as codes. Every page passes axe-core at both widths."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.enrolment.models import Enrolment, OfferRef

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPEEDADMIN = (
    "Elevnr;Fornavn;Fødselsdato;Kjønn;Fag-ID;Fagnavn;Innmeldt dato;Utmeldt dato;Utmeldingsårsak\n"
    "1001;Kari;12.03.2011;K;SLAG-2;Slagverk gr. 2;19.08.2024;;\n"
    "1002;Ola;01.01.2010;G;SLAG-2;Slagverk gr. 2;19.08.2024;15.06.2025;fullført\n"
    "1003;Per;05.05.2012;G;SLAG-2;Slagverk gr. 2;19.08.2024;01.03.2025;flyttet\n"
    "1004;Lise;07.07.2011;K;SLAG-2;Slagverk gr. 2;19.08.2024;;\n"
)


def test_rector_imports_a_speedadmin_class_list(page, live_server, personas, tmp_path):
    unit = personas.a.kulturskole
    upload = tmp_path / "klasseliste.csv"
    upload.write_bytes(SPEEDADMIN.encode("cp1252"))  # as older Excel on Windows saves it

    log_in(page, live_server, personas.rector_a)
    page.goto(f"{live_server.url}/enheter/{unit.pk}/import/")
    check_page(page, "enrolment-import")
    expect(page.get_by_role("link", name=re.compile("Last ned en tom mal"))).to_be_visible()
    page.get_by_label("Fil fra fagsystemet").set_input_files(str(upload))
    page.get_by_role("button", name="Importer", exact=True).click()

    report = page.get_by_role("status").filter(has_text="Importen er ferdig")
    expect(report).to_contain_text("4 nye, 0 endret, 0 uendret")
    expect(report).to_contain_text("Lest som Windows-1252.")
    expect(report).to_contain_text("Kolonner som ikke er tatt med: Fornavn.")
    check_page(page, "enrolment-import-report")

    offer = OfferRef.objects.get(unit=unit, ref="SLAG-2").offer
    assert offer.title == "Slagverk gr. 2"
    ended = dict(
        Enrolment.objects.filter(offer=offer, status="ended").values_list("end_reason", "end")
    )
    assert set(ended) == {"completed", "moved"}

    # The same file again changes nothing.
    page.get_by_label("Fil fra fagsystemet").set_input_files(str(upload))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Importen er ferdig")).to_contain_text(
        "0 nye, 0 endret, 4 uendret"
    )

    page.goto(f"{live_server.url}/tilbud/{offer.pk}/deltakere/")
    expect(page.locator("#imported-note")).to_contain_text(
        "2 deltakere er importert fra fagsystemet"
    )
    expect(page.locator("main")).to_contain_text("Kode #")
    expect(page.locator("main")).not_to_contain_text("Kari")
    check_page(page, "participants-imported")


def test_a_large_file_runs_as_a_task_with_a_progress_page(
    page, live_server, personas, tmp_path, monkeypatch
):
    """A file above the inline size is kept and imported by the task (at once in the tests);
    the upload leads to the job's page with the report. A job still running shows its
    progress bar and keeps asking."""
    from django.utils import timezone

    from ungkultur.enrolment import import_views, importers
    from ungkultur.enrolment.models import ImportJob

    monkeypatch.setattr(import_views, "INLINE_BYTES", 0)
    unit = personas.a.kulturskole
    upload = tmp_path / "klasseliste.csv"
    upload.write_bytes(SPEEDADMIN.encode("cp1252"))

    log_in(page, live_server, personas.rector_a)
    page.goto(f"{live_server.url}/enheter/{unit.pk}/import/")
    page.get_by_label("Fil fra fagsystemet").set_input_files(str(upload))
    page.get_by_role("button", name="Importer", exact=True).click()

    job = ImportJob.objects.get()
    expect(page).to_have_url(f"{live_server.url}/enheter/{unit.pk}/import/{job.pk}/")
    report = page.get_by_role("status").filter(has_text="Importen er ferdig")
    expect(report).to_contain_text("4 nye, 0 endret, 0 uendret")
    check_page(page, "enrolment-import-job-done")

    running = ImportJob.objects.create(
        unit=unit,
        requested_by=personas.rector_a,
        requested_at=timezone.now(),
        file_name="elever-hele-skolen.csv",
        status=ImportJob.Status.RUNNING,
        stage=importers.READING,
        rows_done=30000,
        rows_total=75001,
    )
    page.goto(f"{live_server.url}/enheter/{unit.pk}/import/{running.pk}/")
    expect(page.locator("#job-status progress")).to_have_attribute("value", "30000")
    expect(page.locator("#job-status")).to_contain_text("30000 av 75001 linjer er lest.")
    check_page(page, "enrolment-import-job-running")
    # The task finishes: the page shows the report without a reload.
    ImportJob.objects.filter(pk=running.pk).update(
        status=ImportJob.Status.DONE,
        report={**job.report},
        rows_done=4,
        rows_total=4,
    )
    expect(page.get_by_role("status").filter(has_text="Importen er ferdig")).to_be_visible()
