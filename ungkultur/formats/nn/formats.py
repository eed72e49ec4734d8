"""Nynorsk dates are written as bokmål's (month and day names from Django's nn catalogue)."""

from ungkultur.formats.nb.formats import *  # noqa: F403
