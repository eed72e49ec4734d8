"""The text an import command ends with when a file is rejected."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SHOWN_ERRORS = 50


def import_error_text(errors: list[str], total: int, *, shown: int = SHOWN_ERRORS) -> str:
    """Nothing imported: how many errors, the first ``shown`` of them, and how many more."""
    lines = [
        ngettext(
            "Ingenting ble importert: %(count)s feil i filen.",
            "Ingenting ble importert: %(count)s feil i filen.",
            total,
        )
        % {"count": total}
    ]
    lines += [f"  {message}" for message in errors[:shown]]
    rest = total - min(len(errors), shown)
    if rest:
        lines.append(_("  … og %(count)s feil til.") % {"count": rest})
    return "\n".join(lines)
