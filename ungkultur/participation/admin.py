from django.contrib import admin

from ungkultur.participation.models import (
    BudgetProject,
    BudgetRound,
    Comment,
    MunicipalitySettings,
    Poll,
    PollQuestion,
    Proposal,
    ProposalEvent,
)


class ProposalEventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    raw_id_fields = ["actor"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "status", "submitted_at", "answer_due", "answered_at"]
    list_filter = ["status", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title"]
    raw_id_fields = ["author", "answered_by", "outcome_offer", "youth_participants"]
    date_hierarchy = "submitted_at"
    inlines = [ProposalEventInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author_name", "proposal", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["proposal", "author", "moderated_by"]


@admin.register(MunicipalitySettings)
class MunicipalitySettingsAdmin(admin.ModelAdmin):
    list_display = ["municipality", "answer_days"]


class BudgetProjectInline(admin.TabularInline):
    model = BudgetProject
    extra = 0
    raw_id_fields = ["author", "checked_by"]
    fields = ["title", "cost", "feasibility", "votes", "funded", "progress"]


@admin.register(BudgetRound)
class BudgetRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "amount", "vote_opens", "vote_closes", "published_at"]
    list_filter = ["municipality"]
    inlines = [BudgetProjectInline]


class PollQuestionInline(admin.TabularInline):
    model = PollQuestion
    extra = 0


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "slug", "opens_at", "closes_at"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [PollQuestionInline]
