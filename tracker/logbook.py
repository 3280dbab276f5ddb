"""Saving what the user logs: the one code path that pages and the API share for every write.

Each write runs the alert rules afterwards, in the same request, so the next page or API
answer already shows what changed.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import lock_person, profile_for

from . import alerts, zones
from .models import DeletedEpisode, Episode, Medication

ID_TAKEN = "This id cannot be used. Send the episode without an id or with a new one."


def _fluid_loss_flag(fields: dict) -> dict:
    """Which fluid loss implies that there was one: older clients only send the yes/no."""
    return {**fields, "recent_fluid_loss": True} if fields.get("fluid_loss") else fields


def _with_zone(fields: dict, *, user) -> dict:
    """Where the cramp happened, unless the client said: kept so its time stays true later."""
    if fields.get("time_zone"):
        return fields
    usual = profile_for(user).time_zone
    return {**fields, "time_zone": zones.zone_name_for(fields["started_at"], usual)}


class EpisodeDeleted(Exception):
    """The person deleted this episode (maybe on another device): a resend must not bring
    it back, and the sender should stop trying."""

    message = "This cramp was deleted, so it was not saved again."


def record_episode(*, user, fields: dict, run_alerts: bool = True) -> tuple[Episode, bool]:
    """Saves a new episode exactly once.

    A resend with an id the user already has returns the stored episode unchanged
    (created=False); an id that belongs to someone else is refused without saying whose.
    An id the user deleted raises EpisodeDeleted; one someone else deleted is just taken.
    The insert is tried first: a new episode costs one statement, a resend one more. The
    tombstone is read after the insert, in its transaction, so a delete that commits while
    the resend waits on its row lock is still seen. An import of many saves
    run_alerts=False and runs them once at the end.
    """
    fields = _with_zone(_fluid_loss_flag(fields), user=user)
    try:
        with transaction.atomic():
            episode = Episode.objects.create(user=user, **fields)
            if fields.get("id"):
                _refuse_deleted_id(user=user, episode_id=episode.id)
    except IntegrityError:
        episode_id = fields.get("id")
        stored = user.episodes.filter(id=episode_id).first() if episode_id else None
        if stored is None:
            raise ValidationError({"id": [ID_TAKEN]}) from None
        return stored, False
    if run_alerts:
        alerts.evaluate_safely(user=user)
    return episode, True


def _refuse_deleted_id(*, user, episode_id) -> None:
    deleted_by = (
        DeletedEpisode.objects.filter(episode_id=episode_id).values_list("user", flat=True).first()
    )
    if deleted_by == user.pk:
        raise EpisodeDeleted
    if deleted_by is not None:
        raise ValidationError({"id": [ID_TAKEN]})


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
    """Deletes the episode and remembers its id, so a resend cannot bring it back."""
    with transaction.atomic():
        lock_person(episode.user)  # waits for an alert run that may list this episode
        # get_or_create: two deletes of one episode at once (two phones) both succeed.
        DeletedEpisode.objects.get_or_create(episode_id=episode.id, defaults={"user": episode.user})
        episode.delete()
    alerts.evaluate_safely(user=episode.user)


def save_medication(*, medication: Medication, run_alerts: bool = True) -> Medication:
    medication.save()
    if run_alerts:
        alerts.evaluate_safely(user=medication.user)
    return medication


def delete_medication(*, medication: Medication) -> None:
    with transaction.atomic():
        lock_person(medication.user)
        medication.delete()
    alerts.evaluate_safely(user=medication.user)
