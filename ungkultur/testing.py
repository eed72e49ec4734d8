"""The shared test base: personas in two municipalities (Arendal and Sola).

Every role of DESIGN.md §1 exists in Arendal; Sola has its own staff and youth, so that a
test can show that an Arendal object answers 404 to Sola's staff.
"""

import datetime
from types import SimpleNamespace

from ungkultur.accounts.models import Gender, Guardianship, User
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
PASSWORD = "Test-passord-123"


def make_user(email, *, first_name, birth_year=None, municipality=None, **fields):
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
    return p


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
        youth_member_a=a.youth_member,
        youth_a=a.youth,
        child_a=child,
        guardian_a=guardian,
        leader_b=b.leader,
        teacher_b=b.teacher,
        youth_b=b.youth,
    )
