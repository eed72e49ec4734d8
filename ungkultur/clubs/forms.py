from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.clubs.models import ClubHeadcount
from ungkultur.organisations.forms import DateInput

# A club rarely has more than a few hundred visitors an evening; this only stops typing slips.
MAX_COUNT = 9999


def count_field_name(band: str, gender: str) -> str:
    return f"count_{band}_{gender}"


class CountInput(forms.NumberInput):
    """A number field that opens the numeric keypad on a phone."""

    def __init__(self):
        super().__init__(
            attrs={"class": "ds-input", "inputmode": "numeric", "min": 0, "max": MAX_COUNT}
        )


class ClubEveningForm(forms.Form):
    """One evening: the date, a grid of headcounts (empty means zero), first-timers and a note."""

    date = forms.DateField(label=_("Dato"), widget=DateInput())
    first_time_visitors = forms.IntegerField(
        label=_("Førstegangsbesøkende"),
        help_text=_("Hvor mange av dem var her for første gang?"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        widget=CountInput(),
    )
    note = forms.CharField(
        label=_("Merknad (kan stå tomt)"),
        help_text=_("Ikke skriv navn på ungdom her."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.genders = ClubHeadcount.Gender.choices
        self.rows = []
        for band, band_label in ClubHeadcount.AgeBand.choices:
            cells = []
            for gender, gender_label in ClubHeadcount.Gender.choices:
                name = count_field_name(band, gender)
                # The label says both the age band and the gender, e.g. "13–15 år, jenter".
                self.fields[name] = forms.IntegerField(
                    label=_("%(band)s, %(gender)s") % {"band": band_label, "gender": gender_label},
                    min_value=0,
                    max_value=MAX_COUNT,
                    required=False,
                    widget=CountInput(),
                )
                cells.append(name)
            self.rows.append((band_label, cells))

    def count_rows(self):
        """The grid for the template: [(age band label, [bound fields per gender])]."""
        return [(label, [self[name] for name in names]) for label, names in self.rows]

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (band, gender): self.cleaned_data.get(count_field_name(band, gender)) or 0
            for band in ClubHeadcount.AgeBand.values
            for gender in ClubHeadcount.Gender.values
        }

    @staticmethod
    def initial_for(evening, counts) -> dict:
        initial = {
            "date": evening.date,
            "first_time_visitors": evening.first_time_visitors,
            "note": evening.note,
        }
        for (band, gender), count in counts.items():
            initial[count_field_name(band, gender)] = count
        return initial
