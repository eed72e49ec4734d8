"""The demo data: the five pilot municipalities of 2020/21 and a clearly fictional population.

Every person here is made up (names drawn from common Norwegian first and last names, e-mail
addresses under the reserved .test domain). Running it twice changes nothing the second time.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from ungkultur.accounts.models import Consent, Gender, Guardianship, User
from ungkultur.demo.seed_evaluations import seed_evaluations
from ungkultur.demo.seed_indicators import seed_indicators
from ungkultur.demo.seed_meetings import seed_meetings
from ungkultur.demo.seed_offers import seed_offers
from ungkultur.demo.seed_participation import seed_participation
from ungkultur.demo.seed_planning import seed_planning
from ungkultur.demo.seed_surveys import seed_surveys
from ungkultur.municipalities.models import KKPeriod, Municipality, PopulationCell
from ungkultur.municipalities.selectors import codes_valid_on
from ungkultur.organisations.models import (
    Group,
    Membership,
    NationalRole,
    Organisation,
    Unit,
    UnitStaff,
)

PASSWORD = "ungkultur-demo"
DOMAIN = "ungkultur.test"
KICKOFF = datetime.date(2020, 2, 12)  # the pilot's joint kickoff
PILOTS = {
    # code: (name in e-mail addresses, rough population: only to size the fictional figures)
    "4203": ("arendal", 45000),
    "3303": ("kongsberg", 28000),
    "5028": ("melhus", 17000),
    "1124": ("sola", 28000),
    "1563": ("sunndal", 7000),
}
FIRST_NAMES = [
    "Emma",
    "Nora",
    "Sofie",
    "Ella",
    "Olivia",
    "Ingrid",
    "Maja",
    "Leah",
    "Frida",
    "Selma",
    "Jakob",
    "Noah",
    "Emil",
    "Lucas",
    "Oskar",
    "Filip",
    "Aksel",
    "Henrik",
    "Isak",
    "Theo",
    "Amina",
    "Yasmin",
    "Ali",
    "Mohammed",
    "Sara",
    "Elias",
    "Jonas",
    "Tiril",
    "Vilde",
    "Sander",
]
LAST_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
]
ORGANISATIONS = [
    ("Norsk kulturskoleråd", "NKR", "norsk-kulturskolerad", "https://www.kulturskoleradet.no/"),
    ("Ungdom og Fritid", "UoF", "ungdom-og-fritid", "https://www.ungdomogfritid.no/"),
    ("UKM Norge", "UKM", "ukm-norge", "https://www.ukm.no/"),
]


@dataclass
class DemoLogin:
    role: str
    email: str


class Seeder:
    def __init__(self, *, today: datetime.date):
        self.today = today
        self.random = random.Random(2020)  # fixed seed: the same people every run
        self.logins: list[DemoLogin] = []
        # Consents and guardianships were given two months before the demo is loaded.
        day = today - datetime.timedelta(days=60)
        self.consented_at = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)

    # --- people -----------------------------------------------------------------------------
    def person(self, email, *, birth_year=None, municipality=None, login_role=None, **fields):
        first = fields.pop("first_name", None) or self.random.choice(FIRST_NAMES)
        last = fields.pop("last_name", None) or self.random.choice(LAST_NAMES)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                PASSWORD,
                first_name=first,
                last_name=last,
                birth_year=birth_year,
                municipality=municipality,
                gender=fields.pop("gender", None) or self.random.choice(list(Gender.values)),
                # Demo people have confirmed their e-mail (proposals and votes need it).
                email_confirmed_at=self.consented_at,
                **fields,
            )
        if login_role:
            self.logins.append(DemoLogin(login_role, email))
        return user

    def youth(self, email, *, municipality, age, login_role=None):
        user = self.person(
            email,
            birth_year=self.today.year - age,
            municipality=municipality,
            login_role=login_role,
            last_name="",
        )
        Consent.objects.get_or_create(
            subject=user,
            purpose=Consent.Purpose.REGISTRATION,
            status=Consent.Status.GIVEN,
            defaults={
                "given_by": Consent.GivenBy.SELF,
                "grantor": user,
                "age_at_time": age,
                "text_version": settings.UNGKULTUR_CONSENT_TEXT_VERSION,
                "given_at": self.consented_at,
            },
        )
        return user

    def member(self, group, user, role, start=KICKOFF):
        Membership.objects.get_or_create(
            group=group, user=user, start=start, defaults={"role": role}
        )

    # --- structure --------------------------------------------------------------------------
    def organisations(self):
        orgs = {}
        for name, short, slug, url in ORGANISATIONS:
            orgs[short], _ = Organisation.objects.get_or_create(
                slug=slug, defaults={"name": name, "short_name": short, "website": url}
            )
        return orgs

    def national_group(self, kind, name, description):
        group, _ = Group.objects.get_or_create(
            kind=kind, municipality=None, defaults={"name": name, "description": description}
        )
        return group

    def national(self, orgs):
        admin = self.person(
            f"admin@{DOMAIN}",
            login_role="nasjonal administrator",
            first_name="Ada",
            last_name="Adminsen",
        )
        NationalRole.objects.get_or_create(user=admin, role=NationalRole.Role.ADMIN, start=KICKOFF)
        researcher = self.person(
            f"forsker@{DOMAIN}", login_role="forsker", first_name="Frida", last_name="Forskersen"
        )
        NationalRole.objects.get_or_create(
            user=researcher,
            role=NationalRole.Role.RESEARCHER,
            start=KICKOFF,
            defaults={"organisation": orgs["NKR"]},
        )
        steering = self.national_group(
            Group.Kind.STEERING_GROUP,
            "Styringsgruppen",
            "Har det overordnede ansvaret for prosjektet: lederne for de tre eierorganisasjonene.",
        )
        forum = self.national_group(
            Group.Kind.PROJECT_LEADER_FORUM,
            "Nasjonalt prosjektlederforum",
            "Hovedprosjektleder og to koordinatorer fra de to andre organisasjonene.",
        )
        leaders = self.national_group(
            Group.Kind.PROJECT_LEADER_GROUP,
            "Prosjektledergruppen",
            "De lokale prosjektlederne og de tre nasjonale koordinatorene.",
        )
        reference = self.national_group(
            Group.Kind.REFERENCE_GROUP,
            "Nasjonal referansegruppe",
            "Barne- og ungdomskulturnettverket: ledere i nasjonale kultur- og "
            "fritidsorganisasjoner.",
        )
        coordinators = []
        for i, (short, org) in enumerate(orgs.items()):
            director = self.person(f"leder.{short.lower()}@{DOMAIN}")
            self.member(steering, director, Membership.Role.DIRECTOR)
            coordinator = self.person(
                f"koordinator.{short.lower()}@{DOMAIN}",
                login_role="nasjonal koordinator" if i == 0 else None,
            )
            NationalRole.objects.get_or_create(
                user=coordinator,
                role=NationalRole.Role.COORDINATOR,
                start=KICKOFF,
                defaults={"organisation": org},
            )
            role = (
                Membership.Role.MAIN_PROJECT_LEADER
                if i == 0
                else Membership.Role.NATIONAL_COORDINATOR
            )
            self.member(forum, coordinator, role)
            self.member(leaders, coordinator, Membership.Role.NATIONAL_COORDINATOR)
            coordinators.append(coordinator)
        self.member(steering, coordinators[0], Membership.Role.MAIN_PROJECT_LEADER)
        for n in range(1, 8):
            rep = self.person(f"referanse{n}@{DOMAIN}")
            self.member(reference, rep, Membership.Role.CHAIR if n == 1 else Membership.Role.MEMBER)
        return leaders

    def municipality(self, code, key, size, orgs, leaders_group, first):
        municipality = Municipality.objects.get(code=code)
        if not municipality.kk_active or not municipality.is_pilot:
            municipality.kk_active = True
            municipality.is_pilot = True
            municipality.kk_active_since = KICKOFF
            municipality.save(update_fields=["kk_active", "is_pilot", "kk_active_since"])
        # Its period in KK since the kick-off, as switching it on in the product would keep it.
        KKPeriod.objects.get_or_create(
            municipality=municipality, end=None, defaults={"start": KICKOFF}
        )
        name = municipality.name

        def unit(kind, unit_name, org=None, description=""):
            return Unit.objects.get_or_create(
                municipality=municipality,
                name=unit_name,
                defaults={"kind": kind, "organisation": org, "description": description},
            )[0]

        kulturskole = unit(
            Unit.Kind.KULTURSKOLE,
            f"{name} kulturskole",
            orgs["NKR"],
            "Musikk, dans, teater, visuell kunst og skapende skriving.",
        )
        club = unit(
            Unit.Kind.YOUTH_CLUB,
            f"Fritidsklubben {name}",
            orgs["UoF"],
            "Åpen klubb for alle fra 10 til 18 år.",
        )
        if size > 20000:
            unit(
                Unit.Kind.YOUTH_CLUB,
                f"Ungdomshuset {name} sentrum",
                orgs["UoF"],
                "Studio, scene og gamingrom.",
            )
        ukm = unit(
            Unit.Kind.UKM,
            f"UKM {name}",
            orgs["UKM"],
            "Lokal mønstring hver vinter: scene, film, kunst og «jobbe med».",
        )
        unit(
            Unit.Kind.LIBRARY,
            f"{name} bibliotek",
            description="Møteplass, lesesirkler og skriveverksted.",
        )
        unit(Unit.Kind.ART_ASSOCIATION, f"{name} kunstforening")

        project_group, _ = Group.objects.get_or_create(
            kind=Group.Kind.LOCAL_PROJECT_GROUP,
            municipality=municipality,
            defaults={"name": f"Lokal prosjektgruppe {name}"},
        )
        resource_group, _ = Group.objects.get_or_create(
            kind=Group.Kind.YOUTH_RESOURCE_GROUP,
            municipality=municipality,
            defaults={"name": f"Ressursgruppe ungdom {name}", "seats": 5},
        )
        login = (lambda role: role) if first else (lambda role: None)
        leader = self.person(
            f"prosjektleder.{key}@{DOMAIN}",
            municipality=municipality,
            login_role=login("lokal prosjektleder"),
        )
        self.member(project_group, leader, Membership.Role.PROJECT_LEADER)
        self.member(leaders_group, leader, Membership.Role.PROJECT_LEADER)
        chief = self.person(f"kultursjef.{key}@{DOMAIN}", municipality=municipality)
        self.member(project_group, chief, Membership.Role.CULTURE_CHIEF)
        rector = self.person(
            f"rektor.{key}@{DOMAIN}",
            municipality=municipality,
            login_role=login("rektor (leder av kulturskolen)"),
        )
        self.member(project_group, rector, Membership.Role.KULTURSKOLE_RECTOR)
        self.staff(kulturskole, rector, UnitStaff.Role.RECTOR)
        club_leader = self.person(f"klubbleder.{key}@{DOMAIN}", municipality=municipality)
        self.member(project_group, club_leader, Membership.Role.CLUB_LEADER)
        self.staff(club, club_leader, UnitStaff.Role.CLUB_LEADER)
        ukm_contact = self.person(f"ukm.{key}@{DOMAIN}", municipality=municipality)
        self.member(project_group, ukm_contact, Membership.Role.UKM_CONTACT)
        self.staff(ukm, ukm_contact, UnitStaff.Role.UKM_CONTACT)
        teacher = self.person(
            f"laerer.{key}@{DOMAIN}",
            municipality=municipality,
            login_role=login("ansatt (lærer i kulturskolen)"),
        )
        self.staff(kulturskole, teacher, UnitStaff.Role.TEACHER)
        worker = self.person(f"ungdomsarbeider.{key}@{DOMAIN}", municipality=municipality)
        self.staff(club, worker, UnitStaff.Role.YOUTH_WORKER)

        for n in range(1, 6):
            member = self.youth(
                f"ressurs{n}.{key}@{DOMAIN}",
                municipality=municipality,
                age=13 + n,
                login_role=login("ungdom i ressursgruppa") if n == 1 else None,
            )
            self.member(
                resource_group,
                member,
                Membership.Role.YOUTH_MEMBER,
                start=datetime.date(
                    self.today.year if self.today.month >= 8 else self.today.year - 1, 8, 15
                ),
            )
        for n in range(1, 4):
            self.youth(
                f"ungdom{n}.{key}@{DOMAIN}",
                municipality=municipality,
                age=12 + 2 * n,
                login_role=login("ungdom") if n == 1 else None,
            )
        self.family(municipality, key, login)

    def family(self, municipality, key, login):
        guardian = self.person(
            f"foresatt.{key}@{DOMAIN}", municipality=municipality, login_role=login("foresatt")
        )
        child = self.person(
            f"barn.{key}@{DOMAIN}",
            municipality=municipality,
            birth_year=self.today.year - 11,
            last_name="",
        )
        Guardianship.objects.get_or_create(
            guardian=guardian,
            child=child,
            defaults={"confirmed_at": self.consented_at},
        )
        Consent.objects.get_or_create(
            subject=child,
            purpose=Consent.Purpose.REGISTRATION,
            status=Consent.Status.GIVEN,
            defaults={
                "given_by": Consent.GivenBy.GUARDIAN,
                "grantor": guardian,
                "age_at_time": 11,
                "text_version": settings.UNGKULTUR_CONSENT_TEXT_VERSION,
                "given_at": self.consented_at,
            },
        )

    def staff(self, unit, user, role):
        UnitStaff.objects.get_or_create(
            unit=unit, user=user, start=KICKOFF, defaults={"role": role}
        )

    # --- population ---------------------------------------------------------------------------
    def population(self, municipality, size):
        """Fictional population figures, ages 0–25, 2020 to this year, under the number valid
        each year (Kongsberg: 3006 until 2023, 3303 from 2024)."""
        rng = random.Random(municipality.code)
        per_age = size / 85
        cells = []
        for year in range(2020, self.today.year + 1):
            (code,) = codes_valid_on(municipality, datetime.date(year, 1, 1))[:1]
            for age in range(26):
                for sex in (1, 2):
                    persons = round(per_age / 2 * rng.uniform(0.85, 1.15))
                    cells.append(
                        PopulationCell(code=code, year=year, sex=sex, age=age, persons=persons)
                    )
        existing = set(
            PopulationCell.objects.filter(code__in={c.code for c in cells}).values_list(
                "code", "year", "sex", "age"
            )
        )
        PopulationCell.objects.bulk_create(
            [c for c in cells if (c.code, c.year, c.sex, c.age) not in existing], batch_size=2000
        )

    def run(self):
        orgs = self.organisations()
        leaders_group = self.national(orgs)
        for i, (code, (key, size)) in enumerate(PILOTS.items()):
            self.municipality(code, key, size, orgs, leaders_group, first=i == 0)
            municipality = Municipality.objects.get(code=code)
            self.population(municipality, size)
            seed_offers(municipality=municipality, size=size, today=self.today)
        pilots = list(Municipality.objects.filter(code__in=PILOTS).order_by("code"))
        for seed in (
            seed_participation,
            seed_meetings,
            seed_planning,
            seed_surveys,
            seed_indicators,
            seed_evaluations,
        ):
            seed(municipalities=pilots, today=self.today)
        return self.logins


@transaction.atomic
def seed_demo(*, today: datetime.date) -> list[DemoLogin]:
    return Seeder(today=today).run()
