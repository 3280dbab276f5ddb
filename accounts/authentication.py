from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

from . import tokens

# `Bearer` is what generated clients send; `Token` is what v1 clients have always sent.
PREFIXES = (b"bearer", b"token")


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's key check in one query, the profile fetched with the user: every API answer
    needs the user's time zone. knox's own check also reads all the user's other keys on
    every request to clear expired ones; `tokens.issue` does that."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in PREFIXES:
            return None  # no key, or one for another scheme: the session may still know them
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Send `Authorization: Bearer <token>`.")
        return self.authenticate_credentials(words[1])

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'

    def authenticate_credentials(self, token: bytes):
        try:
            digest = hash_token(token.decode())
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        found = tokens.find(digest)
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if found.expiry is not None and found.expiry <= now:
            found.delete()
            raise exceptions.AuthenticationFailed("Token has expired: ask for a new one.")
        user, found = self.validate_user(found)
        tokens.note_use(found, now=now)
        return user, found
