"""The "Kom i gang" checklist on the municipality's page (organisations sits below this app,
so its page asks for the checklist by this tag's name)."""

from django import template
from django.utils import timezone

from ungkultur.onboarding import selectors

register = template.Library()


@register.inclusion_tag("onboarding/_checklist.html", takes_context=True)
def onboarding_checklist(context, municipality):
    user = context["request"].user
    if not user.has_perm("onboarding.view_checklist", municipality):
        return {"steps": None}
    steps = selectors.checklist(municipality, now=timezone.now())
    return {"steps": steps, "done_count": sum(step.done for step in steps)}
