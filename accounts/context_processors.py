from .models import Theme, profile_for


def theme(request) -> dict:
    """The person's colours for <html data-theme>: "system" follows the phone's dark mode."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"theme": profile_for(user).theme}
    return {"theme": Theme.SYSTEM}
