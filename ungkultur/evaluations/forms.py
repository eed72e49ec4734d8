from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.evaluations.models import Question, Round
from ungkultur.planning.forms import INPUT, TEXTAREA, DateInput

STANDARD_TOPICS = [(t.value, t.label) for t in Question.Topic if t != Question.Topic.OTHER]


class RoundForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type runde"), choices=Round.Kind.choices, widget=forms.Select(attrs=INPUT)
    )
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    intro = forms.CharField(
        label=_("Innledning til kommunene"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    deadline = forms.DateField(label=_("Svarfrist"), required=False, widget=DateInput())
    topics = forms.MultipleChoiceField(
        label=_("Spørsmål"),
        choices=STANDARD_TOPICS,
        required=False,
        initial=[value for value, _label in STANDARD_TOPICS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )
    own_question = forms.CharField(
        label=_("Eget spørsmål (valgfritt)"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class AnswerForm(forms.Form):
    """One text field per question, the evaluation meeting, and whether it may be published."""

    meeting = forms.ModelChoiceField(
        label=_("Evalueringsmøtet svaret kommer fra"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    published = forms.BooleanField(
        label=_("Svaret kan publiseres (API og sluttrapport) når det er sendt inn"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, questions, meetings, youth: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["meeting"].queryset = meetings
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs=TEXTAREA),
            )
        if youth:
            self.fields["published"].label = _(
                "Svaret kan publiseres som ressursgruppas stemme (med navn bare på dem som selv "
                "har sagt ja)"
            )

    def texts(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Hva må endres?"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class LateReasonForm(ReasonForm):
    """Asking to send in after the round's deadline."""

    reason = forms.CharField(
        label=_("Hvorfor trenger dere å sende inn etter fristen?"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class ThemesForm(forms.Form):
    themes = forms.CharField(
        label=_("Temaer (skill med komma)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=INPUT),
    )

    def theme_list(self) -> list[str]:
        return self.cleaned_data["themes"].split(",")


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    what = forms.CharField(label=_("Hva skjedde?"), widget=forms.Textarea(attrs=TEXTAREA))
    who = forms.CharField(
        label=_("Hvem var med?"),
        help_text=_("Enheter, grupper og samarbeidspartnere. Ikke navn på ungdom uten samtykke."),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    collaboration_model = forms.ModelChoiceField(
        label=_("Samarbeidsmodell"), queryset=None, required=False, widget=forms.Select(attrs=INPUT)
    )
    outcome = forms.CharField(label=_("Hva førte det til?"), widget=forms.Textarea(attrs=TEXTAREA))
    tags = forms.CharField(
        label=_("Stikkord (skill med komma)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=INPUT),
    )
    shows_people = forms.BooleanField(
        label=_("Historien navngir personer eller viser bilder av dem"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
    )
    consent = forms.CharField(
        label=_("Samtykke"),
        help_text=_("Hvem har samtykket, og hvordan (for barn under 15: foresatte)."),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    picture = forms.FileField(
        label=_("Bilde (valgfritt)"),
        help_text=_(
            "JPEG, PNG eller WebP, høyst 5 MB. Stedsdata og andre opplysninger i filen fjernes."
        ),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "ds-input", "accept": "image/jpeg,image/png,image/webp"}
        ),
    )
    picture_alt = forms.CharField(
        label=_("Hva viser bildet? (alt-tekst)"),
        help_text=_("Kreves for bildet: leses opp for dem som ikke ser det."),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=INPUT),
    )
    picture_shows_people = forms.BooleanField(
        label=_("Bildet viser personer"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
    )
    picture_consent = forms.BooleanField(
        label=_(
            "Alle som vises på bildet har samtykket til at det publiseres (for barn under 15: "
            "foresatte), og samtykket er skrevet ned over"
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collaboration_model"].queryset = models

    def clean_tags(self):
        return [t for t in self.cleaned_data["tags"].split(",") if t.strip()]


class StorySearchForm(forms.Form):
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    tag = forms.CharField(label=_("Stikkord"), required=False, max_length=60)


class FrameForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    amount = forms.IntegerField(
        label=_("Ramme (kr)"),
        error_messages={"invalid": _("Skriv hele kroner, uten øre.")},
        widget=forms.NumberInput(attrs=INPUT),
    )
    earmarked = forms.IntegerField(
        label=_("Øremerket kommunene (kr)"),
        help_text=_("Tomt: halvparten av rammen."),
        required=False,
        error_messages={"invalid": _("Skriv hele kroner, uten øre.")},
        widget=forms.NumberInput(attrs=INPUT),
    )


class AllocationForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommune"), queryset=None, widget=forms.Select(attrs=INPUT)
    )
    amount = forms.IntegerField(
        label=_("Tildelt (kr)"),
        error_messages={"invalid": _("Skriv hele kroner, uten øre.")},
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class PaymentForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommune"), queryset=None, widget=forms.Select(attrs=INPUT)
    )
    paid_on = forms.DateField(label=_("Utbetalt"), widget=DateInput())
    amount = forms.IntegerField(
        label=_("Beløp (kr)"),
        error_messages={"invalid": _("Skriv hele kroner, uten øre.")},
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class PositionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Eierorganisasjon"), queryset=None, widget=forms.Select(attrs=INPUT)
    )
    percent = forms.IntegerField(label=_("Stillingsprosent"), widget=forms.NumberInput(attrs=INPUT))
    yearly_cost = forms.IntegerField(
        label=_("Årlig kostnad (kr)"),
        help_text=_("Hva stillingsandelen koster i året, i hele kroner."),
        error_messages={
            "invalid": _("Skriv hele kroner, uten øre."),
            "required": _("Skriv hva stillingsandelen koster i året."),
        },
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class UseForm(forms.Form):
    description = forms.CharField(
        label=_("Brukt til"), max_length=300, widget=forms.TextInput(attrs=INPUT)
    )
    amount = forms.IntegerField(
        label=_("Beløp (kr)"),
        error_messages={"invalid": _("Skriv hele kroner, uten øre.")},
        widget=forms.NumberInput(attrs=INPUT),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    summary = forms.CharField(
        label=_("Sammendrag"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    lessons = forms.CharField(
        label=_("Erfaringer og læring"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    recommendations = forms.CharField(
        label=_("Anbefalinger videre"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
