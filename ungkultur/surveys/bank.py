"""The question bank: reusable items on the themes Ungdata covers, written in our own words.

Each item is one question with its choice list; adding it to a questionnaire copies it (the
choice list is shared by name if the questionnaire already has one with the same values).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BankChoice:
    value: str
    nb: str
    nn: str
    en: str


@dataclass(frozen=True)
class BankItem:
    key: str
    theme: str
    type: str
    name: str
    nb: str
    nn: str
    en: str
    list_name: str = ""
    choices: tuple = ()
    items: tuple = ()  # likert_grid rows: (name, nb, nn, en)
    allow_decimals: bool = False
    constraint: str = ""
    tags: tuple = field(default=())


def _c(*rows):
    return tuple(BankChoice(*row) for row in rows)


HOW_OFTEN = _c(
    ("1", "Aldri", "Aldri", "Never"),
    ("2", "Sjeldnere enn hver måned", "Sjeldnare enn kvar månad", "Less than once a month"),
    (
        "3",
        "En til tre ganger i måneden",
        "Ein til tre gonger i månaden",
        "One to three times a month",
    ),
    ("4", "Hver uke", "Kvar veke", "Every week"),
)
AGREE = _c(
    ("1", "Helt uenig", "Heilt usamd", "Strongly disagree"),
    ("2", "Litt uenig", "Litt usamd", "Somewhat disagree"),
    ("3", "Verken enig eller uenig", "Verken samd eller usamd", "Neither agree nor disagree"),
    ("4", "Litt enig", "Litt samd", "Somewhat agree"),
    ("5", "Helt enig", "Heilt samd", "Strongly agree"),
)
SATISFIED = _c(
    ("1", "Svært misfornøyd", "Svært misnøgd", "Very dissatisfied"),
    ("2", "Litt misfornøyd", "Litt misnøgd", "Somewhat dissatisfied"),
    ("3", "Verken fornøyd eller misfornøyd", "Verken nøgd eller misnøgd", "Neither"),
    ("4", "Litt fornøyd", "Litt nøgd", "Somewhat satisfied"),
    ("5", "Svært fornøyd", "Svært nøgd", "Very satisfied"),
)
YES_NO = _c(("1", "Ja", "Ja", "Yes"), ("2", "Nei", "Nei", "No"))
GENDER = _c(
    ("1", "Jente", "Jente", "Girl"),
    ("2", "Gutt", "Gut", "Boy"),
    ("3", "Annet", "Anna", "Other"),
    ("9", "Vil ikke svare", "Vil ikkje svare", "Prefer not to say"),
)
GRADE = _c(
    ("8", "8. trinn", "8. trinn", "Year 8"),
    ("9", "9. trinn", "9. trinn", "Year 9"),
    ("10", "10. trinn", "10. trinn", "Year 10"),
    ("11", "Vg1", "Vg1", "Upper secondary year 1"),
    ("12", "Vg2", "Vg2", "Upper secondary year 2"),
    ("13", "Vg3", "Vg3", "Upper secondary year 3"),
)
ACTIVITIES = _c(
    (
        "1",
        "Spiller i band eller synger i kor",
        "Speler i band eller syng i kor",
        "Play in a band or sing in a choir",
    ),
    ("2", "Kulturskolen", "Kulturskulen", "The school of arts (kulturskole)"),
    (
        "3",
        "Fritidsklubb eller ungdomshus",
        "Fritidsklubb eller ungdomshus",
        "Youth club or youth centre",
    ),
    ("4", "Idrettslag", "Idrettslag", "Sports club"),
    ("5", "Teater, dans eller film", "Teater, dans eller film", "Theatre, dance or film"),
    ("6", "Annet organisert", "Anna organisert", "Other organised activity"),
)

ITEMS = (
    BankItem(
        "gender", "bakgrunn", "single", "kjonn", "Er du …", "Er du …", "Are you …", "kjonn", GENDER
    ),
    BankItem(
        "grade",
        "bakgrunn",
        "single",
        "trinn",
        "Hvilket trinn går du på?",
        "Kva trinn går du på?",
        "Which school year are you in?",
        "trinn",
        GRADE,
    ),
    BankItem(
        "age",
        "bakgrunn",
        "number",
        "alder",
        "Hvor gammel er du?",
        "Kor gammal er du?",
        "How old are you?",
        constraint=". >= 10 and . <= 25",
    ),
    BankItem(
        "club_use",
        "fritidsklubb",
        "likert",
        "klubb_bruk",
        "Hvor ofte har du vært på en fritidsklubb eller et ungdomshus den siste måneden?",
        "Kor ofte har du vore på ein fritidsklubb eller eit ungdomshus den siste månaden?",
        "How often have you been to a youth club or youth centre in the last month?",
        "hvor_ofte",
        HOW_OFTEN,
    ),
    BankItem(
        "kulturskole",
        "kulturskole",
        "single",
        "kulturskole",
        "Går du i kulturskolen nå?",
        "Går du i kulturskulen no?",
        "Do you attend the school of arts (kulturskole) now?",
        "ja_nei",
        YES_NO,
    ),
    BankItem(
        "activities",
        "organisert fritid",
        "multiple",
        "aktiviteter",
        "Hva driver du med på fritiden? Kryss av for alt som passer.",
        "Kva driv du med på fritida? Kryss av for alt som passar.",
        "What do you do in your free time? Tick all that apply.",
        "aktiviteter",
        ACTIVITIES,
    ),
    BankItem(
        "band_choir",
        "band og kor",
        "likert",
        "band_kor",
        "Hvor ofte spiller du i band eller synger i kor?",
        "Kor ofte speler du i band eller syng i kor?",
        "How often do you play in a band or sing in a choir?",
        "hvor_ofte",
        HOW_OFTEN,
    ),
    BankItem(
        "offer_satisfaction",
        "kulturtilbud",
        "likert",
        "fornoyd_tilbud",
        "Hvor fornøyd er du med kulturtilbudet for unge der du bor?",
        "Kor nøgd er du med kulturtilbodet for unge der du bur?",
        "How satisfied are you with the cultural offer for young people where you live?",
        "fornoyd",
        SATISFIED,
    ),
    BankItem(
        "places_to_meet",
        "møteplasser",
        "likert_grid",
        "moteplass",
        "Hvor enig er du i dette om stedet der du bor?",
        "Kor samd er du i dette om staden der du bur?",
        "How much do you agree with this about the place where you live?",
        "enig",
        AGREE,
        items=(
            (
                "moteplass_inne",
                "Det finnes steder innendørs der unge kan være uten å betale",
                "Det finst stader innandørs der unge kan vere utan å betale",
                "There are indoor places where young people can be without paying",
            ),
            (
                "moteplass_trygg",
                "Jeg føler meg trygg på møteplassene for unge",
                "Eg kjenner meg trygg på møteplassane for unge",
                "I feel safe at the places where young people meet",
            ),
            (
                "moteplass_medvirke",
                "Unge får være med og bestemme hva som skjer der",
                "Unge får vere med og bestemme kva som skjer der",
                "Young people have a say in what happens there",
            ),
        ),
    ),
    BankItem(
        "wish",
        "kulturtilbud",
        "long_text",
        "onske",
        "Hva skulle du ønske fantes for unge der du bor?",
        "Kva skulle du ønskje fanst for unge der du bur?",
        "What do you wish there was for young people where you live?",
    ),
)

BY_KEY = {item.key: item for item in ITEMS}
