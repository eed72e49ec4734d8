"""What a youth may choose as the nickname shown on open pages (docs/privacy.md).

The nickname is the only name of a youth that anyone may see, so it must not give the person
away. The rule is kept simple, and it is what the help text promises:

- 2 to 30 characters;
- not an e-mail address (no ``@``) and not a web address;
- not a telephone number: at most four digits in all;
- not the person's own first name or surname as a word of it ("Theo" and "Theo_07" are refused
  for Theo; "Theodor" is not, since it is a name of its own).

It cannot catch everything (a nickname the whole class knows); the help text says so.
"""

import re

from django.utils.translation import gettext as _

MIN_LENGTH = 2
MAX_LENGTH = 30
MAX_DIGITS = 4
_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(text)}


def nickname_problem(nickname: str, *, first_name: str = "", last_name: str = "") -> str | None:
    """Why ``nickname`` may not be used, in Norwegian, or None when it may. Blank is allowed."""
    nickname = nickname.strip()
    if not nickname:
        return None
    if not MIN_LENGTH <= len(nickname) <= MAX_LENGTH:
        return _("Kallenavnet må ha mellom %(min)s og %(max)s tegn.") % {
            "min": MIN_LENGTH,
            "max": MAX_LENGTH,
        }
    lowered = nickname.casefold()
    if "@" in nickname or "://" in lowered or "www." in lowered:
        return _("Kallenavnet kan ikke være en e-postadresse eller en nettadresse.")
    if sum(c.isdigit() for c in nickname) > MAX_DIGITS:
        return _("Kallenavnet kan ha høyst %(n)s sifre, så det ikke kan være et telefonnummer.") % {
            "n": MAX_DIGITS
        }
    own = _words(first_name) | _words(last_name)
    if own & _words(nickname):
        return _("Kallenavnet kan ikke inneholde fornavnet eller etternavnet ditt.")
    return None
