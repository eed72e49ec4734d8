import datetime

from django.db import transaction

from ungkultur.core.services import audit_record
from ungkultur.municipalities.models import Municipality


@transaction.atomic
def municipality_set_kk(*, actor, municipality: Municipality, active: bool, today: datetime.date):
    """Switch coordinated culture work (KK) on or off for a municipality."""
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if municipality.kk_active == active:
        return municipality
    municipality.kk_active = active
    municipality.kk_active_since = today if active else None
    municipality.full_clean()
    municipality.save(update_fields=["kk_active", "kk_active_since"])
    audit_record(
        actor=actor,
        action="municipality.kk_activated" if active else "municipality.kk_deactivated",
        obj=municipality,
        changes={"kk_active": active},
    )
    return municipality
