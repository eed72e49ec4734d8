"""Money one way on every page: "2 200 kr" in Norwegian, "2,200 kr" in English (the grouping of
the page's language, the unit always after). Youth budgets use the same (participation's
``kroner``). The function is ``ungkultur.core.money.kroner``, for Python messages too."""

from django import template

from ungkultur.core import money

register = template.Library()


@register.filter
def kroner(value):
    return money.kroner(value)
