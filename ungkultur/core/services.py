import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from ungkultur.core.models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: dict | None = None,
    at: datetime.datetime | None = None,
) -> AuditEntry:
    """Write one audit row. Call it inside the transaction of the change it describes.

    ``at`` is the ``now`` of the service that makes the change, where it has one.
    """
    return AuditEntry.objects.create(
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )
