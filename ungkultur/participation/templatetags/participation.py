from django import template
from django.utils.formats import number_format

from ungkultur.core import money

register = template.Library()


@register.filter
def percent(value):
    """A share (0–1) as a whole percentage, or a dash when there is nothing to divide."""
    if value is None:
        return "–"
    return f"{number_format(round(value * 100))} %"


@register.filter
def kroner(value):
    return money.kroner(value)
