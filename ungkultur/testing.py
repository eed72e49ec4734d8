"""The shared test base: personas in two municipalities (Arendal and Sola).

Every role of docs/architecture.md exists in Arendal; Sola has its own staff and youth, so that a
test can show that an Arendal object answers 404 to Sola's staff.
"""

import datetime
from types import SimpleNamespace

from ungkultur.accounts.models import Gender, Guardianship, User
from ungkultur.catalogue.models import Category, Offer, Venue
from ungkultur.municipalities.models import County, Municipality, MunicipalityCode
from ungkultur.municipalities.reference import load_municipalities
from ungkultur.organisations.models import (
    Group,
    Membership,
    NationalRole,
    Organisation,
    Unit,
    UnitStaff,
)

START = datetime.date(2020, 2, 12)
# Offers in the autumn term of 2026 (docs/indicators.md: 1 August to 31 December).
TERM_START = datetime.date(2026, 8, 1)
TERM_END = datetime.date(2026, 12, 18)
PASSWORD = "Test-passord-123"


def make_user(email, *, first_name, birth_year=None, municipality=None, **fields):
    # The personas have confirmed their e-mail (a test of an unconfirmed account says so).
    fields.setdefault("email_confirmed_at", datetime.datetime(2020, 2, 12, tzinfo=datetime.UTC))
    return User.objects.create_user(
        email,
        PASSWORD,
        first_name=first_name,
        last_name=fields.pop("last_name", "Testesen"),
        birth_year=birth_year,
        municipality=municipality,
        gender=fields.pop("gender", Gender.UNDISCLOSED),
        **fields,
    )


def make_local_structure(municipality, key):
    """Units and the two local groups of one municipality, with staff and youth."""
    p = SimpleNamespace()
    p.kulturskole = Unit.objects.create(
        municipality=municipality,
        kind=Unit.Kind.KULTURSKOLE,
        name=f"{municipality.name} kulturskole",
    )
    p.club = Unit.objects.create(
        municipality=municipality, kind=Unit.Kind.YOUTH_CLUB, name=f"Klubben {municipality.name}"
    )
    p.ukm = Unit.objects.create(
        municipality=municipality, kind=Unit.Kind.UKM, name=f"UKM {municipality.name}"
    )
    p.library = Unit.objects.create(
        municipality=municipality, kind=Unit.Kind.LIBRARY, name=f"{municipality.name} bibliotek"
    )
    p.project_group = Group.objects.create(
        kind=Group.Kind.LOCAL_PROJECT_GROUP,
        municipality=municipality,
        name=f"Lokal prosjektgruppe {municipality.name}",
    )
    p.resource_group = Group.objects.create(
        kind=Group.Kind.YOUTH_RESOURCE_GROUP,
        municipality=municipality,
        name=f"Ressursgruppe ungdom {municipality.name}",
        seats=5,
    )
    p.leader = make_user(
        f"leder.{key}@example.org", first_name=f"Leder{key.upper()}", municipality=municipality
    )
    Membership.objects.create(
        group=p.project_group, user=p.leader, role=Membership.Role.PROJECT_LEADER, start=START
    )
    p.teacher = make_user(
        f"laerer.{key}@example.org", first_name=f"Lærer{key.upper()}", municipality=municipality
    )
    UnitStaff.objects.create(
        unit=p.kulturskole, user=p.teacher, role=UnitStaff.Role.TEACHER, start=START
    )
    # The kulturskole's leader: runs its offers, rounds, imports and cancellations.
    p.rector = make_user(
        f"rektor.{key}@example.org", first_name=f"Rektor{key.upper()}", municipality=municipality
    )
    UnitStaff.objects.create(
        unit=p.kulturskole, user=p.rector, role=UnitStaff.Role.RECTOR, start=START
    )
    p.club_worker = make_user(
        f"klubb.{key}@example.org", first_name=f"Klubb{key.upper()}", municipality=municipality
    )
    UnitStaff.objects.create(
        unit=p.club, user=p.club_worker, role=UnitStaff.Role.YOUTH_WORKER, start=START
    )
    p.ukm_contact = make_user(
        f"ukm.{key}@example.org", first_name=f"Ukm{key.upper()}", municipality=municipality
    )
    UnitStaff.objects.create(
        unit=p.ukm, user=p.ukm_contact, role=UnitStaff.Role.UKM_CONTACT, start=START
    )
    p.youth_member = make_user(
        f"ressurs.{key}@example.org",
        first_name=f"Ressurs{key.upper()}",
        birth_year=2010,
        municipality=municipality,
    )
    Membership.objects.create(
        group=p.resource_group, user=p.youth_member, role=Membership.Role.YOUTH_MEMBER, start=START
    )
    p.youth = make_user(
        f"ungdom.{key}@example.org",
        first_name=f"Ungdom{key.upper()}",
        birth_year=2011,
        municipality=municipality,
    )
    make_offers(p, municipality)
    # The teacher teaches piano (attendance, the group's list), not the other offers.
    p.piano.teachers.add(p.teacher)
    return p


def make_offers(p, municipality):
    """A venue and one offer of each way of joining, in the autumn term of 2026."""
    p.venue = Venue.objects.create(
        municipality=municipality, name=f"Kulturhuset {municipality.name}", step_free=True
    )
    common = {"municipality": municipality, "venue": p.venue, "status": Offer.Status.PUBLISHED}
    p.piano = Offer.objects.create(
        unit=p.kulturskole,
        title="Piano",
        category=Category.MUSIC,
        age_min=8,
        age_max=19,
        price=1800,
        reduced_price=900,
        join_mode=Offer.JoinMode.APPLICATION,
        capacity=2,
        subject_area=Offer.SubjectArea.MUSIC,
        programme=Offer.Programme.CORE,
        term_start=TERM_START,
        term_end=TERM_END,
        application_deadline=datetime.date(2026, 6, 1),
        **common,
    )
    p.workshop = Offer.objects.create(
        unit=p.library,
        title="Tegneserieverksted",
        category=Category.VISUAL_ART,
        age_min=12,
        age_max=16,
        join_mode=Offer.JoinMode.REGISTRATION,
        capacity=2,
        term_start=TERM_START,
        term_end=TERM_END,
        **common,
    )
    p.open_club = Offer.objects.create(
        unit=p.club,
        title="Åpen klubb",
        category=Category.OTHER,
        age_min=10,
        age_max=18,
        join_mode=Offer.JoinMode.DROP_IN,
        term_start=TERM_START,
        term_end=TERM_END,
        **common,
    )


def make_personas():
    # A transactional test (browser, worker) empties the tables the migration filled.
    load_municipalities(County, Municipality, MunicipalityCode)
    arendal = Municipality.objects.get(code="4203")
    sola = Municipality.objects.get(code="1124")
    Municipality.objects.filter(pk__in=[arendal.pk, sola.pk]).update(
        kk_active=True, kk_active_since=START
    )
    arendal.refresh_from_db()
    sola.refresh_from_db()
    nkr = Organisation.objects.create(name="Norsk kulturskoleråd", short_name="NKR", slug="nkr")
    a = make_local_structure(arendal, "a")
    b = make_local_structure(sola, "b")
    admin = make_user("admin@example.org", first_name="Admin")
    NationalRole.objects.create(user=admin, role=NationalRole.Role.ADMIN, start=START)
    coordinator = make_user("koordinator@example.org", first_name="Koordinator")
    NationalRole.objects.create(
        user=coordinator, role=NationalRole.Role.COORDINATOR, organisation=nkr, start=START
    )
    researcher = make_user("forsker@example.org", first_name="Forsker")
    NationalRole.objects.create(user=researcher, role=NationalRole.Role.RESEARCHER, start=START)
    child = make_user(
        "barn.a@example.org", first_name="BarnA", birth_year=2015, municipality=arendal
    )
    guardian = make_user("foresatt.a@example.org", first_name="ForesattA", municipality=arendal)
    Guardianship.objects.create(
        guardian=guardian,
        child=child,
        confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    steering = Group.objects.create(kind=Group.Kind.STEERING_GROUP, name="Styringsgruppen")
    Membership.objects.create(
        group=steering, user=coordinator, role=Membership.Role.MEMBER, start=START
    )
    return SimpleNamespace(
        arendal=arendal,
        sola=sola,
        nkr=nkr,
        a=a,
        b=b,
        steering=steering,
        admin=admin,
        coordinator=coordinator,
        researcher=researcher,
        leader_a=a.leader,
        teacher_a=a.teacher,
        rector_a=a.rector,
        youth_member_a=a.youth_member,
        youth_a=a.youth,
        child_a=child,
        guardian_a=guardian,
        leader_b=b.leader,
        teacher_b=b.teacher,
        rector_b=b.rector,
        youth_b=b.youth,
    )
