import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
pages = get_wsgi_application()

from config.handlers import application_for  # noqa: E402 (needs the settings set up)

application = application_for(pages)
