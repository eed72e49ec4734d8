"""API endpoints of participation (wired into api/urls.py and api/openapi.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.api.http import api_view, json_error, json_response, next_page_url
from ungkultur.lib.terms import TERM_PATTERN, Term
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.participation import selectors
from ungkultur.participation.models import Proposal, local_date

PROPOSALS_PER_PAGE = 50


class ProposalApiQuery(forms.Form):
    status = forms.ChoiceField(
        choices=Proposal.Status.choices,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Ukjent status: «%(value)s».")},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("Sidetallet må være et heltall.")},
    )


class StatsQuery(forms.Form):
    term = forms.RegexField(
        regex=TERM_PATTERN,
        required=False,
        error_messages={
            "invalid": gettext_lazy(
                "Ugyldig termin. Bruk for eksempel 2024H (høst) eller 2025V (vår)."
            )
        },
    )

    def clean_term(self):
        # The selectors read the term with Term.parse, which knows the years 1900–2999 only.
        term = self.cleaned_data["term"]
        if term:
            try:
                Term.parse(term)
            except ValidationError as error:
                raise ValidationError(error.messages[0], code="invalid") from None
        return term


def _first_error(form):
    return next(iter(form.errors.values()))[0]


def proposal_json(proposal) -> dict:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "text": proposal.text,
        "category": proposal.category,
        "services": proposal.services,
        # The nickname the youth chose, or nothing: youth are not named in public (docs/privacy.md).
        "author": proposal.author_name or None,
        "resource_group_youth": proposal.resource_group_youth,
        "status": proposal.status,
        "supports": proposal.support_count,
        "submitted_on": local_date(proposal.submitted_at).isoformat(),
        "answer_due": proposal.answer_due.isoformat(),
        "answered_on": local_date(proposal.answered_at).isoformat()
        if proposal.answered_at
        else None,
        "days_to_answer": proposal.days_to_answer(),
        "answer": proposal.answer or None,
        "implemented_on": local_date(proposal.implemented_at).isoformat()
        if proposal.implemented_at
        else None,
        "outcome": proposal.outcome_text or None,
        "outcome_url": proposal.outcome_url or None,
        "outcome_offer": proposal.outcome_offer_id,
    }


@api_view
def proposal_list(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        return json_error(
            _("Fant ingen kommune med nummeret %(code)s.") % {"code": code}, status=404
        )
    query = ProposalApiQuery(request.GET)
    if not query.is_valid():
        return json_error(_first_error(query), status=400)
    proposals = selectors.with_resource_group_count(
        selectors.public_proposals(municipality, status=query.cleaned_data["status"] or None)
    )
    paginator = Paginator(proposals, PROPOSALS_PER_PAGE)
    try:
        page = paginator.page(query.cleaned_data["page"] or 1)
    except EmptyPage:
        # A page after the last is a well-formed request for something that is not there.
        return json_error(
            _("Side %(page)s finnes ikke.") % {"page": query.cleaned_data["page"]}, status=404
        )
    return json_response(
        {
            "count": paginator.count,
            "next": next_page_url(request, page),
            "results": [proposal_json(p) for p in page.object_list],
        }
    )


@api_view
def participation_stats(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        return json_error(
            _("Fant ingen kommune med nummeret %(code)s.") % {"code": code}, status=404
        )
    query = StatsQuery(request.GET)
    if not query.is_valid():
        return json_error(_first_error(query), status=400)
    today = local_date(timezone.now())
    term = query.cleaned_data["term"]
    if term:
        terms = [
            (
                term,
                selectors.proposal_figures(
                    selectors.proposals_in_term(municipality, term), today=today
                ),
            )
        ]
    else:
        terms = selectors.figures_by_term(municipality, today=today)
    return json_response(
        {
            "municipality": municipality.code,
            "as_of": today.isoformat(),
            "terms": [{"term": t, **figures.as_dict()} for t, figures in terms],
        }
    )


urlpatterns = [
    path(
        "municipalities/<str:code>/proposals",
        proposal_list,
        name="municipality_proposals",
    ),
    path(
        "municipalities/<str:code>/participation-stats",
        participation_stats,
        name="municipality_participation_stats",
    ),
]

_CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "Municipality number (four digits); a former number works too.",
    "schema": {"type": "string", "pattern": "^[0-9]{4}$", "examples": ["4203"]},
}
_ERRORS = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "405": {"$ref": "#/components/responses/MethodNotAllowed"},
}
_ERROR = {"$ref": "#/components/schemas/Error"}
STATUSES = list(Proposal.Status.values)


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}

OPENAPI_PATHS: dict = {
    "/municipalities/{code}/proposals": {
        "parameters": [_CODE],
        "get": {
            "operationId": "listMunicipalityProposals",
            "summary": "Youth proposals in a municipality and what happened to them",
            "description": (
                "Newest first, 50 to a page. Public fields only: a youth author appears by the "
                "nickname they chose, or not at all (null); never by their name."
            ),
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": STATUSES},
                },
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1},
                },
            ],
            "responses": {
                "200": _json({"$ref": "#/components/schemas/ProposalList"}, "The proposals."),
                "400": _json(_ERROR, "A bad or empty status or page."),
                "404": _json(_ERROR, "No municipality has or had this number, or no such page."),
                **_ERRORS,
            },
        },
    },
    "/municipalities/{code}/participation-stats": {
        "parameters": [_CODE],
        "get": {
            "operationId": "getMunicipalityParticipationStats",
            "summary": "Youth influence figures per term",
            "description": (
                "Per term of submission (2024H = 1 Aug–31 Dec 2024, 2025V = 1 Jan–31 Jul 2025): "
                "proposals answered within the deadline (answered date ≤ answer_due) as a share "
                "of those due (answered, or unanswered past the deadline as of today); accepted "
                "in full or in part as a share of the answered; implemented as a share of the "
                "accepted; median days from submission to answer."
            ),
            "parameters": [
                {
                    "name": "term",
                    "in": "query",
                    "required": False,
                    "description": "One term only, such as 2024H or 2025V (years 1900–2999).",
                    "schema": {"type": "string", "pattern": "^(19|2[0-9])[0-9]{2}[HV]$"},
                }
            ],
            "responses": {
                "200": _json({"$ref": "#/components/schemas/ParticipationStats"}, "The figures."),
                "400": _json(_ERROR, "A bad term."),
                "404": _json(_ERROR, "No municipality has or had this number."),
                **_ERRORS,
            },
        },
    },
}

OPENAPI_SCHEMAS: dict = {
    "Proposal": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "text": {"type": "string"},
            "category": {"type": "string"},
            "services": {
                "type": "array",
                "items": {"type": "string", "enum": ["kulturskole", "club", "ukm"]},
            },
            "author": {
                "type": ["string", "null"],
                "description": "The nickname the youth chose, or null; never their name.",
            },
            "resource_group_youth": {
                "type": "integer",
                "minimum": 0,
                "description": "How many youth of the resource group took part in the "
                "decision; never who.",
            },
            "status": {"type": "string", "enum": STATUSES},
            "supports": {"type": "integer"},
            "submitted_on": {"type": "string", "format": "date"},
            "answer_due": {"type": "string", "format": "date"},
            "answered_on": _DATE_OR_NULL,
            "days_to_answer": {"type": ["integer", "null"]},
            "answer": {"type": ["string", "null"]},
            "implemented_on": _DATE_OR_NULL,
            "outcome": {"type": ["string", "null"]},
            "outcome_url": {"type": ["string", "null"]},
            "outcome_offer": {
                "type": ["integer", "null"],
                "description": "Id of the offer that came of it (see /offers/{id}).",
            },
        },
        "required": ["id", "title", "status", "submitted_on", "answer_due"],
    },
    "ProposalList": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Proposal"}},
        },
        "required": ["count", "next", "results"],
    },
    "ParticipationStats": {
        "type": "object",
        "properties": {
            "municipality": {"type": "string"},
            "as_of": {"type": "string", "format": "date"},
            "terms": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "term": {"type": "string", "examples": ["2024H"]},
                        "proposals": {"type": "integer"},
                        "answered": {"type": "integer"},
                        "due": {"type": "integer"},
                        "answered_within_deadline": {"type": "integer"},
                        "overdue": {"type": "integer"},
                        "accepted": {"type": "integer"},
                        "implemented": {"type": "integer"},
                        "share_answered_within_deadline": _SHARE,
                        "share_accepted": _SHARE,
                        "share_implemented": _SHARE,
                        "median_days_to_answer": {"type": ["number", "null"]},
                    },
                },
            },
        },
        "required": ["municipality", "as_of", "terms"],
    },
}
