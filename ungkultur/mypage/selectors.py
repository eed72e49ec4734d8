"""Everything Min side shows about one person, in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ungkultur.accounts.models import ApiToken, Consent, Guardianship, User, consent_age_limit
from ungkultur.accounts.selectors import age_at, consent_acting_as
from ungkultur.organisations.models import Membership, NationalRole, UnitStaff

OPTIONAL_PURPOSES = [p for p in Consent.Purpose if p != Consent.Purpose.REGISTRATION]


@dataclass
class ConsentRow:
    consent: Consent
    may_withdraw: bool


@dataclass
class PurposeOption:
    purpose: str
    label: str
    age_limit: int


@dataclass
class PersonConsents:
    """One person's consents as the viewer sees them (the viewer or one of their children)."""

    person: User
    is_self: bool
    age: int | None
    rows: list[ConsentRow] = field(default_factory=list)
    may_give: list[PurposeOption] = field(default_factory=list)
    needs_guardian: list[PurposeOption] = field(default_factory=list)


@dataclass
class MyPage:
    user: User
    memberships: list[Membership]
    unit_roles: list[UnitStaff]
    national_roles: list[NationalRole]
    own: PersonConsents
    children: list[PersonConsents]
    api_tokens: list[ApiToken]


def confirmed_children(user: User) -> list[User]:
    links = (
        Guardianship.objects.filter(guardian=user, confirmed_at__isnull=False)
        .select_related("child__municipality")
        .order_by("child__first_name")
    )
    return [link.child for link in links]


def _person_consents(viewer, person, consents, *, child_ids, now) -> PersonConsents:
    result = PersonConsents(person=person, is_self=person.pk == viewer.pk, age=age_at(person, now))
    given = set()
    for consent in consents:
        acting_as = consent_acting_as(
            actor=viewer, subject=person, purpose=consent.purpose, now=now, child_ids=child_ids
        )
        may_withdraw = consent.status == Consent.Status.GIVEN and acting_as is not None
        result.rows.append(ConsentRow(consent=consent, may_withdraw=may_withdraw))
        if consent.status == Consent.Status.GIVEN:
            given.add(consent.purpose)
    for purpose in OPTIONAL_PURPOSES:
        if purpose in given:
            continue
        option = PurposeOption(purpose.value, purpose.label, consent_age_limit(purpose))
        acting_as = consent_acting_as(
            actor=viewer, subject=person, purpose=purpose, now=now, child_ids=child_ids
        )
        if acting_as is not None:
            result.may_give.append(option)
        elif result.is_self:
            result.needs_guardian.append(option)
    return result


def my_page(user: User, *, now: datetime.datetime) -> MyPage:
    day = timezone.localtime(now).date()
    children = confirmed_children(user)
    child_ids = {child.pk for child in children}
    consents_by_subject: dict[int, list[Consent]] = {}
    for consent in Consent.objects.filter(subject__in=[user.pk, *child_ids]).select_related(
        "grantor"
    ):
        consents_by_subject.setdefault(consent.subject_id, []).append(consent)

    def person(p):
        return _person_consents(
            user, p, consents_by_subject.get(p.pk, []), child_ids=child_ids, now=now
        )

    return MyPage(
        user=user,
        memberships=list(
            Membership.objects.active_on(day)
            .filter(user=user)
            .select_related("group__municipality")
            .order_by("start")
        ),
        unit_roles=list(
            UnitStaff.objects.active_on(day)
            .filter(user=user)
            .select_related("unit__municipality")
            .order_by("start")
        ),
        national_roles=list(
            NationalRole.objects.active_on(day)
            .filter(user=user)
            .select_related("organisation")
            .order_by("start")
        ),
        own=person(user),
        children=[person(child) for child in children],
        api_tokens=list(ApiToken.objects.filter(user=user, revoked_at__isnull=True)),
    )
