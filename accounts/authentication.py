from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from rest_framework import exceptions

from . import tokens
from .models import ApiToken


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's `Authorization: Token <key>` check in one query, the profile fetched with the
    user: every API answer needs the user's time zone. knox's own check also reads all the
    user's other keys on every request to clear expired ones; `tokens.issue` does that."""

    def authenticate_credentials(self, token: bytes):
        try:
            digest = hash_token(token.decode())
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        found = ApiToken.objects.select_related("user__profile").filter(digest=digest).first()
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if found.expiry is not None and found.expiry <= now:
            found.delete()
            raise exceptions.AuthenticationFailed("Token has expired: ask for a new one.")
        user, found = self.validate_user(found)
        tokens.note_use(found, now=now)
        return user, found
