import datetime

import pytest
from django.core.management import call_command

from ungkultur.accounts.models import User
from ungkultur.municipalities.models import Municipality, PopulationCell
from ungkultur.municipalities.selectors import population
from ungkultur.organisations.models import Group, Membership, Organisation
from ungkultur.organisations.selectors import roles_for

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def seeded():
    from ungkultur.demo.seed import seed_demo

    return seed_demo(today=TODAY)


def counts():
    return [m.objects.count() for m in (User, Group, Membership, Organisation, PopulationCell)]


def test_it_is_idempotent(seeded):
    from ungkultur.demo.seed import seed_demo

    before = counts()
    seed_demo(today=TODAY)
    assert counts() == before


def test_the_five_pilots_run_kk_with_the_seed_organisation(seeded):
    pilots = Municipality.objects.filter(is_pilot=True, kk_active=True)
    assert sorted(pilots.values_list("code", flat=True)) == ["1124", "1563", "3303", "4203", "5028"]
    assert Organisation.objects.count() == 3
    for municipality in pilots:
        # One open period in KK, from the day «med i KK siden» says.
        assert municipality.kk_periods.get(end=None).start == municipality.kk_active_since
        project = Group.objects.get(municipality=municipality, kind=Group.Kind.LOCAL_PROJECT_GROUP)
        roles = set(project.memberships.values_list("role", flat=True))
        assert roles == {
            "project_leader",
            "culture_chief",
            "kulturskole_rector",
            "club_leader",
            "ukm_contact",
        }
        resource = Group.objects.get(
            municipality=municipality, kind=Group.Kind.YOUTH_RESOURCE_GROUP
        )
        assert resource.memberships.filter(role="youth_member").count() == 5
    national_kinds = set(Group.objects.filter(municipality=None).values_list("kind", flat=True))
    assert national_kinds == {
        "steering_group",
        "reference_group",
        "project_leader_forum",
        "project_leader_group",
    }
    # The project leader group: five local project leaders and three national coordinators.
    leaders = Group.objects.get(kind=Group.Kind.PROJECT_LEADER_GROUP)
    assert leaders.memberships.count() == 8


def test_there_is_one_demo_login_per_role(seeded):
    roles = {login.role for login in seeded}
    assert len(roles) == len(seeded) == 9
    admin = User.objects.get(email="admin@ungkultur.test")
    assert roles_for(admin).is_admin
    assert admin.check_password("ungkultur-demo")


def test_the_demo_rector_leads_and_the_demo_teacher_teaches_the_music_groups(seeded):
    from ungkultur.catalogue.models import Offer

    logins = {login.role: login.email for login in seeded}
    teacher = User.objects.get(email=logins["ansatt (lærer i kulturskolen)"])
    rector = User.objects.get(email=logins["rektor (leder av kulturskolen)"])
    offers = list(Offer.objects.filter(unit__staff__user=teacher).distinct())
    taught = [o for o in offers if o.teachers.filter(pk=teacher.pk).exists()]
    assert taught and len(taught) < len(offers)
    assert {o.subject_area for o in taught} == {Offer.SubjectArea.MUSIC}
    assert all(rector.has_perm("enrolment.manage", o) for o in offers)
    assert not any(teacher.has_perm("enrolment.manage", o) for o in offers)
    assert all(teacher.has_perm("enrolment.take_attendance", o) for o in taught)


def test_kongsberg_population_follows_its_number(seeded):
    kongsberg = Municipality.objects.get(code="3303")
    assert PopulationCell.objects.filter(code="3006", year=2023).exists()
    assert not PopulationCell.objects.filter(code="3303", year=2023).exists()
    assert population(kongsberg, year=2023, age_from=13, age_to=19) > 0
    assert population(kongsberg, year=2024, age_from=13, age_to=19) > 0


def test_the_command_prints_the_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin@ungkultur.test" in out
    assert "ungkultur-demo" in out


def test_each_pilot_has_offers_enrolments_club_evenings_and_ukm(seeded):
    from ungkultur.catalogue.models import Offer
    from ungkultur.clubs.models import ClubEvening
    from ungkultur.enrolment.models import Enrolment
    from ungkultur.ukm.models import Innslag

    for municipality in Municipality.objects.filter(is_pilot=True):
        offers = Offer.objects.filter(municipality=municipality, status="published")
        assert 30 <= offers.count() <= 80
        assert {"kulturskole", "youth_club", "ukm", "library"} <= set(
            offers.values_list("unit__kind", flat=True)
        )
        enrolments = Enrolment.objects.filter(offer__municipality=municipality)
        starts = enrolments.exclude(start=None).values_list("start", flat=True)
        assert min(starts) < datetime.date(2024, 6, 1)  # six terms back from autumn 2026
        assert (
            enrolments.filter(status="ended", end_reason="dropped_out")
            .exclude(dropout_reason="")
            .exists()
        )
        assert enrolments.filter(status="waiting").exists()
        assert ClubEvening.objects.filter(unit__municipality=municipality).count() > 50
        assert Innslag.objects.filter(event__unit__municipality=municipality).count() >= 8


def test_each_kulturskole_has_the_usual_school_holidays_and_no_sessions_in_them(seeded):
    from ungkultur.catalogue.models import SchoolHoliday, Session
    from ungkultur.enrolment.models import Attendance

    holidays = SchoolHoliday.objects.filter(unit__municipality__code="4203").order_by("first_day")
    assert [(h.name, h.first_day, h.last_day) for h in holidays] == [
        ("Høstferie", datetime.date(2026, 9, 28), datetime.date(2026, 10, 2)),
        ("Juleferie", datetime.date(2026, 12, 21), datetime.date(2027, 1, 1)),
        ("Vinterferie", datetime.date(2027, 2, 22), datetime.date(2027, 2, 26)),
        ("Påskeferie", datetime.date(2027, 3, 22), datetime.date(2027, 3, 29)),
    ]
    autumn = holidays[0]
    in_it = Session.objects.filter(
        offer__unit=autumn.unit,
        starts_at__date__gte=autumn.first_day,
        starts_at__date__lte=autumn.last_day,
    )
    assert not in_it.exists()
    assert Attendance.objects.filter(present=False, excused=True).exists()
    assert Attendance.objects.filter(present=False, excused=False).exists()
