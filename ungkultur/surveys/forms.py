from django import forms
from django.utils.translation import gettext_lazy as _

from ungkultur.surveys import bank
from ungkultur.surveys.models import (
    Choice,
    GridItem,
    Question,
    Questionnaire,
    Section,
    Survey,
    Wave,
)
from ungkultur.surveys.selectors import questionnaire_structure

INPUT = {"class": "ds-input"}
TEXTAREA = {"class": "ds-input", "rows": 2}
LANGUAGE_CHOICES = [("nb", _("bokmål")), ("nn", _("nynorsk")), ("en", _("engelsk"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(attrs=INPUT, format="%Y-%m-%d")


# Django's own message says "slug"; ours says what to write.
SLUG_MESSAGE = _(
    "Bruk bare bokstaver uten æ, ø og å, tall, understrek (_) og bindestrek (-), uten mellomrom."
)


def _style(form):
    for field in form.fields.values():
        if isinstance(field, forms.SlugField):
            field.error_messages["invalid"] = SLUG_MESSAGE
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            widget.attrs.setdefault("class", "ds-input")
        elif isinstance(widget, forms.Textarea):
            widget.attrs.update(TEXTAREA)
        else:
            widget.attrs.update(INPUT)


class QuestionnaireForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Språk"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["nb", "nn", "en"],
    )

    class Meta:
        model = Questionnaire
        fields = ["title", "languages"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_languages(self):
        languages = self.cleaned_data["languages"]
        if "nb" not in languages:
            raise forms.ValidationError(_("Bokmål må være med."))
        return [code for code, _label in LANGUAGE_CHOICES if code in languages]


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["name", "label_nb", "label_nn", "label_en", "relevant"]
        labels = {
            "name": _("Navn (i XLSForm)"),
            "label_nb": _("Overskrift (bokmål)"),
            "label_nn": _("Overskrift (nynorsk)"),
            "label_en": _("Overskrift (engelsk)"),
        }
        help_texts = {"relevant": _("For eksempel ${alder} >= 16. Tomt: vises alltid.")}
        widgets = {
            "label_nb": forms.TextInput,
            "label_nn": forms.TextInput,
            "label_en": forms.TextInput,
            "relevant": forms.TextInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "type",
            "name",
            "label_nb",
            "label_nn",
            "label_en",
            "hint_nb",
            "hint_nn",
            "hint_en",
            "choice_list",
            "allow_decimals",
            "required",
            "relevant",
            "constraint",
            "constraint_message_nb",
            "constraint_message_nn",
            "constraint_message_en",
        ]
        labels = {
            "label_nb": _("Spørsmål (bokmål)"),
            "label_nn": _("Spørsmål (nynorsk)"),
            "label_en": _("Spørsmål (engelsk)"),
        }
        help_texts = {
            "name": _("Kort navn på variabelen i data, for eksempel klubb_bruk."),
            "relevant": _(
                "Vises bare når uttrykket er sant, for eksempel "
                "${kulturskole} = '1' eller selected(${aktiviteter}, '3')."
            ),
            "constraint": _(
                "Svaret er gyldig når uttrykket er sant; punktum er svaret, "
                "for eksempel . >= 10 and . <= 25."
            ),
        }
        widgets = {
            "relevant": forms.TextInput,
            "constraint": forms.TextInput,
            "hint_nb": forms.TextInput,
            "hint_nn": forms.TextInput,
            "hint_en": forms.TextInput,
        }

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice_list"].queryset = questionnaire.choice_lists.all()
        if self.instance.type != Question.Type.CALCULATE:
            # A calculation comes only from an imported XLSForm (no field for it here).
            self.fields["type"].choices = [
                c for c in self.fields["type"].choices if c[0] != Question.Type.CALCULATE
            ]
        self.fields["choice_list"].help_text = _(
            "Gjelder ett valg, flere valg, likert og rutenett."
        )
        _style(self)


class ConditionForm(forms.Form):
    """The condition picker: a question, a comparison and a value make the expression."""

    variable = forms.ChoiceField(label=_("Spørsmål"))
    operator = forms.ChoiceField(
        label=_("Sammenligning"),
        choices=[
            ("=", _("er")),
            ("!=", _("er ikke")),
            ("selected", _("har valgt (flere valg)")),
            (">", _("er større enn")),
            (">=", _("er minst")),
            ("<", _("er mindre enn")),
            ("<=", _("er høyst")),
        ],
    )
    value = forms.CharField(
        label=_("Verdi"),
        max_length=64,
        help_text=_("Verdien til svaralternativet (for eksempel 1), eller et tall."),
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for q in questionnaire_structure(question.questionnaire).questions():
            if q.pk == question.pk:
                continue
            for name in q.variables:
                values = ", ".join(f"{v} = {labels['nb']}" for v, labels in q.choices)
                text = f"{name}: {q.label('nb')}"
                choices.append((name, f"{text} ({values})" if values else text))
        self.fields["variable"].choices = choices
        _style(self)


class ChoicesManyForm(forms.Form):
    lines = forms.CharField(
        label=_("Flere svaralternativer på en gang"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ett per linje: «verdi = tekst», eller bare teksten (verdien blir neste tall)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ChoiceListForm(forms.Form):
    name = forms.SlugField(label=_("Navn på ny liste"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ["value", "label_nb", "label_nn", "label_en"]
        widgets = {
            "label_nb": forms.TextInput,
            "label_nn": forms.TextInput,
            "label_en": forms.TextInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class GridItemForm(forms.ModelForm):
    class Meta:
        model = GridItem
        fields = ["name", "label_nb", "label_nn", "label_en"]
        labels = {
            "label_nb": _("Påstand (bokmål)"),
            "label_nn": _("Påstand (nynorsk)"),
            "label_en": _("Påstand (engelsk)"),
        }
        widgets = {
            "label_nb": forms.TextInput,
            "label_nn": forms.TextInput,
            "label_en": forms.TextInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("opp")), ("down", _("ned"))])


class BankForm(forms.Form):
    key = forms.ChoiceField(
        label=_("Spørsmål fra banken"),
        choices=[(item.key, item.nb) for item in bank.ITEMS],
        widget=forms.RadioSelect,
    )
    section = forms.TypedChoiceField(label=_("Legg til i del"), coerce=int)

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.label_nb) for s in questionnaire.sections.all()]
        _style(self)


MAX_XLSFORM_BYTES = 5 * 1024 * 1024


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm-fil (.xlsx eller .xls)"),
        error_messages={"required": _("Velg filen du vil importere."), "empty": _("Filen er tom.")},
        widget=forms.FileInput(attrs={"class": "ds-input", "accept": ".xlsx,.xls"}),
    )
    title = forms.CharField(
        label=_("Tittel (valgfri)"),
        max_length=200,
        required=False,
        help_text=_("Tomt: tittelen i arket settings."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update(INPUT)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_XLSFORM_BYTES:
            raise forms.ValidationError(_("Filen er større enn 5 MB."))
        return upload


class ShareForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Ressursgruppe"), coerce=int)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, f"{g.name} ({g.municipality})") for g in groups]
        _style(self)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Din kommentar"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CommentReplyForm(forms.Form):
    reply = forms.CharField(label=_("Svar til ungdommen"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "title_nn", "title_en", "questionnaire", "description"]
        labels = {"title": _("Tittel (bokmål)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class WaveForm(forms.ModelForm):
    class Meta:
        model = Wave
        fields = ["identifier", "title", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput, "closes_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _municipality_field(form, municipalities):
    """Staff of one municipality find it already chosen."""
    field = form.fields["municipality"]
    field.queryset = municipalities
    only = list(municipalities[:2])
    if len(only) == 1:
        field.initial = only[0].pk
        field.empty_label = None


class CodeBatchForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    school = forms.CharField(label=_("Skole"), max_length=200, required=False)
    class_label = forms.CharField(label=_("Klasse"), max_length=50, required=False)
    count = forms.IntegerField(label=_("Antall koder"), min_value=1, max_value=2000)
    class_size = forms.IntegerField(
        label=_("Elever i klassen (valgfritt)"),
        min_value=1,
        max_value=2000,
        required=False,
        help_text=_("Gir svarprosenten for klassen og skolen."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        _municipality_field(self, municipalities)
        _style(self)


class OpenLinkForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    label = forms.CharField(
        label=_("Arena"), max_length=200, help_text=_("For eksempel «UKM Arendal 2026».")
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        _municipality_field(self, municipalities)
        _style(self)


class InformationLetterForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    batch = forms.ModelChoiceField(
        label=_("Kodebunke (valgfri)"),
        queryset=None,
        required=False,
        help_text=_("Tomt: brevet gjelder hele kommunen."),
    )
    version = forms.CharField(label=_("Versjon av brevet"), max_length=50)
    sent_on = forms.DateField(label=_("Sendt"), widget=DateInput)

    def __init__(self, *args, municipalities, batches, **kwargs):
        super().__init__(*args, **kwargs)
        _municipality_field(self, municipalities)
        self.fields["batch"].queryset = batches
        _style(self)

    def clean(self):
        data = super().clean()
        batch, municipality = data.get("batch"), data.get("municipality")
        if batch and municipality and batch.municipality_id != municipality.pk:
            self.add_error("batch", _("Kodebunken hører til en annen kommune."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Koden din"),
        max_length=20,
        help_text=_("Ti tegn, for eksempel ABCDE-23456. Store og små bokstaver er det samme."),
        widget=forms.TextInput(
            attrs={**INPUT, "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Skriv inn koden din.")},
    )
    language = forms.ChoiceField(
        label=_("Språk i undersøkelsen"),
        choices=LANGUAGE_CHOICES,
        initial="nb",
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )


class LanguageForm(forms.Form):
    language = CodeForm.base_fields["language"]


class AnswerPageForm(forms.Form):
    """One page of a questionnaire. Every field is optional here: required answers, types and
    constraints are checked by ``services.page_clean``, the same rules as submission."""

    def __init__(self, *args, questions, lang, pipe=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = []
        # ``pipe`` puts earlier answers where a text says ``${name}``.
        pipe = pipe or (lambda text: text)
        for question in questions:
            names = []
            for name, label, field in _answer_fields(question, lang):
                field.label = pipe(label)
                field.help_text = pipe(field.help_text)
                self.fields[name] = field
                names.append(name)
            self.blocks.append((question, pipe(question.label(lang)), names))

    def raw(self) -> dict:
        """The submitted values by variable (before the service cleans them)."""
        values = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                values[name] = self.data.getlist(name)
            else:
                values[name] = self.data.get(name, "")
        return values

    def bound_blocks(self):
        return [
            (question, label, [self[name] for name in names])
            for question, label, names in self.blocks
        ]


def _answer_fields(question, lang):
    choices = [(value, labels.get(lang) or labels["nb"]) for value, labels in question.choices]
    label, hint = question.label(lang), question.hints.get(lang) or question.hints["nb"]
    kind = question.type
    if kind in (Question.Type.SINGLE, Question.Type.LIKERT):
        yield (
            question.name,
            label,
            forms.ChoiceField(
                choices=choices,
                required=False,
                help_text=hint,
                widget=forms.RadioSelect(attrs={"class": "ds-input"}),
            ),
        )
    elif kind == Question.Type.MULTIPLE:
        yield (
            question.name,
            label,
            forms.MultipleChoiceField(
                choices=choices,
                required=False,
                help_text=hint,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
            ),
        )
    elif kind == Question.Type.LIKERT_GRID:
        for name, labels in question.items:
            yield (
                name,
                labels.get(lang) or labels["nb"],
                forms.ChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "ds-input"}),
                ),
            )
    elif kind == Question.Type.NUMBER:
        mode = "decimal" if question.allow_decimals else "numeric"
        yield (
            question.name,
            label,
            forms.CharField(
                required=False,
                help_text=hint,
                max_length=30,
                widget=forms.TextInput(attrs={**INPUT, "inputmode": mode}),
            ),
        )
    elif kind == Question.Type.NOTE:
        return  # a note is its text only (the page shows the label)
    elif kind in (Question.Type.DATE, Question.Type.TIME):
        yield (
            question.name,
            label,
            forms.CharField(
                required=False,
                help_text=hint,
                max_length=10,
                widget=forms.TextInput(attrs={**INPUT, "type": kind}),
            ),
        )
    elif kind == Question.Type.SHORT_TEXT:
        yield (
            question.name,
            label,
            forms.CharField(required=False, help_text=hint, widget=forms.TextInput(attrs=INPUT)),
        )
    else:
        yield (
            question.name,
            label,
            forms.CharField(
                required=False,
                help_text=hint,
                widget=forms.Textarea(attrs={"class": "ds-input", "rows": 4}),
            ),
        )
