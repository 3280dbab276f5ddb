from django.urls import path

from . import report_views, views

urlpatterns = [
    path("", views.log_episode, name="quick_log"),
    path("episodes/new/", views.log_episode, {"past": True}, name="log_past"),
    path("episodes/<uuid:episode_id>/edit/", views.edit_episode, name="edit_episode"),
    path("episodes/<uuid:episode_id>/delete/", views.delete_episode, name="delete_episode"),
    path("history/", views.history, name="history"),
    path("emergency/", views.emergency, name="emergency"),
    path("offline/", views.offline, name="offline"),
    path("offline/quick-log/", views.offline_quick_log, name="offline_quick_log"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/settings/", views.alert_settings, name="alert_settings"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.acknowledge_alert, name="acknowledge_alert"),
    path("medicines/", views.medication_list, name="medications"),
    path("medicines/<uuid:medication_id>/edit/", views.edit_medication, name="edit_medication"),
    path(
        "medicines/<uuid:medication_id>/delete/", views.delete_medication, name="delete_medication"
    ),
    path("trends/", report_views.trends, name="trends"),
    path("trends/charts/<str:name>.svg", report_views.chart_image, name="chart_image"),
    path("reports/physician.pdf", report_views.physician_pdf, name="physician_pdf"),
    path("reports/episodes.csv", report_views.episodes_csv, name="episodes_csv"),
    path("reports/fhir.json", report_views.fhir_json, name="fhir_json"),
    path("reports/share/", report_views.share_links, name="share_links"),
    path(
        "reports/share/<uuid:link_id>/revoke/",
        report_views.revoke_share_link,
        name="revoke_share_link",
    ),
    path("share/<str:token>/", report_views.shared_report, name="shared_report"),
    path("share/<str:token>/physician.pdf", report_views.shared_pdf, name="shared_pdf"),
    path("share/<str:token>/charts/<str:name>.svg", report_views.shared_chart, name="shared_chart"),
]
