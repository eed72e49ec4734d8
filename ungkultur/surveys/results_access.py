"""Who sees the results of surveys, and who takes research data away.

- ``surveys.view_results``: national administrators, national coordinators and researchers see
  the aggregates of every municipality; a municipality's project leader (its local
  coordinator) sees the aggregates of their own municipality. Always protected
  (``results.py``), never single responses.
- ``surveys.export_research`` (microdata: one row per response): researchers only.
- ``surveys.import_responses``: whoever builds questionnaires (``surveys.build``).
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ungkultur.organisations.rules import (
    is_national_admin,
    is_national_coordinator,
    is_researcher,
)
from ungkultur.organisations.selectors import roles_for
from ungkultur.surveys.models import ResearchExport, Survey, Wave


@rules.predicate
def leads_a_municipality(user):
    return bool(roles_for(user).leader_municipalities)


sees_all_results = is_national_admin | is_national_coordinator | is_researcher

rules.add_perm("surveys.view_all_results", sees_all_results)
rules.add_perm("surveys.view_results", sees_all_results | leads_a_municipality)
rules.add_perm("surveys.export_research", is_researcher)
rules.add_perm("surveys.import_responses", sees_all_results)


@dataclass(frozen=True)
class Scope:
    """The municipalities whose aggregates a user sees: all, or these."""

    everything: bool
    municipality_ids: frozenset

    def allows(self, municipality_id) -> bool:
        return self.everything or municipality_id in self.municipality_ids


def results_scope(user) -> Scope:
    if user.has_perm("surveys.view_all_results"):
        return Scope(True, frozenset())
    return Scope(False, frozenset(roles_for(user).leader_municipalities))


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def get_wave_for_results(request, pk) -> tuple[Wave, Scope]:
    wave = get_object_or_404(Wave.objects.select_related("survey__questionnaire"), pk=pk)
    _require(request.user, "surveys.view_results")
    return wave, results_scope(request.user)


def get_survey_for_results(request, pk) -> tuple[Survey, Scope]:
    survey = get_object_or_404(Survey.objects.select_related("questionnaire"), pk=pk)
    _require(request.user, "surveys.view_results")
    return survey, results_scope(request.user)


def get_wave_for_research(request, pk) -> Wave:
    wave = get_object_or_404(Wave.objects.select_related("survey__questionnaire"), pk=pk)
    _require(request.user, "surveys.export_research")
    return wave


def get_export_for_research(request, pk) -> ResearchExport:
    export = get_object_or_404(ResearchExport.objects.select_related("wave__survey"), pk=pk)
    _require(request.user, "surveys.export_research")
    return export


def get_wave_for_import(request, pk) -> Wave:
    wave = get_object_or_404(Wave.objects.select_related("survey__questionnaire"), pk=pk)
    _require(request.user, "surveys.import_responses")
    return wave
