from django.urls import path

from . import views

urlpatterns = [
    path("", views.log_episode, name="quick_log"),
    path("episodes/new/", views.log_episode, {"past": True}, name="log_past"),
    path("episodes/<uuid:episode_id>/edit/", views.edit_episode, name="edit_episode"),
    path("episodes/<uuid:episode_id>/delete/", views.delete_episode, name="delete_episode"),
    path("history/", views.history, name="history"),
    path("emergency/", views.emergency, name="emergency"),
]
