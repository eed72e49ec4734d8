"""A youth's path through participation, on a phone and a desktop, with axe-core on every page:
propose an idea, see another youth support it, follow it to its answer, and vote in the youth
budget. The project leader answers through the pages too."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.participation.models import (
    Ballot,
    BudgetProject,
    BudgetRound,
    Proposal,
    ProposalSupport,
)
from ungkultur.participation.services import poll_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_youth_proposes_and_follows_it_to_the_answer(page, live_server, personas):
    log_in(page, live_server, personas.youth_a)
    page.goto(live_server.url + "/kommuner/4203/forslag/")
    check_page(page, "proposals-empty")
    page.get_by_role("link", name="Kom med et forslag").click()
    check_page(page, "proposal-new")
    page.get_by_role("button", name="Send inn forslaget").click()
    check_page(page, "proposal-new-errors", status_errors=[400])
    expect(page.get_by_role("alert")).to_contain_text("Feltet er påkrevet.")
    page.get_by_label("Hva er ideen? (kort)").fill("Åpent lydstudio på fredager")
    page.get_by_label("Fortell mer").fill("Vi vil spille inn musikk på klubben.")
    page.get_by_label("Hva handler det om?").select_option("music")
    page.get_by_label("fritidsklubben").check()
    page.get_by_role("button", name="Send inn forslaget").click()
    expect(page).to_have_url(re.compile(r"/forslag/\d+/$"))
    check_page(page, "proposal-submitted")
    expect(page.get_by_text("Sendt inn", exact=True).first).to_be_visible()
    proposal = Proposal.objects.get()

    # Another youth supports it.
    page.context.clear_cookies()
    log_in(page, live_server, personas.youth_member_a)
    page.goto(live_server.url + f"/forslag/{proposal.pk}/")
    page.get_by_role("button", name="Støtt forslaget").click()
    check_page(page, "proposal-supported")
    expect(page.get_by_text("Du støtter dette forslaget.")).to_be_visible()
    assert ProposalSupport.objects.filter(proposal=proposal).count() == 1

    # The project leader answers.
    page.context.clear_cookies()
    log_in(page, live_server, personas.leader_a)
    page.goto(live_server.url + "/kommuner/4203/forslag/oppfolging/")
    check_page(page, "proposals-follow-up")
    page.goto(live_server.url + f"/forslag/{proposal.pk}/")
    page.get_by_role("link", name="Svar på forslaget").click()
    check_page(page, "proposal-answer")
    page.get_by_label("delvis vedtatt").check()
    page.get_by_label("Begrunnelse").fill("Studioet blir åpent én fredag i måneden fra januar.")
    page.get_by_label(personas.youth_member_a.full_name).check()
    page.get_by_role("button", name="Lagre svaret").click()
    expect(page).to_have_url(re.compile(rf"/forslag/{proposal.pk}/$"))

    # The youth sees the answer and hears about it.
    page.context.clear_cookies()
    log_in(page, live_server, personas.youth_a)
    check_page(page, "mypage-with-proposals")
    expect(page.get_by_role("heading", name="Forslagene mine")).to_be_visible()
    page.get_by_role("link", name="Alle varsler").click()
    check_page(page, "notifications")
    page.get_by_role("link", name=re.compile("har fått ny status: delvis vedtatt")).click()
    check_page(page, "proposal-answered")
    expect(page.get_by_text("Studioet blir åpent én fredag i måneden fra januar.")).to_be_visible()
    page.goto(live_server.url + "/kommuner/4203/forslag/")
    check_page(page, "proposals-public")
    expect(page.locator(".participation-figures")).to_contain_text("100 %")


def test_youth_votes_in_the_youth_budget(page, live_server, personas):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    round_ = BudgetRound.objects.create(
        municipality=personas.arendal,
        title="Ungdomsbudsjett Arendal",
        amount=100_000,
        propose_opens=now - 30 * day,
        propose_closes=now - 20 * day,
        vote_opens=now - day,
        vote_closes=now + 10 * day,
    )
    for title, cost in (("Lydanlegg", 60_000), ("Filmkurs", 30_000), ("Graffitivegg", 50_000)):
        BudgetProject.objects.create(
            round=round_,
            author_name="Ung",
            title=title,
            description="Et prosjekt fra ungdom.",
            cost=cost,
            created_at=now - 25 * day,
            feasibility="feasible",
        )
    log_in(page, live_server, personas.youth_a)
    page.goto(live_server.url + f"/ungdomsbudsjett/{round_.pk}/")
    check_page(page, "budget-voting")
    page.get_by_role("link", name="Stem").click()
    check_page(page, "budget-vote")
    # The running total follows the ticks, and says when it is more than there is.
    total = page.locator("[data-budget-total]")
    over = total.locator("[data-budget-over]")
    expect(total.locator("output")).to_have_text(re.compile(r"^0\skr$"))
    page.get_by_label(re.compile("Lydanlegg")).check()
    expect(total.locator("output")).to_have_text(re.compile(r"^60\s000\skr$"))
    expect(over).to_be_hidden()
    page.get_by_label(re.compile("Graffitivegg")).check()
    expect(total.locator("output")).to_have_text(re.compile(r"^110\s000\skr$"))
    expect(over).to_be_visible()
    page.get_by_role("button", name="Lagre stemmen").click()
    check_page(page, "budget-vote-over", status_errors=[400])
    expect(page.get_by_role("alert")).to_contain_text("budsjettet er 100\u00a0000 kr")
    expect(page.locator("[data-budget-total] output")).to_have_text(re.compile(r"^110\s000\skr$"))
    page.get_by_label(re.compile("Graffitivegg")).uncheck()
    page.get_by_label(re.compile("Filmkurs")).check()
    expect(page.locator("[data-budget-total] output")).to_have_text(re.compile(r"^90\s000\skr$"))
    expect(page.locator("[data-budget-over]")).to_be_hidden()
    page.get_by_role("button", name="Lagre stemmen").click()
    expect(page).to_have_url(re.compile(rf"/ungdomsbudsjett/{round_.pk}/$"))
    check_page(page, "budget-voted")
    ballot = Ballot.objects.get()
    assert sorted(ballot.projects.values_list("title", flat=True)) == ["Filmkurs", "Lydanlegg"]


def test_quick_poll_on_a_phone_without_an_account(page, live_server, personas):
    poll = poll_create(
        actor=personas.a.club_worker,
        unit=personas.a.club,
        title="Kveldens klubb",
        minutes=60,
        questions=[("Hvordan var kvelden?", ["Bra", "Helt ok", "Kjedelig"])],
        now=timezone.now(),
    )
    page.goto(live_server.url + f"/m/{poll.slug}/")
    check_page(page, "poll-answer")
    page.get_by_label("Helt ok").check()
    page.get_by_role("button", name="Send svaret").click()
    check_page(page, "poll-answered")
    expect(page.get_by_text("Du har svart. Takk!")).to_be_visible()
    expect(page.get_by_text("Resultatet vises når minst 5 har svart.")).to_be_visible()
    log_in(page, live_server, personas.a.club_worker)
    page.goto(live_server.url + f"/malinger/{poll.pk}/")
    check_page(page, "poll-staff")
    expect(page.get_by_role("img", name="QR-kode til målingen")).to_be_visible()


def test_youth_chooses_a_nickname_and_is_shown_by_it(page, live_server, personas):
    youth = personas.youth_a
    proposal = Proposal.objects.create(
        municipality=personas.arendal,
        author=youth,
        author_name="",
        title="Åpent lydstudio",
        text="Vi vil spille inn musikk.",
        category="music",
        submitted_at=timezone.now(),
        answer_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    page.goto(live_server.url + f"/forslag/{proposal.pk}/")
    expect(page.locator(".participation-meta")).to_contain_text("en ungdom")
    log_in(page, live_server, youth)
    page.get_by_role("link", name="Velg et kallenavn").click()
    check_page(page, "profile-nickname")
    page.get_by_label("Kallenavn (kan stå tomt)").fill(youth.first_name)
    page.get_by_role("button", name="Lagre").click()
    check_page(page, "profile-nickname-refused", status_errors=[400])
    expect(page.get_by_role("alert")).to_contain_text("fornavnet eller etternavnet")
    page.get_by_label("Kallenavn (kan stå tomt)").fill("Blåbær")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Innstillingene er lagret.")).to_be_visible()
    page.context.clear_cookies()
    page.goto(live_server.url + f"/forslag/{proposal.pk}/")
    check_page(page, "proposal-by-nickname")
    expect(page.locator(".participation-meta")).to_contain_text("Blåbær")
    expect(page.locator("main")).not_to_contain_text(youth.first_name)
