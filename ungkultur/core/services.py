from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from ungkultur.core.models import AuditEntry


def audit_record(
    *, actor, action: str, obj: models.Model, changes: dict | None = None
) -> AuditEntry:
    """Write one audit row. Call it inside the transaction of the change it describes."""
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )
