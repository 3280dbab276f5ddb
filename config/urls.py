from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from accounts.api import ApiTokenViewSet, LogOutEverywhereView, RegistrationView, TokenView
from tracker.api import (
    AlertViewSet,
    CsrfTokenView,
    EpisodeViewSet,
    MedicationViewSet,
)
from tracker.report_api import (
    EpisodesCsvView,
    FhirJsonView,
    PhysicianPdfView,
    ReportSummaryView,
)

router = SimpleRouter()
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("medications", MedicationViewSet, basename="medication")
router.register("alerts", AlertViewSet, basename="alert")
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")

api_v1 = [
    *router.urls,  # first: an episode's create is the call made most
    path("accounts/", RegistrationView.as_view(), name="api_register"),
    path("auth/token/", TokenView.as_view(), name="api_token"),
    path(
        "auth/log-out-everywhere/",
        LogOutEverywhereView.as_view(),
        name="api_log_out_everywhere",
    ),
    path("csrf/", CsrfTokenView.as_view(), name="api_csrf"),
    path("reports/summary/", ReportSummaryView.as_view(), name="api_report_summary"),
    path("reports/physician.pdf", PhysicianPdfView.as_view(), name="api_physician_pdf"),
    path("reports/episodes.csv", EpisodesCsvView.as_view(), name="api_episodes_csv"),
    path("reports/fhir.json", FhirJsonView.as_view(), name="api_fhir_json"),
]

handler404 = "tracker.problems.not_found"

urlpatterns = [
    path("api/v1/", include(api_v1)),  # first: the API is called far more than pages load
    path("", include("tracker.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    path("admin/", admin.site.urls),
]
