"""Keys made before django-rest-knox (DRF's authtoken table, stored in plain text) keep working:
each is copied into the hashed table, then the plain table is dropped so no key stays at rest.

DRF's authtoken app is no longer installed, so its table is read with plain SQL, if it exists."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS

LEGACY_TABLE = "authtoken_token"


def carry_over_plain_keys(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    expiry = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
    with connection.cursor() as cursor:
        column, table = connection.ops.quote_name("key"), connection.ops.quote_name(LEGACY_TABLE)
        cursor.execute(f"SELECT {column}, user_id FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
            name="Key from before this update",
        )
        for key, user_id in rows
    )
    schema_editor.execute(f"DROP TABLE {connection.ops.quote_name(LEGACY_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_tokens_and_user_sessions"),
    ]

    operations = [
        migrations.RunPython(carry_over_plain_keys, migrations.RunPython.noop),
    ]
