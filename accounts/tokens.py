"""API keys the person controls (django-rest-knox underneath): made by the token endpoint,
listed and revoked on the profile and through the API, all ended by a new password or by
"log out everywhere"."""

from datetime import datetime, timedelta
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.settings import knox_settings

from .models import ApiToken, Profile, UserSession

# last_used is a date for the person, not an audit trail: one write an hour at most.
LAST_USED_EVERY = timedelta(hours=1)


def live_for(user, *, now: datetime | None = None) -> QuerySet[ApiToken]:
    """The person's keys that still open the API, newest first."""
    now = now or timezone.now()
    return ApiToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=now), user=user)


def issue(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new key (returned once, never stored); the person's expired keys are cleared here so
    the list never fills up with dead rows."""
    ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    return ApiToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL, name=name)


def note_use(token: ApiToken, *, now: datetime) -> None:
    if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)


def find(digest: str) -> ApiToken | None:
    """The key with this digest, with its user and the user's profile (every API answer
    needs the time zone): what `select_related("user__profile")` reads, in one statement
    whose SQL is built once a process. Compiling that query cost three times running it,
    on every API call (bench/RESULTS.md); the row is still read afresh each time, so a
    revoked key or a changed profile counts from the next request."""
    sql, parts = _lookup()
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    found, start = [], 0
    for model, names, converters in parts:
        values = list(row[start : start + len(names)])
        start += len(names)
        for at, convert, col in converters:
            values[at] = convert(values[at], col, connection)
        # A user made outside sign-up may have no profile yet (a row of nulls): profile_for
        # makes it.
        missing = values[names.index(model._meta.pk.attname)] is None
        found.append(None if missing else model.from_db(connection.alias, names, values))
    key, user, profile = found
    to_user = ApiToken._meta.get_field("user")
    to_profile = Profile._meta.get_field("user")
    to_user.set_cached_value(key, user)
    to_profile.remote_field.set_cached_value(user, profile)  # user.profile, even if None
    if profile is not None:
        to_profile.set_cached_value(profile, user)
    return key


@cache
def _lookup() -> tuple[str, list]:
    """find's SQL, and for each model its columns' names and the converters the database
    needs for them (SQLite's text times, for one), as Django's compiler would apply them."""
    user_model = get_user_model()
    joined = [(ApiToken, "k"), (user_model, "u"), (Profile, "p")]
    quote = connection.ops.quote_name
    columns, parts = [], []
    for model, alias in joined:
        fields = model._meta.concrete_fields
        columns += [f"{alias}.{quote(field.column)}" for field in fields]
        cols = [field.get_col(alias) for field in fields]
        converters = [
            (at, convert, col)
            for at, col in enumerate(cols)
            for convert in connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        ]
        parts.append((model, [field.attname for field in fields], converters))
    table = lambda model: quote(model._meta.db_table)  # noqa: E731
    column = lambda model, name: quote(model._meta.get_field(name).column)  # noqa: E731
    user_pk = quote(user_model._meta.pk.column)
    # Names from the models' own metadata, quoted; the digest is the only parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {table(ApiToken)} k "  # noqa: S608  # nosec B608
        f"JOIN {table(user_model)} u ON u.{user_pk} = k.{column(ApiToken, 'user')} "
        f"LEFT JOIN {table(Profile)} p ON p.{column(Profile, 'user')} = u.{user_pk} "
        f"WHERE k.{column(ApiToken, 'digest')} = %s"
    )
    return sql, parts


def revoke_all(*, user) -> int:
    """Ends every API key of the person, e.g. after a password change."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def log_out_everywhere(*, user) -> None:
    """Ends every API key and every browser session of the person, this one included."""
    revoke_all(user=user)
    UserSession.objects.filter(user=user).delete()
