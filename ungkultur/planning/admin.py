from django.contrib import admin

from ungkultur.planning.models import (
    Collaboration,
    CollaborationModel,
    CompetenceOrder,
    Goal,
    GoalAdoption,
    Measure,
    OrderEvaluation,
    Plan,
    PlanItem,
    WheelActivity,
)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "parent", "municipality", "position"]
    list_filter = ["level", "municipality"]
    list_select_related = ["parent", "municipality"]
    search_fields = ["title"]


@admin.register(GoalAdoption)
class GoalAdoptionAdmin(admin.ModelAdmin):
    list_display = ["municipality", "goal", "adopted_at"]
    list_select_related = ["municipality", "goal"]
    raw_id_fields = ["adopted_by"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "goal", "municipality", "status", "owner", "start", "end"]
    list_filter = ["status", "municipality"]
    list_select_related = ["goal", "municipality", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "units", "events", "offers", "proposals"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    raw_id_fields = ["measure"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "municipality"]
    list_filter = ["kind"]
    inlines = [PlanItemInline]


@admin.register(WheelActivity)
class WheelActivityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "service",
        "municipality",
        "month",
        "day",
        "days",
        "age_min",
        "age_max",
    ]
    list_filter = ["service", "municipality"]
    list_select_related = ["municipality"]
    raw_id_fields = ["unit"]


class OrderEvaluationInline(admin.TabularInline):
    model = OrderEvaluation
    extra = 0
    raw_id_fields = ["user"]


@admin.register(CompetenceOrder)
class CompetenceOrderAdmin(admin.ModelAdmin):
    list_display = ["topic", "kind", "municipality", "organisation", "status", "ordered_at"]
    list_filter = ["status", "kind", "organisation"]
    list_select_related = ["municipality", "organisation"]
    search_fields = ["topic"]
    raw_id_fields = ["ordered_by", "answered_by", "event"]
    inlines = [OrderEvaluationInline]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "term"]
    list_filter = ["term", "municipality"]
    list_select_related = ["municipality"]
    raw_id_fields = ["units", "offer", "event", "measure", "created_by"]


@admin.register(CollaborationModel)
class CollaborationModelAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "created_at"]
    list_select_related = ["municipality"]
    raw_id_fields = ["created_by"]
