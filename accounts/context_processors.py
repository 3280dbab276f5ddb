from django.utils.crypto import salted_hmac

from .models import Theme, profile_for


def outbox_owner(user) -> str:
    """Whose cramps wait on this phone: the outbox sends only the signed-in person's, so a
    cramp logged offline never reaches the next person who logs in there. Not the user id:
    nothing about the account can be read from it."""
    return salted_hmac("cramp-outbox-owner", str(user.pk)).hexdigest()[:24]


def theme(request) -> dict:
    """The person's colours for <html data-theme>: "system" follows the phone's dark mode."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"theme": profile_for(user).theme, "outbox_owner": outbox_owner(user)}
    return {"theme": Theme.SYSTEM}
