import datetime

from django import forms
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ungkultur.lib.terms import is_term
from ungkultur.organisations.forms import DateInput
from ungkultur.organisations.models import Organisation, Unit
from ungkultur.planning.models import (
    WEEKDAY_NAMES,
    CompetenceOrder,
    Measure,
    Plan,
    PlanItem,
    WheelActivity,
)

INPUT = {"class": "ds-input"}
TEXTAREA = {"class": "ds-input", "rows": 3, "cols": False}  # no intrinsic width on a phone


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(attrs=INPUT, format="%Y-%m-%dT%H:%M")


def _select(choices=(), **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=INPUT), **kwargs)


def _checkboxes(queryset, label):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )


class AdoptForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Effektmål"), queryset=None)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals


class SubGoalForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Under effektmålet"), queryset=None, widget=forms.Select(attrs=INPUT)
    )
    title = forms.CharField(label=_("Delmål"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class MeasureForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Under delmålet"), queryset=None, widget=forms.Select(attrs=INPUT)
    )
    title = forms.CharField(label=_("Tiltak"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    status = _select(Measure.Status.choices, label=_("Status"))
    owner = forms.ModelChoiceField(
        label=_("Ansvarlig"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=INPUT),
        empty_label=_("Ingen ennå"),
    )
    start = forms.DateField(label=_("Fra"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Til"), required=False, widget=DateInput())
    units = _checkboxes(Unit.objects.none(), _("Enheter som er med"))
    events = _checkboxes(Unit.objects.none(), _("Møter"))
    offers = _checkboxes(Unit.objects.none(), _("Tilbud"))
    proposals = _checkboxes(Unit.objects.none(), _("Forslag fra ungdom"))

    def __init__(self, *args, goals, owners, units, events, offers, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.full_name
        self.fields["units"].queryset = units
        self.fields["events"].queryset = events
        self.fields["offers"].queryset = offers
        self.fields["proposals"].queryset = proposals

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Sluttdatoen må være etter startdatoen."))
        return cleaned


class PlanCreateForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (Plan.Kind.PROGRESS, Plan.Kind.PROGRESS.label),
            (Plan.Kind.ACTION, Plan.Kind.ACTION.label),
        ]
    )


class PlanItemForm(forms.Form):
    title = forms.CharField(label=_("Hva"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    description = forms.CharField(
        label=_("Innhold"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    start = forms.DateField(label=_("Fra"), widget=DateInput())
    end = forms.DateField(label=_("Til og med"), widget=DateInput())
    status = _select(PlanItem.Status.choices, label=_("Status"))
    measure = forms.ModelChoiceField(
        label=_("Tiltak"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.Select(attrs=INPUT),
        empty_label=_("Ikke knyttet til et tiltak"),
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Sluttdatoen kan ikke være før startdatoen."))
        return cleaned


class PlanItemStatusForm(forms.Form):
    status = _select(PlanItem.Status.choices, label=_("Ny status"))


class WheelFilterForm(forms.Form):
    """GET filter of the annual wheel: the year (list) or the month (month view)."""

    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Måned"), required=False, min_value=1, max_value=12)

    def year_or(self, today: datetime.date) -> int:
        return self.cleaned_data.get("year") or today.year

    def month_or(self, today: datetime.date) -> int:
        return self.cleaned_data.get("month") or today.month


class WheelActivityForm(forms.Form):
    """An activity and its date each year: ``rule`` says which of the date fields count (the
    service checks that those are filled in)."""

    title = forms.CharField(
        label=_("Aktivitet"), max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    service = _select(
        [(k, v) for k, v in WheelActivity.Service.choices if k != WheelActivity.Service.NATIONAL],
        label=_("Tjeneste"),
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.Select(attrs=INPUT),
        empty_label=_("Ingen bestemt enhet"),
    )
    rule = forms.ChoiceField(
        label=_("Når aktiviteten er hvert år"),
        choices=WheelActivity.Rule.choices,
        initial=WheelActivity.Rule.FIXED,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )
    month = forms.TypedChoiceField(
        label=_("Måned"),
        help_text=_("Samme dato hvert år, eller en uke i måneden."),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–")] + list(MONTHS.items()),
        widget=forms.Select(attrs=INPUT),
    )
    day = forms.IntegerField(
        label=_("Dag i måneden"),
        help_text=_("Bare for samme dato hvert år."),
        min_value=1,
        max_value=31,
        required=False,
        widget=forms.NumberInput(attrs=INPUT),
    )
    week = forms.TypedChoiceField(
        label=_("Uke i måneden"),
        help_text=_("Uke 1 er den første uken med mandag i måneden; den siste kan ende i neste."),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–")] + WheelActivity.Week.choices,
        widget=forms.Select(attrs=INPUT),
    )
    weekday = forms.TypedChoiceField(
        label=_("Ukedag"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–")] + list(enumerate(WEEKDAY_NAMES)),
        widget=forms.Select(attrs=INPUT),
    )
    date = forms.DateField(
        label=_("Dato dette året"),
        help_text=_("Når datoen settes for hvert år: datoen i året den gjelder."),
        required=False,
        widget=DateInput(),
    )
    remove_years = forms.TypedMultipleChoiceField(
        label=_("Ikke i disse årene"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )
    days = forms.IntegerField(
        label=_("Antall dager"),
        min_value=1,
        max_value=60,
        initial=1,
        widget=forms.NumberInput(attrs=INPUT),
    )
    age_min = forms.IntegerField(
        label=_("Alder fra"), min_value=0, max_value=99, widget=forms.NumberInput(attrs=INPUT)
    )
    age_max = forms.IntegerField(
        label=_("Alder til"), min_value=0, max_value=99, widget=forms.NumberInput(attrs=INPUT)
    )
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def clean_rule(self):
        return self.cleaned_data.get("rule") or WheelActivity.Rule.FIXED

    def __init__(self, *args, units, dates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if dates:
            self.fields["remove_years"].choices = [
                (d.year, date_format(d.start, "DATE_FORMAT")) for d in dates
            ]
            self.fields["remove_years"].help_text = _(
                "Datoene som er satt; kryss av for år aktiviteten likevel ikke skal være."
            )
        else:
            del self.fields["remove_years"]


class OrderForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Fra organisasjon"),
        queryset=Organisation.objects.all(),
        widget=forms.Select(attrs=INPUT),
    )
    kind = _select(CompetenceOrder.Kind.choices, label=_("Hva dere ønsker"))
    topic = forms.CharField(label=_("Tema"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    target_group = forms.CharField(
        label=_("Målgruppe"),
        max_length=200,
        help_text=_("For eksempel ungdomsarbeidere, kulturskolelærere eller ungdom 13–19 år."),
        widget=forms.TextInput(attrs=INPUT),
    )
    wanted_from = forms.DateField(label=_("Ønsket periode fra"), widget=DateInput())
    wanted_to = forms.DateField(label=_("Ønsket periode til"), widget=DateInput())
    expected_participants = forms.IntegerField(
        label=_("Forventet antall deltakere"),
        min_value=1,
        max_value=10000,
        widget=forms.NumberInput(attrs=INPUT),
    )
    description = forms.CharField(
        label=_("Mer om behovet"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("wanted_from"), cleaned.get("wanted_to")
        if start and end and end < start:
            self.add_error("wanted_to", _("Slutten av perioden kan ikke være før starten."))
        return cleaned


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle"))] + list(CompetenceOrder.Status.choices),
        widget=forms.Select(attrs=INPUT),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starter"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Slutter"), widget=DateTimeInput())
    place = forms.CharField(
        label=_("Sted"), required=False, max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    online_url = forms.URLField(
        label=_("Lenke til nettmøte"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs=INPUT),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("Slutt må være etter start."))
        if not cleaned.get("place") and not cleaned.get("online_url") and not self.errors:
            self.add_error("place", _("Oppgi et sted eller en lenke til nettmøtet."))
        return cleaned


class EvaluationForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Hvor nyttig var det? (1 = lite, 5 = svært)"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )
    text = forms.CharField(
        label=_("Kommentar"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class TermForm(forms.Form):
    term = forms.CharField(label=_("Halvår"), required=False, max_length=5)

    def clean_term(self):
        term = self.cleaned_data["term"].strip().upper()
        if term and not is_term(term):
            raise forms.ValidationError(
                _("Skriv halvåret som år og H eller V, for eksempel 2024H.")
            )
        return term


class CollaborationForm(forms.Form):
    title = forms.CharField(
        label=_("Hva dere samarbeidet om"), max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    term = forms.CharField(
        label=_("Halvår"),
        max_length=5,
        help_text=_(
            "År og H (høst: august–desember) eller V (vår: januar–juli), for eksempel 2025V."
        ),
        widget=forms.TextInput(attrs=INPUT),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Enheter som var med"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )
    offer = forms.ModelChoiceField(
        label=_("Tilbud"), queryset=None, required=False, widget=forms.Select(attrs=INPUT)
    )
    event = forms.ModelChoiceField(
        label=_("Møte eller arrangement"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    measure = forms.ModelChoiceField(
        label=_("Tiltak"), queryset=None, required=False, widget=forms.Select(attrs=INPUT)
    )
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, units, offers, events, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["offer"].queryset = offers
        self.fields["event"].queryset = events
        self.fields["measure"].queryset = measures

    def clean_term(self):
        term = self.cleaned_data["term"].strip().upper()
        if not is_term(term):
            raise forms.ValidationError(
                _("Skriv halvåret som år og H eller V, for eksempel 2024H.")
            )
        return term

    def clean_units(self):
        units = self.cleaned_data["units"]
        if len(units) < 2:
            raise forms.ValidationError(_("Velg minst to enheter."))
        return units


class CollaborationModelForm(forms.Form):
    title = forms.CharField(
        label=_("Navn på modellen"), max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    what = forms.CharField(
        label=_("Hva samarbeidet gjelder"), widget=forms.Textarea(attrs=TEXTAREA)
    )
    who = forms.CharField(label=_("Hvem som er med"), widget=forms.Textarea(attrs=TEXTAREA))
    how = forms.CharField(
        label=_("Hvordan det er organisert"), widget=forms.Textarea(attrs=TEXTAREA)
    )
    agreements = forms.CharField(
        label=_("Avtaler"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    experiences = forms.CharField(
        label=_("Erfaringer"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class PeriodForm(forms.Form):
    """A national coordinator starts a new project period."""

    title = forms.CharField(
        label=_("Navn på perioden"),
        max_length=100,
        help_text=_("For eksempel 2027/28."),
        widget=forms.TextInput(attrs=INPUT),
    )
    start = forms.DateField(label=_("Fra"), widget=DateInput())
    end = forms.DateField(label=_("Til og med"), widget=DateInput())
    source = forms.ChoiceField(
        label=_("Milepælsplanen"),
        choices=[
            ("previous", _("Kopi av forrige periodes plan, med datoene flyttet like langt")),
            (
                "template",
                _(
                    "Standardmalen for KK (samlinger, kommunemøter, temamøter, evalueringer "
                    "og rapport i desember)"
                ),
            ),
        ],
        initial="previous",
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Sluttdatoen må være etter startdatoen."))
        return cleaned


class RollOverForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Hvilke punkter skal videreføres?"),
        choices=[
            ("open", _("Bare punktene som ikke er fullført, med status som nå")),
            ("all", _("Alle punktene, med status satt tilbake til planlagt")),
        ],
        initial="open",
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )
