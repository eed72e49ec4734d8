"""Money one way on every page: "2 200 kr" in Norwegian, "2,200 kr" in English (the grouping of
the page's language, the unit always after). Youth budgets use the same (participation's
``kroner``)."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def kroner(value):
    return f"{number_format(value, force_grouping=True)} kr"
