from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ungkultur.accounts.models import User
from ungkultur.meetings.models import ActionItem, Decision, Event
from ungkultur.organisations.forms import DateInput
from ungkultur.organisations.models import Group, Unit, UnitStaff

LOCAL_KINDS = (
    Event.Kind.PROJECT_GROUP_MEETING,
    Event.Kind.RESOURCE_GROUP_MEETING,
    Event.Kind.MUNICIPALITY_MEETING,
    Event.Kind.THEME_MEETING,
    Event.Kind.COURSE,
    Event.Kind.LECTURE,
    Event.Kind.WEBINAR,
)
NATIONAL_KINDS = (
    Event.Kind.YOUTH_GATHERING,
    Event.Kind.CONFERENCE,
    Event.Kind.WEBINAR,
    Event.Kind.COURSE,
    Event.Kind.LECTURE,
    Event.Kind.THEME_MEETING,
)


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; the value is ISO (YYYY-MM-DDTHH:MM), Oslo time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "ds-input", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class DesignsystemetMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "ds-input")


def _kind_choices(kinds):
    return [(k.value, capfirst(k.label)) for k in kinds]


class EventFilterForm(forms.Form):
    PERIODS = [("upcoming", _("Kommende")), ("past", _("Tidligere")), ("all", _("Alle"))]
    period = forms.ChoiceField(label=_("Tid"), choices=PERIODS, required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alle typer")), *_kind_choices(Event.Kind)]
        for f in self.fields.values():
            f.widget.attrs["class"] = "ds-input"


class EventDetailsForm(DesignsystemetMixin, forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    place = forms.CharField(label=_("Sted (kan stå tomt)"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Lenke til nettmøte (kan stå tomt)"), required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Beskrivelse (kan stå tomt)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = forms.IntegerField(
        label=_("Antall plasser (kan stå tomt)"),
        help_text=_("Tomt betyr ubegrenset. Når det er fullt, kommer nye på venteliste."),
        required=False,
        min_value=1,
        max_value=100000,
    )
    registration_deadline = forms.DateTimeField(
        label=_("Påmeldingsfrist (kan stå tomt)"), required=False, widget=DateTimeInput()
    )
    open_registration = forms.BooleanField(
        label=_("Åpen påmelding for alle innloggede"), required=False
    )


class EventCreateForm(EventDetailsForm):
    kind = forms.ChoiceField(label=_("Type"))
    starts_at = forms.DateTimeField(label=_("Starter"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Slutter"), widget=DateTimeInput())

    field_order = ["kind", "title", "starts_at", "ends_at", "place", "online_url"]

    def __init__(self, *args, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices(NATIONAL_KINDS if national else LOCAL_KINDS)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Slutt må være etter start."))
        return data


class EventMoveForm(DesignsystemetMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("Ny start"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ny slutt"), widget=DateTimeInput())
    reason = forms.CharField(
        label=_("Grunn (kan stå tomt)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Slutt må være etter start."))
        return data


class EventCancelForm(DesignsystemetMixin, forms.Form):
    reason = forms.CharField(
        label=_("Grunn til avlysningen"),
        help_text=_("De påmeldte får grunnen på e-post."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=_("Grupper"),
        queryset=Group.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
        error_messages={"required": _("Velg minst én gruppe.")},
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.municipality_id:
            groups = Group.objects.filter(municipality_id=event.municipality_id)
        else:
            # National gatherings invite the national groups and every KK municipality's groups.
            groups = Group.objects.filter(
                Q(municipality__isnull=True) | Q(municipality__kk_active=True)
            )
        self.fields["groups"].queryset = groups.select_related("municipality").order_by(
            "municipality__name", "kind"
        )


class StaffInviteForm(forms.Form):
    """Whom to invite among the staff of the event's municipality: one unit, or all staff of
    chosen unit kinds and roles (both may be combined)."""

    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        help_text=_("Alle ansatte i enheten. La stå tomt for å velge typer og roller."),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Ingen bestemt enhet"),
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("Typer enheter"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roller"),
        choices=UnitStaff.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            municipality_id=event.municipality_id, closed_on__isnull=True
        ).order_by("kind", "name")

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("unit_kinds") and not data.get("roles"):
            raise forms.ValidationError(_("Velg en enhet, en type enhet eller en rolle."))
        return data


class QuestionForm(DesignsystemetMixin, forms.Form):
    text = forms.CharField(label=_("Spørsmål"), max_length=200)
    required = forms.BooleanField(label=_("Må besvares"), required=False)
    is_sensitive = forms.BooleanField(
        label=_("Svarene kan være sensitive (for eksempel allergier eller helse)"),
        help_text=_("Bare arrangørene ser svarene, og de slettes etter arrangementet."),
        required=False,
    )


class RegistrationForm(DesignsystemetMixin, forms.Form):
    """One text field per question on the event's registration form."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=question.text,
                required=question.required,
                max_length=1000,
                help_text=(
                    _("Bare arrangørene ser svaret, og det slettes etter arrangementet.")
                    if question.is_sensitive
                    else ""
                ),
            )
        self.questions = questions

    def answers(self):
        return {q.pk: self.cleaned_data.get(f"q{q.pk}", "") for q in self.questions}


class AgendaItemForm(DesignsystemetMixin, forms.Form):
    title = forms.CharField(label=_("Sak"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Beskrivelse (kan stå tomt)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposal = forms.ModelChoiceField(
        label=_("Forslag fra ungdom (kan stå tomt)"),
        queryset=None,
        required=False,
        empty_label=_("Ikke et forslag"),
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("proposal"):
            self.add_error("title", _("Skriv hva saken gjelder, eller velg et forslag."))
        return data


class ProposalToAgendaForm(DesignsystemetMixin, forms.Form):
    event = forms.ModelChoiceField(label=_("Møte"), queryset=None)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Til stede"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = candidates
        self.fields["present"].label_from_instance = lambda user: user.full_name


class MinutesForm(DesignsystemetMixin, forms.Form):
    summary = forms.CharField(
        label=_("Referat"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


OUTCOME_CHOICES = [
    ("", _("Ikke et svar på et forslag")),
    *Decision._meta.get_field("outcome").choices,
]


class DecisionForm(DesignsystemetMixin, forms.Form):
    text = forms.CharField(
        label=_("Vedtak"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Sak (kan stå tomt)"), queryset=None, required=False, empty_label=_("Ingen sak")
    )

    outcome = forms.ChoiceField(
        label=_("Svar på forslaget (når saken er et forslag fra ungdom)"),
        choices=OUTCOME_CHOICES,
        required=False,
        help_text=_(
            "Vedtaket blir svaret til ungdommen, med teksten som begrunnelse og ungdommene fra "
            "ressursgruppa som var til stede."
        ),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = event.agenda_items.all()


class DecisionEditForm(DesignsystemetMixin, forms.Form):
    text = forms.CharField(
        label=_("Vedtak"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(
        label=_("Svar på forslaget"),
        choices=OUTCOME_CHOICES,
        required=False,
    )
    reason = forms.CharField(
        label=_("Hvorfor rettes svaret? (vises i forslagets historikk)"),
        max_length=500,
        required=False,
    )


class ActionItemForm(DesignsystemetMixin, forms.Form):
    what = forms.CharField(label=_("Hva"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Hvem"), queryset=None)
    due = forms.DateField(label=_("Frist"), widget=DateInput())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = candidates
        self.fields["owner"].label_from_instance = lambda user: user.full_name


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)


class OrganiserAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadressen til medarrangøren"),
        max_length=254,
        help_text=_("Personen må ha en bruker i Ungkultur."),
        widget=forms.EmailInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )

    def clean_email(self):
        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Fant ingen bruker med denne e-postadressen."))
        self.cleaned_data["user"] = user
        return self.cleaned_data["email"]
