"""Demo data for participation: proposals in every state (one overdue), supports and comments,
a youth budget round and a quick poll per pilot. All fictional; running it twice changes
nothing the second time."""

import datetime

from ungkultur.accounts.models import User
from ungkultur.catalogue.models import Offer
from ungkultur.organisations.models import Unit
from ungkultur.participation import services
from ungkultur.participation.models import (
    BudgetProject,
    BudgetRound,
    Poll,
    Proposal,
    ProposalSupport,
)

DOMAIN = "ungkultur.test"
# (title, text, category, services, days ago, what happened: (status, days to answer) steps)
PROPOSALS = [
    (
        "Åpent lydstudio på fredager",
        "Vi er mange som lager musikk hjemme. Kan klubben ha studioet åpent på fredager, med "
        "en voksen som kan litt om innspilling?",
        "music",
        ["club"],
        150,
        ("implemented", 12),
    ),
    (
        "Gamingkveld med turnering",
        "En kveld i måneden med turnering i klubben, der alle kan være med.",
        "gaming",
        ["club"],
        120,
        ("in_progress", 20),
    ),
    (
        "Dansekurs i hiphop for nybegynnere",
        "Kulturskolen har ballett, men ikke hiphop. Mange vil prøve uten å ha danset før.",
        "dance",
        ["kulturskole"],
        90,
        ("accepted", 25),
    ),
    (
        "UKM-verksted for dem som vil jobbe bak scenen",
        "Lys, lyd og konferansier: vi vil lære det før mønstringen.",
        "film_media",
        ["ukm"],
        80,
        ("partly_accepted", 41),
    ),
    (
        "Gratis kino for alle under 18",
        "Kinoen er dyr. Kan kommunen betale?",
        "film_media",
        [],
        70,
        ("rejected", 18),
    ),
    (
        "Skriveverksted på biblioteket",
        "Et verksted for dikt og noveller, der vi kan lese for hverandre.",
        "creative_writing",
        ["kulturskole"],
        45,
        ("overdue", None),
    ),
    (
        "Graffitivegg ved ungdomshuset",
        "En lovlig vegg der vi kan male, og et kurs for å komme i gang.",
        "visual_art",
        ["club", "kulturskole"],
        12,
        ("considering", None),
    ),
    (
        "Brettspillkafé i helgene",
        "Et sted å være på lørdager som ikke koster penger.",
        "other",
        ["club"],
        3,
        ("submitted", None),
    ),
]
ANSWERS = {
    "implemented": "Ja! Studioet er åpent fredager fra januar, med en ungdomsarbeider til stede.",
    "in_progress": "Ja. Vi kjøper inn utstyr og starter etter vinterferien.",
    "accepted": "Ja. Kulturskolen starter et hiphopkurs til høsten.",
    "partly_accepted": (
        "Delvis: UKM holder et verksted om lyd og lys, men ikke om konferansier i år."
    ),
    "rejected": "Nei, kommunen har ikke penger til gratis kino. Klubben viser film hver onsdag.",
}


def _at(today: datetime.date, days_ago: int, hour: int = 12) -> datetime.datetime:
    day = today - datetime.timedelta(days=days_ago)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def _people(key):
    youth = list(
        User.objects.filter(email__startswith="ungdom", email__endswith=f".{key}@{DOMAIN}")
    )
    members = list(
        User.objects.filter(email__startswith="ressurs", email__endswith=f".{key}@{DOMAIN}")
    )
    leader = User.objects.filter(email=f"prosjektleder.{key}@{DOMAIN}").first()
    return youth, members, leader


def _seed_proposals(municipality, key, today):
    if Proposal.objects.filter(municipality=municipality).exists():
        return
    youth, members, leader = _people(key)
    if not (youth and members and leader):
        return
    authors = youth + members
    offer = Offer.objects.filter(municipality=municipality).order_by("pk").first()
    for n, (title, text, category, concerns, days_ago, (state, days)) in enumerate(PROPOSALS):
        submitted = _at(today, days_ago, hour=9)
        proposal = services.proposal_create(
            actor=authors[n % len(authors)],
            municipality=municipality,
            title=title,
            text=text,
            category=category,
            services=concerns,
            now=submitted,
        )
        for supporter in [p for p in authors if p != proposal.author][: (n * 3) % 7]:
            ProposalSupport.objects.create(proposal=proposal, user=supporter, created_at=submitted)
        if n % 3 == 0:
            services.comment_create(
                actor=members[0] if proposal.author != members[0] else youth[0],
                proposal=proposal,
                text="God idé! Jeg blir med hvis det blir noe av.",
                now=submitted + datetime.timedelta(hours=5),
            )
        if state in ("submitted", "overdue"):
            continue
        services.proposal_consider(
            actor=leader,
            proposal=proposal,
            note="Tas opp i neste møte i prosjektgruppa.",
            now=submitted + datetime.timedelta(days=2),
        )
        if state == "considering":
            continue
        decision = state if state in ("accepted", "partly_accepted", "rejected") else "accepted"
        answered_at = submitted + datetime.timedelta(days=days)
        services.proposal_answer(
            actor=leader,
            proposal=proposal,
            status=decision,
            answer=ANSWERS[state],
            youth_participants=[
                m.user
                for m in services.resource_group_youth(municipality, day=answered_at.date())[:2]
            ],
            now=answered_at,
        )
        if state in ("in_progress", "implemented"):
            services.proposal_follow_up(
                actor=leader,
                proposal=proposal,
                status="in_progress",
                note="Arbeidet er i gang.",
                now=answered_at + datetime.timedelta(days=10),
            )
        if state == "implemented":
            services.proposal_follow_up(
                actor=leader,
                proposal=proposal,
                status="implemented",
                outcome_offer=offer,
                outcome_text="Studioet er åpent hver fredag kl. 18–21.",
                now=answered_at + datetime.timedelta(days=40),
            )


def _seed_budget(municipality, key, today, *, voting: bool):
    if BudgetRound.objects.filter(municipality=municipality).exists():
        return
    youth, members, leader = _people(key)
    if not (youth and members and leader):
        return
    if voting:
        opens, closes = _at(today, 40), _at(today, 15)
        vote_opens, vote_closes = _at(today, 5), _at(today, -10)
    else:
        opens, closes = _at(today, 200), _at(today, 170)
        vote_opens, vote_closes = _at(today, 160), _at(today, 140)
    round_ = BudgetRound.objects.create(
        municipality=municipality,
        title=f"Ungdomsbudsjett {municipality.name} {vote_closes.year}",
        description="Ungdom bestemmer hva 100 000 kroner skal brukes til.",
        amount=100_000,
        propose_opens=opens,
        propose_closes=closes,
        vote_opens=vote_opens,
        vote_closes=vote_closes,
    )
    ideas = [
        ("Nytt lydanlegg til klubben", 45_000, True, ""),
        ("Filmkurs i sommerferien", 30_000, True, ""),
        ("Graffitivegg med kurs", 35_000, True, ""),
        (
            "Tur til Roskilde for alle",
            90_000,
            False,
            "Kommunen kan ikke betale reiser til utlandet.",
        ),
    ]
    authors = youth + members
    projects = []
    for n, (title, cost, feasible, reason) in enumerate(ideas):
        projects.append(
            BudgetProject.objects.create(
                round=round_,
                author=authors[n % len(authors)],
                author_name=authors[n % len(authors)].nickname,
                title=title,
                description="Et forslag fra ungdom i kommunen.",
                cost=cost,
                created_at=opens + datetime.timedelta(days=2 + n),
                feasibility="feasible" if feasible else "not_feasible",
                feasibility_reason=reason,
                checked_by=leader,
            )
        )
    choices = [[0, 1], [0, 2], [1, 2], [0], [2, 1], [0, 1], [1]]
    for voter, choice in zip(authors, choices, strict=False):
        services.ballot_cast(
            actor=voter,
            round=round_,
            projects=[projects[i] for i in choice],
            now=vote_opens + datetime.timedelta(hours=3),
        )
    if not voting:
        services.budget_round_publish(
            actor=leader, round=round_, now=vote_closes + datetime.timedelta(days=1)
        )
        for project in round_.projects.filter(funded=True):
            project.progress = 60
            project.progress_note = "Innkjøpt, kurset starter snart."
            project.save(update_fields=["progress", "progress_note"])


def _seed_poll(municipality, today):
    club = Unit.objects.filter(municipality=municipality, kind=Unit.Kind.YOUTH_CLUB).first()
    if club is None or Poll.objects.filter(unit=club).exists():
        return
    poll = services.poll_create(
        actor=None,
        unit=club,
        title="Hva syns du om klubbkvelden?",
        minutes=60 * 24 * 30,
        questions=[
            ("Hvordan var kvelden?", ["Supert", "Helt ok", "Kjedelig"]),
            ("Hva vil du ha mer av?", ["Musikk", "Gaming", "Kunst", "Sport"]),
        ],
        now=_at(today, 1, hour=17),
    )
    q1, q2 = poll.questions.all()
    for n in range(9):
        services.poll_answer(
            poll=poll, answers={q1.pk: n % 2, q2.pk: n % 4}, now=_at(today, 1, hour=19)
        )


def seed_participation(*, municipalities: list, today: datetime.date) -> None:
    """Seed participation for the pilot municipalities (idempotent)."""
    from ungkultur.demo.seed import PILOTS

    for i, municipality in enumerate(municipalities):
        key = PILOTS.get(municipality.code, (None,))[0]
        if key is None:
            continue
        _seed_proposals(municipality, key, today)
        _seed_budget(municipality, key, today, voting=i % 2 == 1)
        _seed_poll(municipality, today)
