"""Saving what the user logs: the one code path that pages and the API share for every write.

Each write runs the alert rules afterwards, in the same request, so the next page or API
answer already shows what changed.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import lock_person

from . import alerts
from .models import Episode, Medication

ID_TAKEN = "This id cannot be used. Send the episode without an id or with a new one."


def _fluid_loss_flag(fields: dict) -> dict:
    """Which fluid loss implies that there was one: older clients only send the yes/no."""
    return {**fields, "recent_fluid_loss": True} if fields.get("fluid_loss") else fields


def record_episode(*, user, fields: dict) -> tuple[Episode, bool]:
    """Saves a new episode exactly once.

    A resend with an id the user already has returns the stored episode unchanged
    (created=False); an id that belongs to someone else is refused without saying whose.
    The insert is tried first: a new episode costs one statement, a resend one more.
    """
    fields = _fluid_loss_flag(fields)
    try:
        with transaction.atomic():
            episode = Episode.objects.create(user=user, **fields)
    except IntegrityError:
        episode_id = fields.get("id")
        stored = user.episodes.filter(id=episode_id).first() if episode_id else None
        if stored is None:
            raise ValidationError({"id": [ID_TAKEN]}) from None
        return stored, False
    alerts.evaluate_safely(user=user)
    return episode, True


def update_episode(*, episode: Episode, fields: dict) -> Episode:
    """Changes what the person logged; never the id or the owner, whatever the caller sent."""
    fields = _fluid_loss_flag(fields)
    changed = [name for name in Episode.LOGGED_FIELDS if name in fields]
    for name in changed:
        setattr(episode, name, fields[name])
    episode.save(update_fields=[*changed, "updated_at"])
    alerts.evaluate_safely(user=episode.user)
    return episode


def delete_episode(*, episode: Episode) -> None:
    with transaction.atomic():
        lock_person(episode.user)  # waits for an alert run that may list this episode
        episode.delete()
    alerts.evaluate_safely(user=episode.user)


def save_medication(*, medication: Medication) -> Medication:
    medication.save()
    alerts.evaluate_safely(user=medication.user)
    return medication


def delete_medication(*, medication: Medication) -> None:
    with transaction.atomic():
        lock_person(medication.user)
        medication.delete()
    alerts.evaluate_safely(user=medication.user)
