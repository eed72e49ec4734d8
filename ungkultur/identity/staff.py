"""Who counts as staff for login hardening (issue 19): stricter passwords, shorter sessions."""

from ungkultur.organisations.selectors import roles_for


def is_staff_person(user) -> bool:
    """Admin access, a national role, or staff/leader of a municipality's group or unit."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.pk is None:
        return False
    roles = roles_for(user)
    return bool(roles.national or roles.staff_municipalities or roles.unit_ids)


def needs_two_factor(user) -> bool:
    """National roles and administrators must use two-factor login; other staff may."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.pk is not None and bool(roles_for(user).national)
