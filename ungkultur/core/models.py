from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change to something that matters (roles, memberships, consent, enrolments, votes).

    Written by the service that makes the change, in the same transaction. Never edited.
    """

    at = models.DateTimeField(_("tidspunkt"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utført av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("handling"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objekt"), max_length=200)
    changes = models.JSONField(_("endringer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("revisjonslogg")
        verbose_name_plural = _("revisjonslogg")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class WorkerBeat(models.Model):
    """When a task worker (``manage.py task_worker``) last said it is alive.

    django_tasks_db leaves a killed worker's task RUNNING for ever; a live worker hands such a
    task back to the queue once its worker has been silent for a while (core/workers.py).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"
