from django.contrib import admin

from .models import Alert, Episode, Medication


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["started_at", "user", "site", "side", "duration_seconds", "intensity"]
    list_filter = ["site", "side", "activity"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    date_hierarchy = "started_at"


@admin.register(Medication)
class MedicationAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "kind", "started_on", "stopped_on"]
    raw_id_fields = ["user"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "rule", "level", "acknowledged_at", "closed_at"]
    list_filter = ["rule", "level"]
    raw_id_fields = ["user", "episodes"]
