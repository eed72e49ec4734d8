from django.contrib import admin

from ungkultur.core.admin import AuditedAdmin
from ungkultur.municipalities.models import (
    County,
    KKPeriod,
    Municipality,
    MunicipalityCode,
    PopulationCell,
)


@admin.register(County)
class CountyAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class KKPeriodInline(admin.TabularInline):
    """The periods in KK, as switching on and off in the product recorded them (read-only)."""

    model = KKPeriod
    extra = 0
    can_delete = False
    fields = ["start", "end", "start_reason", "end_reason", "started_by", "ended_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MunicipalityCodeInline(admin.TabularInline):
    model = MunicipalityCode
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["code", "name", "county", "kk_active"]
    list_filter = ["kk_active", "county"]
    list_select_related = ["county"]
    search_fields = ["code", "name", "codes__code"]
    # KK is switched on and off through municipality_set_kk, which writes the audit row.
    readonly_fields = ["kk_active", "kk_active_since"]
    inlines = [MunicipalityCodeInline, KKPeriodInline]


@admin.register(PopulationCell)
class PopulationCellAdmin(AuditedAdmin):
    list_display = ["code", "year", "sex", "age", "persons"]
    list_filter = ["year", "sex"]
    search_fields = ["=code"]
    ordering = ["code", "year", "sex", "age"]
    # A full extract is ~750k rows: counting them all on every page is not worth it.
    show_full_result_count = False
