"""Min side shows a person their own things and their confirmed children's; anything else
answers 404, as if it did not exist."""

from django.shortcuts import get_object_or_404

from ungkultur.accounts.models import ApiToken, Consent, Guardianship


def get_subject_for_user(request, pk):
    """The user themself or one of their confirmed children."""
    if pk == request.user.pk:
        return request.user
    link = get_object_or_404(
        Guardianship.objects.select_related("child"),
        guardian=request.user,
        child_id=pk,
        confirmed_at__isnull=False,
    )
    return link.child


def get_consent_for_user(request, pk):
    consent = get_object_or_404(Consent.objects.select_related("subject", "grantor"), pk=pk)
    if consent.subject_id != request.user.pk:
        consent.subject = get_subject_for_user(request, consent.subject_id)
    return consent


def get_api_token_for_user(request, pk):
    """One of the user's own live tokens."""
    return get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
