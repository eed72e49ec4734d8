import re

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ungkultur.catalogue.models import Venue
from ungkultur.ukm.models import WORKING_WITH_TYPES, InnslagType
from ungkultur.ukm.services import MAX_PERSONS, MAX_TITLES, person_errors

# Rows a youth sees at first; an entry with more people adds them by editing it afterwards.
PERSON_ROWS = 5
TITLE_ROWS = 3
DURATION_RE = re.compile(r"(\d{1,3})(?::([0-5]\d))?")


class ForwardForm(forms.Form):
    """The state a staff member sets: forwarded to the county festival (1) or not (0)."""

    forwarded = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class DesignsystemetMixin:
    """Give every widget Designsystemet's input class (it styles checkboxes too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; the value is ISO (YYYY-MM-DDTHH:MM), Oslo time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class UkmEventForm(DesignsystemetMixin, forms.Form):
    name = forms.CharField(label=_("Navn på arrangementet"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse (kan stå tomt)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_at = forms.DateTimeField(label=_("Starter"), widget=DateTimeInput())
    venue = forms.ModelChoiceField(
        label=_("Sted"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("Ikke bestemt ennå"),
    )
    signup_opens = forms.DateTimeField(label=_("Påmeldingen åpner"), widget=DateTimeInput())
    signup_closes = forms.DateTimeField(
        label=_("Påmeldingsfrist"),
        help_text=_("Etter fristen kan ingen melde på eller endre innslag."),
        widget=DateTimeInput(),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(municipality=unit.municipality_id)


def _type_choices():
    showing = [(t.value, capfirst(t.label)) for t in InnslagType if t not in WORKING_WITH_TYPES]
    working = [(t.value, capfirst(t.label)) for t in InnslagType if t in WORKING_WITH_TYPES]
    return [("", _("Velg type")), (_("Vise frem"), showing), (_("Jobbe med"), working)]


class InnslagForm(DesignsystemetMixin, forms.Form):
    type = forms.ChoiceField(
        label=_("Type innslag"),
        help_text=_(
            "Vise frem noe på scenen eller i en utstilling, eller jobbe med arrangementet."
        ),
    )
    name = forms.CharField(
        label=_("Navn på innslaget"),
        help_text=_("For eksempel navnet på bandet, gruppa eller deg selv."),
        max_length=200,
    )
    description = forms.CharField(
        label=_("Fortell kort om innslaget (kan stå tomt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _type_choices()


class PersonForm(DesignsystemetMixin, forms.Form):
    first_name = forms.CharField(
        label=_("Fornavn"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Etternavn"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    role = forms.CharField(
        label=_("Rolle eller instrument (kan stå tomt)"), max_length=100, required=False
    )
    guardian_name = forms.CharField(
        label=_("Navn på foresatt"),
        help_text=_("Må fylles ut for deg under 15 år."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    guardian_mobile = forms.CharField(
        label=_("Mobilnummer til foresatt"),
        help_text=_("Må fylles ut for deg under 15 år. 8 siffer."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, event_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_year = event_year

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("first_name"):
            for field, messages in person_errors(cleaned, year=self.event_year).items():
                self.add_error(field, messages)
        return cleaned


class TitleForm(DesignsystemetMixin, forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    duration = forms.CharField(
        label=_("Varighet (kan stå tomt)"),
        help_text=_("Minutter og sekunder, for eksempel 3:30."),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    self_made = forms.BooleanField(label=_("Vi har laget det selv"), required=False)
    credits = forms.CharField(
        label=_("Laget av (kan stå tomt)"),
        help_text=_("Hvem som skrev musikken, teksten eller koreografien."),
        max_length=200,
        required=False,
    )

    def clean_duration(self):
        value = self.cleaned_data["duration"].strip()
        if not value:
            return None
        match = DURATION_RE.fullmatch(value)
        if match is None:
            raise forms.ValidationError(
                _("Skriv varigheten som minutter:sekunder, for eksempel 3:30.")
            )
        return int(match.group(1)) * 60 + int(match.group(2) or 0)


class RowFormSet(BaseFormSet):
    """A fixed set of rows. ``first_initial`` prefills row 1 without making it an existing row
    (so it gets no "remove" box); existing rows come as ``initial`` and can be removed."""

    delete_label = _("Fjern")

    def __init__(self, *args, first_initial=None, **kwargs):
        self.first_initial = first_initial
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index == 0 and self.first_initial is not None:
            kwargs["initial"] = self.first_initial
        return kwargs

    def kept_rows(self) -> list[dict]:
        """The cleaned rows that are filled in and not marked for removal."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class PersonFormSet(RowFormSet):
    delete_label = _("Fjern personen fra innslaget")


class TitleFormSet(RowFormSet):
    delete_label = _("Fjern tittelen")


def person_formset(data=None, *, event_year, existing=(), me=None):
    """Rows for the people in an entry: the youth themself first (``me``), then empty rows."""
    FormSet = formset_factory(
        PersonForm,
        formset=PersonFormSet,
        min_num=1,
        extra=max(PERSON_ROWS - len(existing), 2) if existing else PERSON_ROWS - 1,
        max_num=MAX_PERSONS,
        absolute_max=MAX_PERSONS,
        validate_max=True,
        can_delete=True,
        can_delete_extra=False,
    )
    return FormSet(
        data,
        prefix="persons",
        initial=list(existing) or None,
        first_initial=None if existing else me,
        form_kwargs={"event_year": event_year},
    )


def title_formset(data=None, *, existing=()):
    FormSet = formset_factory(
        TitleForm,
        formset=TitleFormSet,
        extra=max(TITLE_ROWS - len(existing), 1),
        max_num=MAX_TITLES,
        absolute_max=MAX_TITLES,
        validate_max=True,
        can_delete=True,
        can_delete_extra=False,
    )
    return FormSet(data, prefix="titles", initial=list(existing) or None)


class InnslagForms:
    """The entry form with its people and titles, validated and shown as one form."""

    def __init__(self, data=None, *, event_year, innslag=None, persons=(), titles=(), me=None):
        initial = None
        if innslag is not None:
            initial = {
                "type": innslag.type,
                "name": innslag.name,
                "description": innslag.description,
            }
        self.form = InnslagForm(data, initial=initial)
        self.persons = person_formset(
            data,
            event_year=event_year,
            existing=[_person_initial(p) for p in persons],
            me=me,
        )
        self.titles = title_formset(data, existing=[_title_initial(t) for t in titles])
        # Rules only the service can check across the rows (kept apart from Django's own).
        self.person_errors: list[str] = []
        self.title_errors: list[str] = []

    @property
    def is_bound(self):
        return self.form.is_bound

    def is_valid(self) -> bool:
        # Validate all three, so every error is shown at once.
        return all([self.form.is_valid(), self.persons.is_valid(), self.titles.is_valid()])

    def service_fields(self) -> dict:
        return {
            "type": self.form.cleaned_data["type"],
            "name": self.form.cleaned_data["name"],
            "description": self.form.cleaned_data["description"],
            "persons": self.persons.kept_rows(),
            "titles": [
                {
                    "title": row["title"],
                    "duration_seconds": row["duration"],
                    "self_made": row["self_made"],
                    "credits": row["credits"],
                }
                for row in self.titles.kept_rows()
            ],
        }

    def add_service_errors(self, error):
        """Put the service's errors where the person will look: by the people, by the titles."""
        for key, messages in error.message_dict.items():
            if key == "persons":
                self.person_errors.extend(messages)
            elif key == "titles":
                self.title_errors.extend(messages)
            else:
                self.form.add_error(key if key in self.form.fields else None, messages)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or self.persons.total_error_count()
            or self.titles.total_error_count()
            or self.person_errors
            or self.title_errors
        )

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for every error, in page order, for the summary at the top."""
        items = [("", str(e)) for e in self.form.non_field_errors()]
        items += [
            (anchor, _("%(field)s: %(message)s") % {"field": label, "message": message})
            for anchor, label, message in _field_errors(self.form)
        ]
        for row_label, formset, extra, anchor in (
            (_("Person %(n)s"), self.persons, self.person_errors, "persons"),
            (_("Tittel %(n)s"), self.titles, self.title_errors, "titles"),
        ):
            items += [(anchor, str(e)) for e in [*formset.non_form_errors(), *extra]]
            for index, form in enumerate(formset.forms, start=1):
                items += [
                    (
                        field_anchor,
                        _("%(row)s, %(field)s: %(message)s")
                        % {"row": row_label % {"n": index}, "field": label, "message": message},
                    )
                    for field_anchor, label, message in _field_errors(form)
                ]
        return items


def _field_errors(form):
    return [
        (form[name].auto_id, form[name].label, error)
        for name, errors in form.errors.items()
        if name != "__all__"
        for error in errors
    ]


def _person_initial(person) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_year": person.birth_year,
        "role": person.role,
        "guardian_name": person.guardian_name,
        "guardian_mobile": person.guardian_mobile,
    }


def _title_initial(title) -> dict:
    return {
        "title": title.title,
        "duration": title.duration_display,
        "self_made": title.self_made,
        "credits": title.credits,
    }
