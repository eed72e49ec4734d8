from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from ungkultur.organisations.models import Group, Membership, NationalRole, UnitStaff

LEADER_ROLES = (Membership.Role.PROJECT_LEADER,)


@dataclass(frozen=True)
class Roles:
    """What one person is, right now: computed once per request (see ``roles_for``)."""

    national: frozenset = frozenset()
    staff_municipalities: frozenset = frozenset()
    leader_municipalities: frozenset = frozenset()
    youth_member_municipalities: frozenset = frozenset()
    unit_ids: frozenset = frozenset()
    group_ids: frozenset = frozenset()
    home_municipality: int | None = None

    @property
    def is_admin(self):
        return NationalRole.Role.ADMIN in self.national

    @property
    def is_coordinator(self):
        return NationalRole.Role.COORDINATOR in self.national

    @property
    def is_researcher(self):
        return NationalRole.Role.RESEARCHER in self.national

    @property
    def sees_all_municipalities(self):
        """National administrators and coordinators work across all municipalities."""
        return self.is_admin or self.is_coordinator

    def belongs_to(self, municipality_id) -> bool:
        """Whether the municipality is one of this person's own (else its objects answer 404)."""
        return (
            self.sees_all_municipalities
            or municipality_id in self.staff_municipalities
            or municipality_id in self.youth_member_municipalities
            or municipality_id == self.home_municipality
        )


def roles_for(user, *, today=None) -> Roles:
    if not user.is_authenticated:
        return Roles()
    if today is None:
        cached = getattr(user, "_ungkultur_roles", None)
        if cached is not None:
            return cached
    day = today or timezone.localdate()
    national = set(
        NationalRole.objects.active_on(day).filter(user=user).values_list("role", flat=True)
    )
    if user.is_superuser:
        national.add(NationalRole.Role.ADMIN)
    memberships = list(
        Membership.objects.active_on(day)
        .filter(user=user)
        .values_list("group_id", "group__municipality_id", "role")
    )
    units = list(
        UnitStaff.objects.active_on(day)
        .filter(user=user)
        .values_list("unit_id", "unit__municipality_id")
    )
    staff = {m for _, m, role in memberships if m and role != Membership.Role.YOUTH_MEMBER}
    staff |= {m for _, m in units}
    roles = Roles(
        national=frozenset(national),
        staff_municipalities=frozenset(staff),
        leader_municipalities=frozenset(
            m for _, m, role in memberships if m and role in LEADER_ROLES
        ),
        youth_member_municipalities=frozenset(
            m for _, m, role in memberships if m and role == Membership.Role.YOUTH_MEMBER
        ),
        unit_ids=frozenset(u for u, _ in units),
        group_ids=frozenset(g for g, _, _ in memberships),
        home_municipality=user.municipality_id,
    )
    if today is None:
        user._ungkultur_roles = roles
    return roles


def active_memberships(group, *, day):
    return (
        Membership.objects.active_on(day)
        .filter(group=group)
        .select_related("user")
        .order_by("role", "user__first_name")
    )


def groups_with_counts(*, municipality=None, day):
    """Groups with the number of active members and of active youth members."""
    active = Q(memberships__start__lte=day) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=day)
    )
    return (
        Group.objects.filter(municipality=municipality)
        .annotate(
            member_count=Count("memberships", filter=active),
            youth_count=Count(
                "memberships", filter=active & Q(memberships__role=Membership.Role.YOUTH_MEMBER)
            ),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active_on(day).select_related("user"),
                to_attr="active_memberships",
            )
        )
    )
