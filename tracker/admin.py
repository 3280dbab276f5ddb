from django.contrib import admin

from . import alerts
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

    def get_object(self, request, object_id, from_field=None):
        """One alert as the person would now see it: their rules run first if anything
        changed (the list shows the alerts as last stored, as a list of many people must)."""
        alert = super().get_object(request, object_id, from_field)
        if alert is None:
            return None
        return alerts.of(user=alert.user).filter(pk=alert.pk).first()
