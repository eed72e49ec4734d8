from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.catalogue.models import Category, Offer
from ungkultur.catalogue.selectors import WEEKDAYS
from ungkultur.organisations.models import Unit

AGE_LIMIT = 99


class DateInput(forms.DateInput):
    """The browser's own date picker; the value is always ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DesignsystemetForm(forms.Form):
    """Every widget gets Designsystemet's input class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")


def _venue_choices(venues, empty_label):
    return [("", empty_label)] + [(str(v.pk), v.name) for v in venues]


class VenueChoiceField(forms.TypedChoiceField):
    """A place of the municipality, chosen among those given (no query of its own)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=int, empty_value=None, required=False, **kwargs)

    def set_venues(self, venues, empty_label):
        self.venues = {v.pk: v for v in venues}
        self.choices = _venue_choices(venues, empty_label)

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self.venues[pk]


# --- The public catalogue ------------------------------------------------------------------------


class OfferSearchForm(DesignsystemetForm):
    """The catalogue's filters, read from the query string."""

    age = forms.IntegerField(
        label=_("Alder"),
        required=False,
        min_value=1,
        max_value=AGE_LIMIT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    interest = forms.MultipleChoiceField(
        label=_("Interesse"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    weekday = forms.TypedMultipleChoiceField(
        label=_("Ukedag"),
        required=False,
        coerce=int,
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=_("Hvem har tilbudet"),
        required=False,
        choices=[("", _("Alle"))] + Unit.Kind.choices,
    )
    place = VenueChoiceField(label=_("Sted"))
    free = forms.BooleanField(label=_("Bare gratis tilbud"), required=False)
    step_free = forms.BooleanField(label=_("Bare steder med trinnfri adkomst"), required=False)
    page = forms.IntegerField(label=_("Side"), required=False, min_value=1, max_value=10000)

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].set_venues(venues, _("Alle steder"))

    def filters(self) -> dict:
        """The selector's keyword arguments (see selectors.catalogue_offers)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "age": data.get("age"),
            "categories": data.get("interest") or (),
            "weekdays": data.get("weekday") or (),
            "unit_kinds": [data["kind"]] if data.get("kind") else (),
            "venue": data.get("place"),
            "free": bool(data.get("free")),
            "step_free": bool(data.get("step_free")),
        }


# --- Staff: offers and their times --------------------------------------------------------------


class OfferTeachersForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        label=_("Lærere"),
        queryset=None,
        required=False,
        help_text=_("Lærerne ser deltakerne og fører oppmøte for dette tilbudet, ikke for andre."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = candidates
        self.fields["teachers"].label_from_instance = lambda user: user.full_name


class OfferForm(DesignsystemetForm):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"),
        required=False,
        help_text=_("Hva skjer, og hva lærer man? Skriv kort og enkelt."),
        widget=forms.Textarea(attrs={"rows": 5, "cols": False}),
    )
    category = forms.ChoiceField(label=_("Interesse"), choices=Category.choices)
    age_min = forms.IntegerField(label=_("Fra alder"), min_value=0, max_value=AGE_LIMIT)
    age_max = forms.IntegerField(label=_("Til alder"), min_value=0, max_value=AGE_LIMIT)
    venue = VenueChoiceField(label=_("Sted"))
    price = forms.IntegerField(
        label=_("Pris i kroner"),
        min_value=0,
        initial=0,
        help_text=_("Skriv 0 hvis tilbudet er gratis."),
    )
    reduced_price = forms.IntegerField(
        label=_("Redusert pris i kroner"),
        min_value=0,
        required=False,
        help_text=_("For eksempel søskenmoderasjon eller for familier med lav inntekt."),
    )
    price_note = forms.CharField(
        label=_("Om prisen"),
        max_length=200,
        required=False,
        help_text=_("Hvem som kan få redusert pris, og hva prisen gjelder for."),
    )
    join_mode = forms.ChoiceField(label=_("Slik blir man med"), choices=Offer.JoinMode.choices)
    capacity = forms.IntegerField(
        label=_("Antall plasser"),
        min_value=1,
        required=False,
        help_text=_("Må fylles ut når man må melde seg på eller søke."),
    )
    subject_area = forms.ChoiceField(
        label=_("Fagområde"),
        required=False,
        choices=[("", _("Ikke valgt"))] + Offer.SubjectArea.choices,
    )
    programme = forms.ChoiceField(
        label=_("Program"),
        required=False,
        choices=[("", _("Ikke valgt"))] + Offer.Programme.choices,
    )
    term_start = forms.DateField(label=_("Starter"), widget=DateInput())
    term_end = forms.DateField(
        label=_("Slutter (siste dag)"),
        required=False,
        help_text=_("La stå tomt hvis tilbudet ikke har noen sluttdato."),
        widget=DateInput(),
    )
    application_deadline = forms.DateField(
        label=_("Søknadsfrist"),
        required=False,
        help_text=_("Må fylles ut når man må søke om plass."),
        widget=DateInput(),
    )
    how_to_join = forms.CharField(
        label=_("Mer om hvordan man blir med"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": False}),
    )

    def __init__(self, *args, unit, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].set_venues(venues, _("Ikke valgt"))
        if unit.kind != Unit.Kind.KULTURSKOLE:
            # Subject area and programme belong to the kulturskole's framework plan.
            del self.fields["subject_area"]
            del self.fields["programme"]

    @staticmethod
    def initial_for(offer: Offer) -> dict:
        return {
            name: offer.venue_id if name == "venue" else getattr(offer, name)
            for name in OfferForm.base_fields
        }


class ScheduleForm(DesignsystemetForm):
    weekday = forms.TypedChoiceField(label=_("Ukedag"), coerce=int, choices=WEEKDAYS)
    start_time = forms.TimeField(label=_("Fra klokken"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Til klokken"), widget=TimeInput())
    first_date = forms.DateField(label=_("Første gang"), widget=DateInput())
    last_date = forms.DateField(label=_("Siste gang"), widget=DateInput())


class SessionForm(DesignsystemetForm):
    date = forms.DateField(label=_("Dato"), widget=DateInput())
    start_time = forms.TimeField(label=_("Fra klokken"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Til klokken"), widget=TimeInput())
    venue = VenueChoiceField(
        label=_("Sted"), help_text=_("La stå tomt hvis det er tilbudets vanlige sted.")
    )

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].set_venues(venues, _("Tilbudets vanlige sted"))


# --- The open API ---------------------------------------------------------------------------------


class OfferApiQuery(forms.Form):
    """The query parameters of GET /api/v1/offers (the catalogue's filters, by their API names)."""

    municipality = forms.RegexField(
        regex=r"^\d{4}$",
        required=False,
        error_messages={"invalid": _("Ugyldig kommunenummer: bruk fire sifre.")},
    )
    age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=AGE_LIMIT,
        error_messages={
            "invalid": _("Ugyldig alder: bruk et heltall."),
            "min_value": _("Ugyldig alder: bruk et tall fra og med %(limit_value)s."),
            "max_value": _("Ugyldig alder: bruk et tall til og med %(limit_value)s."),
        },
    )
    category = forms.ChoiceField(
        required=False,
        choices=Category.choices,
        error_messages={"invalid_choice": _("Ukjent category: «%(value)s».")},
    )
    unit_type = forms.ChoiceField(
        required=False,
        choices=Unit.Kind.choices,
        error_messages={"invalid_choice": _("Ukjent unit_type: «%(value)s».")},
    )
    weekday = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(str(day), str(day)) for day in range(7)],
        error_messages={
            "invalid_choice": _("Ugyldig weekday: «%(value)s». Bruk 0 (mandag) til 6 (søndag).")
        },
    )
    free = forms.ChoiceField(
        required=False,
        choices=[("true", "true"), ("false", "false")],
        error_messages={
            "invalid_choice": _("Ugyldig verdi for free: «%(value)s». Bruk true eller false.")
        },
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Ugyldig page: bruk et heltall fra 1."),
            "min_value": _("Ugyldig page: bruk et heltall fra 1."),
        },
    )

    def filters(self) -> dict:
        """The selector's keyword arguments, except the municipality (looked up by the view)."""
        data = self.cleaned_data
        return {
            "age": data["age"],
            "categories": [data["category"]] if data["category"] else (),
            "unit_kinds": [data["unit_type"]] if data["unit_type"] else (),
            "weekdays": [data["weekday"]] if data["weekday"] is not None else (),
            "free": data["free"] == "true",
        }


class VenueForm(DesignsystemetForm):
    name = forms.CharField(label=_("Navn"), max_length=200)
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    step_free = forms.BooleanField(label=_("Trinnfri adkomst"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Tilgjengelig toalett"), required=False)
    hearing_loop = forms.BooleanField(label=_("Teleslynge"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Mer om tilgjengelighet"),
        required=False,
        help_text=_("For eksempel heis, parkering, inngang fra baksiden eller lys og lyd."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": False}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("step_free", "accessible_toilet", "hearing_loop"):
            self.fields[name].widget.attrs["class"] = "ds-input"

    @staticmethod
    def initial_for(venue) -> dict:
        return {name: getattr(venue, name) for name in VenueForm.base_fields}


class SchoolHolidayForm(DesignsystemetForm):
    name = forms.CharField(
        label=_("Ferie"),
        help_text=_("For eksempel «Høstferie»."),
        max_length=100,
        error_messages={"required": _("Skriv hvilken ferie det er, for eksempel «Høstferie».")},
    )
    first_day = forms.DateField(
        label=_("Første feriedag"),
        widget=DateInput(),
        error_messages={"required": _("Velg første feriedag."), "invalid": _("Velg en dato.")},
    )
    last_day = forms.DateField(
        label=_("Siste feriedag"),
        widget=DateInput(),
        error_messages={"required": _("Velg siste feriedag."), "invalid": _("Velg en dato.")},
    )
