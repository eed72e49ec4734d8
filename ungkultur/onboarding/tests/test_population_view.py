import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.municipalities.models import PopulationCell

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "municipalities" / "tests" / "data"
HEADER = "municipality_code,year,sex,age,persons\n"


def csv_file(*rows, name="07459.csv"):
    body = HEADER + "".join(f"{row}\n" for row in rows)
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/csv")


def every_year(code, years=range(2022, 2027)):
    return [f"{code},{year},{sex},{age},10" for year in years for sex in (1, 2) for age in (13, 14)]


def upload(client, code, file):
    return client.post(reverse("onboarding:population", args=[code]), {"file": file})


def cells():
    return sorted(PopulationCell.objects.values_list("code", "year", "sex", "age", "persons"))


@pytest.mark.parametrize("who", ["leader_a", "admin"])
def test_project_leader_and_admin_upload_the_municipalitys_figures(client, personas, now, who):
    client.force_login(getattr(personas, who))
    response = upload(client, "4203", csv_file("4203,2026,1,13,265", "4203,2026,2,13,255"))
    assert response.status_code == 200
    assert "Befolkningstallene er lagret" in response.text
    assert "2 nye, 0 endret, 0 uendret." in response.text
    assert cells() == [("4203", 2026, 1, 13, 265), ("4203", 2026, 2, 13, 255)]
    entry = AuditEntry.objects.get(action="population.import")
    assert entry.actor == getattr(personas, who)
    assert entry.object_id == str(personas.arendal.pk)
    assert entry.changes["years"] == [2026]
    assert entry.changes["created"] == 2


def test_the_page_shows_the_years_present_and_those_the_indicators_need(client, personas, now):
    client.force_login(personas.leader_a)
    page = client.get(reverse("onboarding:population", args=["4203"]))
    assert "Indikatorene trenger tall for 1. januar i 2022, 2023, 2024, 2025, 2026." in page.text
    assert "Ingen år er lagret ennå." in page.text
    assert "Mangler: 2022, 2023, 2024, 2025, 2026." in page.text
    upload(client, "4203", csv_file(*every_year("4203", years=[2021, 2024, 2025])))
    page = client.get(reverse("onboarding:population", args=["4203"]))
    assert "Lagret: 2021, 2024, 2025." in page.text
    assert "Mangler: 2022, 2023, 2026." in page.text
    upload(client, "4203", csv_file(*every_year("4203")))
    page = client.get(reverse("onboarding:population", args=["4203"]))
    assert "Alle årene indikatorene trenger, er lagret." in page.text


def test_a_former_number_counts_for_the_years_it_was_valid(client, personas, now):
    """Kongsberg was 3006 until 2023, then 3303: a file with both is Kongsberg's own."""
    client.force_login(personas.admin)
    rows = every_year("3006", years=[2022, 2023]) + every_year("3303", years=[2024, 2025, 2026])
    response = upload(client, "3303", csv_file(*rows))
    assert response.status_code == 200
    page = client.get(reverse("onboarding:population", args=["3303"]))
    assert "Alle årene indikatorene trenger, er lagret." in page.text


def test_a_file_for_another_municipality_is_refused_and_nothing_changes(client, personas, now):
    client.force_login(personas.leader_a)
    upload(client, "4203", csv_file("4203,2026,1,13,265"))
    before = cells()
    audits = AuditEntry.objects.count()
    response = upload(client, "4203", csv_file("4203,2026,1,13,999", "1124,2026,1,13,335"))
    assert response.status_code == 400
    assert (
        "Filen har tall for en annen kommune enn Arendal (kommunenummer 1124). "
        "Last ned tabellen for Arendal alene." in response.text
    )
    assert "ingenting ble lagret" in response.text
    assert cells() == before
    assert AuditEntry.objects.count() == audits


def test_the_whole_country_in_json_stat_is_refused_on_one_municipalitys_page(client, personas, now):
    client.force_login(personas.leader_a)
    file = SimpleUploadedFile(
        "07459.json", (DATA / "population_07459.json").read_bytes(), "application/json"
    )
    response = upload(client, "4203", file)
    assert response.status_code == 400
    assert "Filen har tall for 3 andre kommuner enn Arendal" in response.text
    assert cells() == []


def test_the_municipalitys_json_stat_alone_is_stored(client, personas, now):
    dataset = json.loads((DATA / "population_07459.json").read_text(encoding="utf-8"))
    client.force_login(personas.leader_b)
    # The same dataset as the country's, but the regions cut to Sola and the whole country.
    regions = dataset["dimension"]["Region"]["category"]
    keep = ["K-1124"] if "K-1124" in regions["index"] else ["1124"]
    assert set(regions["index"]) >= set(keep)
    response = upload(
        client,
        "1124",
        SimpleUploadedFile("07459.json", _only_regions(dataset, keep), "application/json"),
    )
    assert response.status_code == 200, response.text
    assert {code for code, *_ in cells()} == {"1124"}


def _only_regions(dataset, keep):
    """The dataset with only the ``keep`` regions (values sliced along the Region dimension)."""
    from ungkultur.lib.jsonstat import iter_cells

    region = dataset["dimension"]["Region"]["category"]
    order = sorted(region["index"], key=lambda code: _position(region["index"], code))
    values = [cell["value"] for cell in iter_cells(dataset) if cell["Region"] in keep]
    new = json.loads(json.dumps(dataset))
    new_region = new["dimension"]["Region"]["category"]
    new_region["index"] = {code: i for i, code in enumerate(c for c in order if c in keep)}
    if "label" in new_region:
        new_region["label"] = {code: region["label"][code] for code in keep}
    new["size"][new["id"].index("Region")] = len(keep)
    new["value"] = values
    return json.dumps(new).encode("utf-8")


def _position(index, code):
    return index[code] if isinstance(index, dict) else index.index(code)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["4203,2026,3,13,1"], "Linje 2: kjønn må være 1 (menn) eller 2 (kvinner), ikke «3»."),
        (["4203,2026,1,13,-5"], "Linje 2: antall personer «-5» er ikke et helt tall"),
        (["0301,2026,1,13,5"], "Filen har tall for en annen kommune enn Arendal"),
        ([], "Filen har ingen befolkningstall for Arendal (kommunenummer 4203)."),
    ],
)
def test_bad_files_are_refused_with_the_commands_messages(client, personas, now, rows, message):
    client.force_login(personas.leader_a)
    response = upload(client, "4203", csv_file(*rows))
    assert response.status_code == 400
    assert message in response.text
    assert cells() == []


def test_a_file_with_the_wrong_header_is_refused(client, personas, now):
    client.force_login(personas.leader_a)
    file = SimpleUploadedFile("x.csv", b"kommune;aar\n4203;2026\n", content_type="text/csv")
    response = upload(client, "4203", file)
    assert response.status_code == 400
    assert "Linje 1: feil overskrift" in response.text


def test_no_file_is_a_clear_message(client, personas, now):
    client.force_login(personas.leader_a)
    response = client.post(reverse("onboarding:population", args=["4203"]), {})
    assert response.status_code == 400
    assert "Velg filen du vil laste opp." in response.text


def test_the_same_file_twice_changes_nothing(client, personas, now):
    client.force_login(personas.leader_a)
    upload(client, "4203", csv_file("4203,2026,1,13,265"))
    response = upload(client, "4203", csv_file("4203,2026,1,13,265"))
    assert "0 nye, 0 endret, 1 uendret." in response.text
    assert cells() == [("4203", 2026, 1, 13, 265)]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rector_a", 403),
        ("teacher_a", 403),
        ("coordinator", 403),
        ("youth_a", 403),
        ("leader_b", 404),
    ],
)
def test_others_may_not_upload(client, personas, now, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("onboarding:population", args=["4203"])).status_code == status
    response = upload(client, "4203", csv_file("4203,2026,1,13,265"))
    assert response.status_code == status
    assert cells() == []


def test_a_stored_upload_asks_for_the_indicators_to_be_computed_again(
    client, personas, now, django_capture_on_commit_callbacks, monkeypatch
):
    from ungkultur.onboarding import views

    asked = []
    monkeypatch.setattr(views, "enqueue_refresh", asked.append)
    client.force_login(personas.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "4203", csv_file("4203,2026,1,13,265"))
    assert asked == [personas.arendal.pk]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "4203", csv_file("1124,2026,1,13,265"))
    assert asked == [personas.arendal.pk]
