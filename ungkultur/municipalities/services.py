import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ungkultur.core.services import audit_record
from ungkultur.municipalities.models import KKPeriod, Municipality


@transaction.atomic
def municipality_set_kk(
    *, actor, municipality: Municipality, active: bool, today: datetime.date, reason: str = ""
):
    """Switch coordinated culture work (KK) on or off for a municipality, with a reason.

    Each switch-on opens a KKPeriod and each switch-off closes it, so the history stays;
    ``kk_active_since`` ("med i KK siden") is the start of the first period, also after a pause.
    Raises ValidationError (key ``reason``) when the municipality is already in that state.
    """
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if municipality.kk_active == active:
        message = (
            _("%(name)s er allerede med i koordinert kulturarbeid.")
            if active
            else _("%(name)s er ikke med i koordinert kulturarbeid.")
        )
        raise ValidationError({"reason": message % {"name": municipality.name}})
    reason = reason.strip()
    if active:
        period = KKPeriod.objects.create(
            municipality=municipality, start=today, start_reason=reason, started_by=actor
        )
        first = municipality.kk_periods.order_by("start").values_list("start", flat=True)[0]
        municipality.kk_active_since = first
    else:
        period = municipality.kk_periods.filter(end__isnull=True).first()
        if period is None:
            # Switched on before periods were kept (or by a seed): its period is recorded now.
            period = KKPeriod(
                municipality=municipality, start=municipality.kk_active_since or today
            )
        period.end = max(today, period.start)
        period.end_reason = reason
        period.ended_by = actor
        period.full_clean()
        period.save()
        municipality.kk_active_since = None
    municipality.kk_active = active
    municipality.full_clean()
    municipality.save(update_fields=["kk_active", "kk_active_since"])
    audit_record(
        actor=actor,
        action="municipality.kk_activated" if active else "municipality.kk_deactivated",
        obj=municipality,
        changes={
            "kk_active": active,
            "reason": reason,
            "period": period.pk,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat() if period.end else None,
        },
    )
    return municipality
