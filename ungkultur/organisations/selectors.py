from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from ungkultur.municipalities.models import Municipality
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
    led_unit_ids: frozenset = frozenset()
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
        .values_list("unit_id", "unit__municipality_id", "role")
    )
    staff = {m for _, m, role in memberships if m and role != Membership.Role.YOUTH_MEMBER}
    staff |= {m for _, m, _ in units}
    roles = Roles(
        national=frozenset(national),
        staff_municipalities=frozenset(staff),
        leader_municipalities=frozenset(
            m for _, m, role in memberships if m and role in LEADER_ROLES
        ),
        youth_member_municipalities=frozenset(
            m for _, m, role in memberships if m and role == Membership.Role.YOUTH_MEMBER
        ),
        unit_ids=frozenset(u for u, _, _ in units),
        led_unit_ids=frozenset(u for u, _, role in units if role in UnitStaff.LEADER_ROLES),
        group_ids=frozenset(g for g, _, _ in memberships),
        home_municipality=user.municipality_id,
    )
    if today is None:
        user._ungkultur_roles = roles
    return roles


# --- Group pages, the national structure and the API ---------------------------------------------

ROLE_ORDER = {role: index for index, role in enumerate(Membership.Role.values)}
KIND_ORDER = {kind: index for index, kind in enumerate(Group.Kind.values)}


def _in_role_order(memberships):
    return sorted(
        memberships,
        key=lambda m: (
            ROLE_ORDER.get(m.role, len(ROLE_ORDER)),
            m.user.first_name,
            m.user.last_name,
        ),
    )


def memberships_by_group(groups, *, day) -> dict[int, list[Membership]]:
    """Active memberships per group, in role order, in one query.

    A local project group also holds the active members of its municipality's youth resource
    group: the seed makes the youth "en likeverdig part og en aktiv del av de lokale
    prosjektgruppene". Their one row stays in the resource group; nothing is copied. A derived
    row is recognised by ``membership.group_id != group.pk``.
    """
    groups = list(groups)
    result: dict[int, list[Membership]] = {group.pk: [] for group in groups}
    project_group_of = {
        group.municipality_id: group.pk
        for group in groups
        if group.kind == Group.Kind.LOCAL_PROJECT_GROUP
    }
    rows = (
        Membership.objects.active_on(day)
        .filter(
            Q(group__in=list(result))
            | Q(
                group__kind=Group.Kind.YOUTH_RESOURCE_GROUP,
                group__municipality_id__in=list(project_group_of),
            )
        )
        .select_related("user", "group")
    )
    derived: dict[int, list[Membership]] = {pk: [] for pk in project_group_of.values()}
    for membership in rows:
        if membership.group_id in result:
            result[membership.group_id].append(membership)
        if membership.group.kind == Group.Kind.YOUTH_RESOURCE_GROUP:
            target = project_group_of.get(membership.group.municipality_id)
            if target is not None:
                derived[target].append(membership)
    for pk, extra in derived.items():
        direct_users = {m.user_id for m in result[pk]}
        result[pk].extend(m for m in extra if m.user_id not in direct_users)
    return {pk: _in_role_order(memberships) for pk, memberships in result.items()}


def group_membership_history(group, *, day):
    """The group's own memberships that are not active on ``day``: coming ones, then ended ones."""
    return (
        Membership.objects.filter(group=group)
        .filter(Q(start__gt=day) | Q(end__lte=day))
        .select_related("user")
        .order_by("-start", "user__first_name")
    )


def national_groups(*, day) -> list[tuple[Group, list[Membership]]]:
    """The national groups in the seed's order, each with its active members."""
    groups = sorted(
        Group.objects.filter(municipality__isnull=True), key=lambda g: KIND_ORDER[g.kind]
    )
    members = memberships_by_group(groups, day=day)
    return [(group, members[group.pk]) for group in groups]


def kk_municipalities_with_project_leaders(*, day) -> list[tuple[Municipality, list[Membership]]]:
    """Municipalities in KK, each with the active project leaders of its local project group."""
    municipalities = list(Municipality.objects.kk_active().select_related("county"))
    leaders: dict[int, list[Membership]] = {m.pk: [] for m in municipalities}
    rows = (
        Membership.objects.active_on(day)
        .filter(
            role__in=LEADER_ROLES,
            group__kind=Group.Kind.LOCAL_PROJECT_GROUP,
            group__municipality_id__in=list(leaders),
        )
        .select_related("user", "group")
        .order_by("user__first_name", "user__last_name")
    )
    for membership in rows:
        leaders[membership.group.municipality_id].append(membership)
    return [(m, leaders[m.pk]) for m in municipalities]


def municipalities_with_codes(*, kk_active: bool | None = None):
    """Municipalities with their county and every number they have had (two queries)."""
    municipalities = Municipality.objects.select_related("county").prefetch_related("codes")
    if kk_active is not None:
        municipalities = municipalities.filter(kk_active=kk_active)
    return municipalities.order_by("code")


def municipality_organisation(municipality, *, day):
    """A municipality's units (with organisation), groups and their active memberships."""
    open_units = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    units = list(
        municipality.units.filter(open_units)
        .select_related("organisation")
        .order_by("kind", "name")
    )
    groups = sorted(
        Group.objects.filter(municipality=municipality), key=lambda g: KIND_ORDER[g.kind]
    )
    return units, groups, memberships_by_group(groups, day=day)
