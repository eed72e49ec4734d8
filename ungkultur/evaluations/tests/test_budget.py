import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.evaluations import services
from ungkultur.evaluations.models import Allocation, Frame, Payment, PositionShare, UseEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def frame(personas):
    return services.frame_set(actor=personas.admin, year=2021, amount=650_000, now=timezone.now())


def url(name, year=2021):
    return f"{reverse(f'evaluations:{name}')}?year={year}"


def test_half_the_frame_is_earmarked_by_default_and_audited(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(reverse("evaluations:frame_set"), {"year": 2020, "amount": 650000})
    assert response.status_code == 302
    frame = Frame.objects.get()
    assert (frame.amount, frame.earmarked) == (650_000, 325_000)
    entry = AuditEntry.objects.get(action="evaluations.frame_set")
    assert entry.changes["after"] == {"amount": 650_000, "earmarked": 325_000}


def test_an_allocation_above_the_earmarked_frame_is_refused(client, personas, frame):
    client.force_login(personas.coordinator)
    client.post(url("allocation_set"), {"municipality": personas.sola.pk, "amount": 300_000})
    response = client.post(
        url("allocation_set"), {"municipality": personas.arendal.pk, "amount": 25_001}
    )
    assert response.status_code == 400
    assert (
        "Tildelingene blir 325\u00a0001 kr, mer enn de 325\u00a0000 kr som er øremerket "
        "kommunene i 2021." in response.text
    )
    assert not Allocation.objects.filter(municipality=personas.arendal).exists()
    assert AuditEntry.objects.filter(action="evaluations.allocation_set").count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("allocation_set", {"amount": -1}, "Beløpet kan ikke være negativt."),
        ("allocation_set", {"amount": "100,50"}, "Skriv hele kroner, uten øre."),
        ("payment_record", {"amount": -5, "paid_on": "2021-03-01"},
         "Beløpet kan ikke være negativt."),
    ],
)  # fmt: skip
def test_negative_or_fractional_amounts_are_refused(client, personas, frame, name, data, message):
    allocation = services.allocation_set(
        actor=personas.admin, frame=frame, municipality=personas.arendal, amount=1000,
        now=timezone.now(),
    )  # fmt: skip
    client.force_login(personas.coordinator)
    response = client.post(url(name), {"municipality": personas.arendal.pk, **data})
    assert response.status_code == 400
    assert message in response.text
    allocation.refresh_from_db()
    assert allocation.amount == 1000
    assert not Payment.objects.exists()


def test_a_negative_frame_is_refused(client, personas):
    client.force_login(personas.admin)
    response = client.post(reverse("evaluations:frame_set"), {"year": 2022, "amount": -650000})
    assert response.status_code == 400
    assert "Beløpet kan ikke være negativt." in response.text
    assert not Frame.objects.exists()


def test_payments_beyond_the_allocation_are_refused(client, personas, frame):
    services.allocation_set(actor=personas.admin, frame=frame, municipality=personas.arendal,
                            amount=1000, now=timezone.now())  # fmt: skip
    client.force_login(personas.coordinator)
    data = {"municipality": personas.arendal.pk, "paid_on": "2021-03-01"}
    assert client.post(url("payment_record"), {**data, "amount": 600}).status_code == 302
    response = client.post(url("payment_record"), {**data, "amount": 401})
    assert response.status_code == 400
    assert "Utbetalingene blir mer enn de 1\u00a0000 kr som er tildelt." in response.text
    assert Payment.objects.get().amount == 600


def test_lowering_the_earmark_below_the_allocations_is_refused(personas, frame):
    services.allocation_set(actor=personas.admin, frame=frame, municipality=personas.arendal,
                            amount=200_000, now=timezone.now())  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.frame_set(actor=personas.admin, year=2021, amount=650_000, earmarked=100_000,
                           now=timezone.now())  # fmt: skip
    assert caught.value.messages == [
        "Kommunene er allerede tildelt 200\u00a0000 kr, mer enn 100\u00a0000 kr."
    ]
    frame.refresh_from_db()
    assert frame.earmarked == 325_000


def test_position_shares_are_kept_per_organisation(client, personas, frame):
    client.force_login(personas.coordinator)
    response = client.post(
        url("position_set"),
        {"organisation": personas.nkr.pk, "percent": 50, "yearly_cost": 350_000},
    )
    assert response.status_code == 302
    response = client.post(
        url("position_set"),
        {"organisation": personas.nkr.pk, "percent": 101, "yearly_cost": 350_000},
    )
    assert response.status_code == 400
    assert "Stillingsprosenten må være mellom 0 og 100." in response.text
    share = PositionShare.objects.get()
    assert (share.percent, share.yearly_cost) == (50, 350_000)
    entry = AuditEntry.objects.get(action="evaluations.position_set")
    assert entry.changes["after"] == {"percent": 50, "yearly_cost": 350_000}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"percent": 50, "yearly_cost": -1}, "Beløpet kan ikke være negativt."),
        ({"percent": 50, "yearly_cost": "1000.50"}, "Skriv hele kroner, uten øre."),
        ({"percent": 50, "yearly_cost": ""}, "Skriv hva stillingsandelen koster i året."),
        ({"percent": -5, "yearly_cost": 1000}, "Stillingsprosenten må være mellom 0 og 100."),
    ],
)
def test_a_bad_position_cost_or_share_is_refused_and_changes_nothing(
    client, personas, frame, data, message
):
    services.position_set(actor=personas.admin, frame=frame, organisation=personas.nkr,
                          percent=40, yearly_cost=280_000, now=timezone.now())  # fmt: skip
    client.force_login(personas.coordinator)
    response = client.post(url("position_set"), {"organisation": personas.nkr.pk, **data})
    assert response.status_code == 400
    assert message in response.text
    share = PositionShare.objects.get()
    assert (share.percent, share.yearly_cost) == (40, 280_000)
    assert AuditEntry.objects.filter(action="evaluations.position_set").count() == 1


def test_the_positions_yearly_cost_is_in_the_table_and_the_csv(client, personas, frame):
    services.position_set(actor=personas.admin, frame=frame, organisation=personas.nkr,
                          percent=50, yearly_cost=350_000, now=timezone.now())  # fmt: skip
    client.force_login(personas.coordinator)
    response = client.get(url("budget"))
    assert response.context["positions_cost"] == 350_000
    assert f'<th scope="row">{personas.nkr.name}</th><td>50 %</td><td>350000</td>' in (
        response.text
    )
    lines = client.get(url("budget") + "&format=csv").content.decode().splitlines()
    at = lines.index("")
    assert lines[at + 1] == '"År","Eierorganisasjon","Stillingsprosent","Årlig kostnad (kr)"'
    assert lines[at + 2] == f'2021,"{personas.nkr.name}",50,350000'
    assert lines[at + 3] == '2021,"Sum","",350000'


def test_a_share_without_a_cost_leaves_the_sum_unstated_not_a_part_sum(client, personas, frame):
    """A cost not recorded is not 0: the sum of the others would read as the whole."""
    from ungkultur.organisations.models import Organisation

    services.position_set(actor=personas.admin, frame=frame, organisation=personas.nkr,
                          percent=50, yearly_cost=350_000, now=timezone.now())  # fmt: skip
    ukm = Organisation.objects.create(name="UKM Norge", short_name="UKM", slug="ukm-norge")
    PositionShare.objects.create(frame=frame, organisation=ukm, percent=50)  # from before costs
    client.force_login(personas.coordinator)
    response = client.get(url("budget"))
    assert response.context["positions_cost"] is None
    assert "<td>350000</td></tr></tfoot>" not in response.text
    assert "<td></td><td>ikke oppgitt</td></tr></tfoot>" in response.text
    lines = client.get(url("budget") + "&format=csv").content.decode().splitlines()
    assert lines[-1] == '2021,"Sum","",""'


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "youth_member_a", "researcher"])
def test_only_national_roles_see_and_change_the_budget(client, personas, frame, who):
    client.force_login(getattr(personas, who))
    assert client.get(url("budget")).status_code == 403
    response = client.post(url("allocation_set"),
                           {"municipality": personas.arendal.pk, "amount": 10})  # fmt: skip
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_budget_against_actuals_and_its_csv(client, personas, frame):
    now = timezone.now()
    allocation = services.allocation_set(
        actor=personas.admin, frame=frame, municipality=personas.arendal, amount=65_000, now=now
    )
    services.payment_record(actor=personas.admin, allocation=allocation,
                            paid_on=datetime.date(2021, 2, 1), amount=65_000, now=now)  # fmt: skip
    services.use_report(actor=personas.leader_a, allocation=allocation,
                        description="Ungdomsarrangement", amount=40_000, now=now)  # fmt: skip
    client.force_login(personas.coordinator)
    response = client.get(url("budget"))
    row = response.context["rows"][0]
    assert (row.allocated, row.paid, row.used, row.remaining) == (65_000, 65_000, 40_000, 25_000)
    csv = client.get(url("budget") + "&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[1] == '2021,"Arendal","4203",65000,65000,40000,25000'
    assert lines[2] == '2021,"Sum","",65000,65000,40000,25000'


def test_a_bad_year_is_400(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(reverse("evaluations:budget"), {"year": "tjue"}).status_code == 400


def test_the_project_leader_reports_use_of_the_money(client, personas, frame):
    allocation = services.allocation_set(actor=personas.admin, frame=frame,
                                          municipality=personas.arendal, amount=65_000,
                                          now=timezone.now())  # fmt: skip
    client.force_login(personas.leader_a)
    page = reverse("evaluations:municipality_money", args=["4203"])
    response = client.post(f"{page}?year=2021", {"description": "Verksted", "amount": 10_000})
    assert response.status_code == 302
    assert UseEntry.objects.get(allocation=allocation).amount == 10_000
    assert AuditEntry.objects.filter(action="evaluations.use_report").exists()
    response = client.post(f"{page}?year=2021", {"description": "Feil", "amount": -1})
    assert response.status_code == 400
    assert "Beløpet kan ikke være negativt." in response.text
    assert UseEntry.objects.count() == 1


def test_staff_see_but_do_not_report_and_others_get_404(client, personas, frame):
    services.allocation_set(actor=personas.admin, frame=frame, municipality=personas.arendal,
                            amount=65_000, now=timezone.now())  # fmt: skip
    page = reverse("evaluations:municipality_money", args=["4203"])
    client.force_login(personas.teacher_a)
    assert client.get(page).status_code == 200
    response = client.post(f"{page}?year=2021", {"description": "x", "amount": 1})
    assert response.status_code == 403
    client.force_login(personas.leader_b)
    assert client.get(page).status_code == 404
    assert client.post(f"{page}?year=2021", {"description": "x", "amount": 1}).status_code == 404
    assert not UseEntry.objects.exists()


def test_reporting_use_for_a_bad_or_missing_year_changes_nothing(client, personas, frame):
    services.allocation_set(actor=personas.admin, frame=frame, municipality=personas.arendal,
                            amount=65_000, now=timezone.now())  # fmt: skip
    client.force_login(personas.leader_a)
    page = reverse("evaluations:municipality_money", args=["4203"])
    data = {"description": "Verksted", "amount": 10}
    assert client.post(f"{page}?year=tjue", data).status_code == 400
    assert client.post(page, data).status_code == 400
    assert client.post(f"{page}?year=2020", data).status_code == 404
    assert not UseEntry.objects.exists()
