from django.contrib import admin

from .models import Episode


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["started_at", "user", "site", "side", "duration_seconds", "intensity"]
    list_filter = ["site", "side", "activity"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    date_hierarchy = "started_at"
