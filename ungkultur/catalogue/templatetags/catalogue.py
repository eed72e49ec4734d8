from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ungkultur.catalogue.selectors import WEEKDAY_LABELS

register = template.Library()


@register.filter
def weekday_names(weekdays) -> str:
    """[0, 2] → 'mandag og onsdag'."""
    return get_text_list([str(WEEKDAY_LABELS[day]) for day in weekdays], _("og"))
