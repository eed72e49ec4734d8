"""Money one way everywhere: "2 200 kr" in Norwegian, "2,200 kr" in English (the grouping of the
active language, the unit always after). Templates use the ``kroner`` filter (``{% load money %}``);
Python messages pass ``kroner(amount)`` into the translated text, so the catalogue never carries the
unit ("Tildelt %(amount)s.", not "%(amount)s kr" that a translation turns into "NOK …")."""

from django.utils.formats import number_format


def kroner(value) -> str:
    return f"{number_format(value, force_grouping=True)} kr"
