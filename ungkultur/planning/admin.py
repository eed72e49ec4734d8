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
    ProjectPeriod,
    WheelActivity,
    WheelActivityDate,
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


@admin.register(ProjectPeriod)
class ProjectPeriodAdmin(admin.ModelAdmin):
    """Periods are started in the product (with their milestone plan); shown here only."""

    list_display = ["title", "start", "end", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "municipality", "period"]
    list_filter = ["kind", "period"]
    list_select_related = ["municipality", "period"]
    raw_id_fields = ["rolled_from"]
    inlines = [PlanItemInline]


class WheelActivityDateInline(admin.TabularInline):
    model = WheelActivityDate
    extra = 0


@admin.register(WheelActivity)
class WheelActivityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "service",
        "municipality",
        "rule",
        "month",
        "day",
        "days",
        "age_min",
        "age_max",
    ]
    list_filter = ["service", "rule", "municipality"]
    list_select_related = ["municipality"]
    raw_id_fields = ["unit"]
    inlines = [WheelActivityDateInline]


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
