from django.urls import path

from . import views

urlpatterns = [
    path("", views.log_episode, name="quick_log"),
    path("episodes/new/", views.log_episode, {"past": True}, name="log_past"),
    path("episodes/<uuid:episode_id>/edit/", views.edit_episode, name="edit_episode"),
    path("episodes/<uuid:episode_id>/delete/", views.delete_episode, name="delete_episode"),
    path("history/", views.history, name="history"),
    path("emergency/", views.emergency, name="emergency"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/settings/", views.alert_settings, name="alert_settings"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.acknowledge_alert, name="acknowledge_alert"),
    path("medicines/", views.medication_list, name="medications"),
    path("medicines/<uuid:medication_id>/edit/", views.edit_medication, name="edit_medication"),
    path(
        "medicines/<uuid:medication_id>/delete/", views.delete_medication, name="delete_medication"
    ),
]
