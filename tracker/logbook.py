"""Saving episodes: the one code path that pages and the API share for every write."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import Episode

ID_TAKEN = "This id cannot be used. Send the episode without an id or with a new one."


def find_retry(*, user, episode_id) -> Episode | None:
    """The user's own episode with this id, if a create is being sent again."""
    try:
        episode_id = uuid.UUID(str(episode_id))
    except ValueError:
        return None
    return user.episodes.filter(id=episode_id).first()


def record_episode(*, user, fields: dict) -> tuple[Episode, bool]:
    """Saves a new episode exactly once.

    A retry with an id the user already has returns the stored episode unchanged
    (created=False); an id that belongs to someone else is refused without saying whose.
    """
    episode_id = fields.get("id")
    if episode_id is not None:
        existing = find_retry(user=user, episode_id=episode_id)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            if episode_id is not None and Episode.objects.filter(id=episode_id).exists():
                raise ValidationError({"id": [ID_TAKEN]})
            episode = Episode.objects.create(user=user, **fields)
    except IntegrityError:
        # Two sends of the same create raced; the first one won and is the answer.
        existing = find_retry(user=user, episode_id=episode_id) if episode_id else None
        if existing is None:
            raise ValidationError({"id": [ID_TAKEN]}) from None
        return existing, False
    return episode, True


def update_episode(*, episode: Episode, fields: dict) -> Episode:
    for name, value in fields.items():
        setattr(episode, name, value)
    episode.save()
    return episode


def delete_episode(*, episode: Episode) -> None:
    episode.delete()
