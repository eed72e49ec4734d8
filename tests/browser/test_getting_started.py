"""A municipality outside the demo gets going through the product's pages alone (no admin, no
command, no shell): Bodø is switched on, its project leader invited, and the project leader
follows "Kom i gang" to units, a venue, the answer deadline, population figures, a published
offer and an import; a youth registers and proposes, the project leader answers, and the
dashboard has figures. axe-core on every page, at desktop and phone width."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.catalogue.models import Offer
from ungkultur.indicators.models import IndicatorValue
from ungkultur.municipalities.models import Municipality, PopulationCell
from ungkultur.organisations.models import Unit
from ungkultur.participation.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADER_EMAIL = "prosjektleder@bodo.example.org"
LEADER_PASSWORD = "Bodø-prosjekt-2026"
YOUTH_EMAIL = "ung@bodo.example.org"
YOUTH_PASSWORD = "Ung-i-Bodø-2026"


def log_in_with(page, live_server, email, password):
    page.goto(live_server.url + "/konto/logg-inn/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))


def link_in_mail(to, pattern):
    (message,) = [m for m in mail.outbox if m.to == [to] and re.search(pattern, m.body)]
    return re.search(pattern + r"\S*", message.body).group(0)


def population_csv(tmp_path):
    rows = [
        f"1804,{year},{sex},{age},50"
        for year in range(2020, 2027)
        for sex in (1, 2)
        for age in range(0, 26)
    ]
    path = tmp_path / "07459-bodo.csv"
    path.write_text("municipality_code,year,sex,age,persons\n" + "\n".join(rows) + "\n")
    return path


def enrolments_csv(tmp_path):
    header = "person_ref,birth_year,gender,offer_ref,offer_title,start_date,end_date,end_reason"
    rows = [f"elev-{n},2011,{'F' if n % 2 else 'M'},band-1,Band,2026-08-20,," for n in range(8)]
    path = tmp_path / "pameldinger.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def step(page, key):
    return page.locator(f'#checklist [data-step="{key}"]')


def test_a_new_municipality_gets_going_through_the_pages(page, live_server, personas, tmp_path):
    # --- The national administrator switches Bodø on and invites its project leader.
    log_in(page, live_server, personas.admin)
    page.goto(live_server.url + "/kommuner/1804/")
    check_page(page, "start-municipality-off")
    page.get_by_role("link", name="Ta med i koordinert kulturarbeid").click()
    check_page(page, "start-switch-on")
    page.get_by_label("Begrunnelse").fill("Bodø har vedtatt å være med fra høsten.")
    page.get_by_role("button", name="Ta med i koordinert kulturarbeid").click()
    expect(page).to_have_url(re.compile(r"/kommuner/1804/$"))
    assert Municipality.objects.get(code="1804").kk_active
    page.get_by_role("link", name="Neste steg: inviter prosjektleder").click()
    check_page(page, "start-invite-leader")
    page.get_by_label("E-postadresse").fill(LEADER_EMAIL)
    page.get_by_label("Fornavn (kan stå tomt)").fill("Bente")
    page.get_by_role("button", name="Send invitasjonen").click()
    expect(page.get_by_role("status").first).to_be_visible()
    invitation = link_in_mail(LEADER_EMAIL, r"/invitasjon/")

    # --- The project leader accepts, which makes the account.
    page.context.clear_cookies()
    page.goto(live_server.url + invitation)
    check_page(page, "start-accept")
    page.get_by_label("Fornavn").fill("Bente")
    page.get_by_label("Etternavn").fill("Bodøsen")
    page.get_by_label("Velg passord").fill(LEADER_PASSWORD)
    page.get_by_label("Gjenta passordet").fill(LEADER_PASSWORD)
    page.get_by_role("button", name="Lag konto og godta").click()
    page.context.clear_cookies()
    log_in_with(page, live_server, LEADER_EMAIL, LEADER_PASSWORD)

    # --- Kom i gang, on the municipality's page.
    page.goto(live_server.url + "/kommuner/1804/")
    expect(page.locator("#checklist")).to_be_visible()
    expect(step(page, "units")).to_have_attribute("data-done", "false")
    check_page(page, "start-checklist-empty")

    # Units: a kulturskole, then the same name again (refused, nothing changes).
    step(page, "units").get_by_role("link").click()
    check_page(page, "start-units-empty")
    page.get_by_role("link", name="Ny enhet").click()
    check_page(page, "start-unit-new")
    page.get_by_label("Type enhet").select_option("kulturskole")
    page.get_by_label("Navn").fill("Bodø kulturskole")
    page.get_by_label("Nasjonal organisasjon").select_option(label="Norsk kulturskoleråd")
    page.get_by_label("Kontaktperson").fill("Rita Rektor")
    page.get_by_label("Telefon").fill("755 55 555")
    page.get_by_label("Nettsted").fill("https://kulturskolen.bodo.example.org")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("«Bodø kulturskole» er lagt inn.")).to_be_visible()
    page.get_by_role("link", name="Ny enhet").click()
    page.get_by_label("Type enhet").select_option("kulturskole")
    page.get_by_label("Navn").fill("bodø KULTURSKOLE")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Kommunen har allerede en enhet med dette navnet."
    )
    check_page(page, "start-unit-duplicate", status_errors=[400])
    assert Unit.objects.filter(municipality__code="1804").count() == 1

    # A venue, with its accessibility.
    page.goto(live_server.url + "/kommuner/1804/kom-i-gang/")
    step(page, "venues").get_by_role("link").click()
    page.get_by_role("link", name="Nytt sted").click()
    page.get_by_label("Navn").fill("Stormen kulturhus")
    page.get_by_label("Trinnfri adkomst").check()
    page.get_by_label("Teleslynge").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("«Stormen kulturhus» er lagret.")).to_be_visible()

    # The answer deadline for proposals.
    page.goto(live_server.url + "/kommuner/1804/kom-i-gang/")
    step(page, "answer_deadline").get_by_role("link").click()
    page.get_by_label("Svarfrist i dager").fill("21")
    page.get_by_role("button", name=re.compile("Lagre")).click()
    expect(page.get_by_text("Svarfristen er lagret.")).to_be_visible()

    # Population figures: first a file for another municipality (refused), then Bodø's own.
    page.goto(live_server.url + "/kommuner/1804/kom-i-gang/")
    step(page, "population").get_by_role("link").click()
    check_page(page, "start-population")
    other = tmp_path / "arendal.csv"
    other.write_text("municipality_code,year,sex,age,persons\n4203,2026,1,13,265\n")
    page.get_by_label("Fil fra SSB (tabell 07459)").set_input_files(str(other))
    page.get_by_role("button", name="Last opp").click()
    expect(page.locator("#import-errors")).to_contain_text("en annen kommune enn Bodø")
    check_page(page, "start-population-other", status_errors=[400])
    assert not PopulationCell.objects.exists()
    page.get_by_label("Fil fra SSB (tabell 07459)").set_input_files(str(population_csv(tmp_path)))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_text("Befolkningstallene er lagret")).to_be_visible()
    expect(page.locator("#years-missing")).to_contain_text("Alle årene indikatorene trenger")

    # The first offer, published; then the kulturskole's pupils imported from its system.
    page.goto(live_server.url + "/kommuner/1804/kom-i-gang/")
    step(page, "offers").get_by_role("link").click()
    page.get_by_role("link", name="Nytt tilbud").click()
    page.get_by_label("Tittel").fill("Band for ungdom")
    page.get_by_label("Interesse").select_option("music")
    page.get_by_label("Fra alder").fill("13")
    page.get_by_label("Til alder").fill("19")
    page.get_by_label("Slik blir man med").select_option("drop_in")
    page.get_by_label("Starter").fill("2026-08-17")
    page.get_by_label("Slutter (siste dag)").fill("2026-12-18")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("h1")).to_have_text("Band for ungdom")
    page.get_by_role("button", name="Publiser").click()
    expect(page.get_by_text("er publisert og vises i katalogen")).to_be_visible()
    assert Offer.objects.get(title="Band for ungdom").status == Offer.Status.PUBLISHED
    unit = Unit.objects.get(municipality__code="1804")
    page.goto(live_server.url + f"/enheter/{unit.pk}/tilbud/")
    page.get_by_role("link", name="Importer påmeldinger").click()
    page.locator('input[type="file"][name="file"]').set_input_files(str(enrolments_csv(tmp_path)))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("Importen er ferdig")).to_be_visible()

    # The checklist says what is done.
    page.goto(live_server.url + "/kommuner/1804/")
    for key in ("units", "venues", "answer_deadline", "population", "offers"):
        expect(step(page, key)).to_have_attribute("data-done", "true")
    expect(step(page, "meeting")).to_have_attribute("data-done", "false")
    check_page(page, "start-checklist-progress")

    # --- A youth of Bodø registers, confirms the e-mail and proposes an idea.
    page.context.clear_cookies()
    page.goto(live_server.url + "/konto/registrer/")
    page.get_by_label("Fornavn").fill("Sander")
    page.get_by_label("E-post", exact=True).fill(YOUTH_EMAIL)
    page.get_by_label("Passord", exact=True).fill(YOUTH_PASSWORD)
    page.get_by_label("Gjenta passordet").fill(YOUTH_PASSWORD)
    page.get_by_label("Fødselsår").fill("2010")
    page.get_by_label("Vil ikke oppgi").check()
    page.get_by_label("Bostedskommune").select_option(label="Bodø")
    page.get_by_label(re.compile("samtykker til den")).check()
    page.get_by_role("button", name="Registrer meg").click()
    # A local account confirms its e-mail before it proposes anything.
    page.goto(live_server.url + link_in_mail(YOUTH_EMAIL, r"/konto/e-post/bekreft/"))
    page.get_by_role("button", name="Bekreft e-postadressen").click()
    log_in_with(page, live_server, YOUTH_EMAIL, YOUTH_PASSWORD)
    page.goto(live_server.url + "/kommuner/1804/forslag/")
    page.get_by_role("link", name="Kom med et forslag").click()
    page.get_by_label("Hva er ideen? (kort)").fill("Øvingsrom for band i helgene")
    page.get_by_label("Fortell mer").fill("Vi trenger et sted å øve på lørdager.")
    page.get_by_label("Hva handler det om?").select_option("music")
    page.get_by_role("button", name="Send inn forslaget").click()
    expect(page).to_have_url(re.compile(r"/forslag/\d+/$"))
    proposal = Proposal.objects.get(municipality__code="1804")

    # --- The project leader answers it.
    page.context.clear_cookies()
    log_in_with(page, live_server, LEADER_EMAIL, LEADER_PASSWORD)
    page.goto(live_server.url + f"/forslag/{proposal.pk}/")
    page.get_by_role("link", name="Svar på forslaget").click()
    page.get_by_label("vedtatt", exact=True).check()
    page.get_by_label("Begrunnelse").fill("Kulturskolen åpner øvingsrommet lørdager fra januar.")
    page.get_by_role("button", name="Lagre svaret").click()
    expect(page).to_have_url(re.compile(rf"/forslag/{proposal.pk}/$"))
    proposal.refresh_from_db()
    assert proposal.answered_at is not None

    # --- The dashboard has figures: the imported pupils against the uploaded population.
    page.goto(live_server.url + "/kommuner/1804/indikatorer/")
    expect(page.get_by_text(re.compile("Tallene ble beregnet"))).to_be_visible()
    check_page(page, "start-dashboard")
    measured = IndicatorValue.objects.filter(
        municipality__code="1804", key="participation.kulturskole", missing=""
    ).exclude(value=None)
    assert measured.exists()

    # --- The national overview shows how far Bodø has come.
    page.context.clear_cookies()
    log_in(page, live_server, personas.coordinator)
    page.goto(live_server.url + "/nasjonalt/")
    page.get_by_role("link", name="Kom i gang: hvor langt kommunene har kommet").click()
    row = page.locator('tr[data-code="1804"]')
    expect(row).to_contain_text("Bodø")
    expect(row).to_contain_text("av 11")
    check_page(page, "start-overview")
