from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from . import (
            mail,  # noqa: F401 - registers the e-mail check of `check --deploy`
            schema,  # noqa: F401 (registers the token scheme with drf-spectacular)
        )
