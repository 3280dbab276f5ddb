from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def bare_json(request):
    """The floor: Django's whole middleware stack and a JSON answer, no database."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare_json), *app_urlpatterns]
