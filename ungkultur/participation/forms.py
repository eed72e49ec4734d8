from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.accounts.forms import NICKNAME_HELP
from ungkultur.catalogue.models import Category, Offer
from ungkultur.core.money import kroner
from ungkultur.municipalities.models import Municipality
from ungkultur.participation.models import BudgetProject, BudgetRound, Proposal, Service
from ungkultur.participation.services import DECISIONS, POLL_MAX_QUESTIONS


class DesignsystemetMixin:
    """Designsystemet's input class on every widget (it styles checkboxes and radios too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; the value is ISO (YYYY-MM-DDTHH:MM), Oslo time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ProposalListQuery(forms.Form):
    """The public list's filter (GET): a bad value answers 400."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle"))] + list(Proposal.Status.choices),
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    page = forms.IntegerField(required=False, min_value=1)


class ProposalForm(DesignsystemetMixin, forms.Form):
    title = forms.CharField(
        label=_("Hva er ideen? (kort)"),
        max_length=140,
        help_text=_("For eksempel «Åpent lydstudio på fredager»."),
    )
    text = forms.CharField(
        label=_("Fortell mer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Hva vil du skal skje, for hvem og hvorfor? Ikke skriv navn på andre."),
    )
    category = forms.ChoiceField(label=_("Hva handler det om?"), choices=Category.choices)
    services = forms.MultipleChoiceField(
        label=_("Hvem gjelder det? (kan stå tomt)"),
        required=False,
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class CommentForm(DesignsystemetMixin, forms.Form):
    text = forms.CharField(
        label=_("Skriv en kommentar"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vær grei. Kommentarer som andre rapporterer, blir skjult."),
    )


class ReportForm(DesignsystemetMixin, forms.Form):
    reason = forms.CharField(label=_("Hvorfor? (kan stå tomt)"), max_length=200, required=False)


class ConsiderForm(DesignsystemetMixin, forms.Form):
    note = forms.CharField(
        label=_("Merknad (kan stå tomt)"),
        max_length=500,
        required=False,
        help_text=_("For eksempel hvilket møte forslaget skal opp i."),
    )


class AnswerForm(DesignsystemetMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Svar"),
        choices=[(s.value, s.label) for s in DECISIONS],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Begrunnelse"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Skriv enkelt, slik at den som foreslo det, forstår hvorfor."),
    )
    youth_participants = forms.ModelMultipleChoiceField(
        label=_("Ungdom fra ressursgruppa som var med på vedtaket"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["youth_participants"]
        field.queryset = youth
        field.label_from_instance = lambda user: user.full_name


class FollowUpForm(DesignsystemetMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Hvor langt har det kommet?"),
        choices=[
            (Proposal.Status.IN_PROGRESS.value, Proposal.Status.IN_PROGRESS.label),
            (Proposal.Status.IMPLEMENTED.value, Proposal.Status.IMPLEMENTED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Merknad (kan stå tomt)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome_offer = forms.ModelChoiceField(
        label=_("Tilbud som kom ut av det (kan stå tomt)"),
        queryset=Offer.objects.none(),
        required=False,
    )
    outcome_text = forms.CharField(
        label=_("Hva kom ut av det?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Et arrangement, et tiltak eller noe annet. Må fylles ut uten tilbud."),
    )
    outcome_url = forms.URLField(
        label=_("Lenke (kan stå tomt)"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_offer"].queryset = Offer.objects.filter(
            municipality=municipality
        ).order_by("title")


class SettingsForm(DesignsystemetMixin, forms.Form):
    answer_days = forms.IntegerField(
        label=_("Svarfrist i dager"),
        min_value=1,
        max_value=365,
        help_text=_("Gjelder forslag som sendes inn fra nå av."),
    )


class ProfileForm(DesignsystemetMixin, forms.Form):
    nickname = forms.CharField(
        label=_("Kallenavn (kan stå tomt)"),
        max_length=50,
        required=False,
        help_text=NICKNAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    school_municipality = forms.ModelChoiceField(
        label=_("Kommunen du går på skole i (kan stå tomt)"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("Samme som jeg bor i / ikke oppgitt"),
        help_text=_(
            "Da kan du foreslå og stemme der du går på skole, selv om du bor et annet sted."
        ),
    )
    email_digest = forms.BooleanField(
        label=_("Send meg én e-post om dagen når noe har skjedd med forslagene mine"),
        required=False,
    )


# --- Youth budget ---------------------------------------------------------------------------


class BudgetRoundForm(DesignsystemetMixin, forms.Form):
    title = forms.CharField(label=_("Navn"), max_length=140)
    description = forms.CharField(
        label=_("Beskrivelse (kan stå tomt)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = forms.IntegerField(label=_("Beløp (kr)"), min_value=1)
    propose_opens = forms.DateTimeField(label=_("Forslag fra"), widget=DateTimeInput())
    propose_closes = forms.DateTimeField(label=_("Forslag til"), widget=DateTimeInput())
    vote_opens = forms.DateTimeField(
        label=_("Avstemning fra"),
        widget=DateTimeInput(),
        help_text=_("Mellom forslagsfristen og avstemningen vurderer dere prosjektene."),
    )
    vote_closes = forms.DateTimeField(label=_("Avstemning til"), widget=DateTimeInput())
    age_min = forms.IntegerField(label=_("Laveste alder"), min_value=6, max_value=26, initial=13)
    age_max = forms.IntegerField(label=_("Høyeste alder"), min_value=6, max_value=26, initial=19)
    proof = forms.ChoiceField(
        label=_("Hvem kan foreslå og stemme?"),
        choices=BudgetRound.Proof.choices,
        initial=BudgetRound.Proof.EMAIL,
        required=False,  # left out: confirmed e-mail
        widget=forms.RadioSelect,
        help_text=_(
            "Med bekreftet e-post kan alle med en bekreftet konto i kommunen være med. "
            "Med ID-porten eller Feide teller bare de som har logget inn slik, og alder og "
            "bostedskommune kommer da derfra, ikke fra det de selv har skrevet."
        ),
    )

    def clean_proof(self):
        return self.cleaned_data["proof"] or BudgetRound.Proof.EMAIL


class BudgetProjectForm(DesignsystemetMixin, forms.Form):
    title = forms.CharField(label=_("Navn på prosjektet"), max_length=140)
    description = forms.CharField(
        label=_("Hva skal pengene brukes til?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    cost = forms.IntegerField(label=_("Hva koster det (kr)?"), min_value=1)


class CheckForm(DesignsystemetMixin, forms.Form):
    feasibility = forms.ChoiceField(
        label=_("Vurdering"),
        choices=[
            (BudgetProject.Feasibility.FEASIBLE.value, BudgetProject.Feasibility.FEASIBLE.label),
            (
                BudgetProject.Feasibility.NOT_FEASIBLE.value,
                BudgetProject.Feasibility.NOT_FEASIBLE.label,
            ),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BallotForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("Prosjektene du vil gi penger til"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["projects"]
        field.queryset = round.projects.filter(
            feasibility=BudgetProject.Feasibility.FEASIBLE
        ).order_by("title", "pk")
        field.label_from_instance = lambda p: f"{p.title} – {kroner(p.cost)}"


class ProgressForm(DesignsystemetMixin, forms.Form):
    progress = forms.IntegerField(label=_("Framdrift (prosent)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Hva har skjedd? (kan stå tomt)"), max_length=2000, required=False
    )


# --- Polls ----------------------------------------------------------------------------------


class PollForm(DesignsystemetMixin, forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=140)
    minutes = forms.TypedChoiceField(
        label=_("Åpen i"),
        coerce=int,
        choices=[
            (15, _("15 minutter")),
            (30, _("30 minutter")),
            (60, _("1 time")),
            (120, _("2 timer")),
            (1440, _("1 døgn")),
        ],
        initial=60,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, POLL_MAX_QUESTIONS + 1):
            self.fields[f"question_{n}"] = forms.CharField(
                label=_("Spørsmål %(n)s") % {"n": n},
                max_length=200,
                required=n == 1,
                widget=forms.TextInput(attrs={"class": "ds-input"}),
            )
            self.fields[f"choices_{n}"] = forms.CharField(
                label=_("Svaralternativer for spørsmål %(n)s, ett per linje") % {"n": n},
                max_length=600,
                required=n == 1,
                widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
            )

    def questions(self):
        data = self.cleaned_data
        return [
            (data[f"question_{n}"], data[f"choices_{n}"].splitlines())
            for n in range(1, POLL_MAX_QUESTIONS + 1)
            if data.get(f"question_{n}", "").strip()
        ]


class PollAnswerForm(forms.Form):
    """One radio group per question; the choice is its index."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                coerce=int,
                choices=list(enumerate(question.choices)),
                widget=forms.RadioSelect(attrs={"class": "ds-input"}),
                error_messages={"required": _("Velg ett svar.")},
            )

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
