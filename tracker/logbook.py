"""Saving what the user logs: the one code path that pages and the API share for every write.

Each write counts a change on the person's profile, in its own transaction, so the next
read of their alerts (`alerts.of`) runs the rules first: the next page or API answer
already shows what changed. A new cramp costs no rule run of its own unless a
single-cramp rule flags it; edits, deletes and medicines run the rules at once.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import lock_person, profile_for

from . import alerts, zones
from .models import DeletedEpisode, Episode, Medication

ID_TAKEN = "This id cannot be used. Send the episode without an id or with a new one."


def _fluid_loss_flag(fields: dict) -> dict:
    """Which fluid loss implies that there was one: older clients only send the yes/no."""
    return {**fields, "recent_fluid_loss": True} if fields.get("fluid_loss") else fields


def _with_zone(fields: dict, *, user, usual_zone: str | None = None) -> dict:
    """Where the cramp happened, unless the client said: kept so its time stays true later."""
    if fields.get("time_zone"):
        return fields
    usual = usual_zone or profile_for(user).time_zone
    return {**fields, "time_zone": zones.zone_name_for(fields["started_at"], usual)}


class EpisodeDeleted(Exception):
    """The person deleted this episode (maybe on another device): a resend must not bring
    it back, and the sender should stop trying."""

    message = "This cramp was deleted, so it was not saved again."


def record_episode(*, user, fields: dict) -> tuple[Episode, bool]:
    """Saves a new episode exactly once.

    A resend with an id the user already has returns the stored episode unchanged
    (created=False); an id that belongs to someone else is refused without saying whose.
    An id the user deleted raises EpisodeDeleted; one someone else deleted is just taken.
    The insert is tried first: a new episode costs one statement, a resend one more. The
    tombstone is read after the insert, in its transaction, so a delete that commits while
    the resend waits on its row lock is still seen. An import uses record_imported.
    """
    episode, created = _save_once(user=user, fields=fields, count=True)
    if created:
        alerts.note_new_episodes(user=user, episodes=[episode])
    return episode, created


def _save_once(*, user, fields: dict, count: bool) -> tuple[Episode, bool]:
    fields = _with_zone(_fluid_loss_flag(fields), user=user)
    try:
        with transaction.atomic():
            episode = Episode.objects.create(user=user, **fields)
            _after_insert(user=user, chosen_id=fields.get("id"), count=count)
    except IntegrityError:
        episode_id = fields.get("id")
        stored = user.episodes.filter(id=episode_id).first() if episode_id else None
        if stored is None:
            raise ValidationError({"id": [ID_TAKEN]}) from None
        return stored, False
    return episode, True


def record_batch(*, user, episodes: list[dict]) -> list[tuple[str, Episode | None, dict]]:
    """Saves many checked episodes (a phone syncing what waited offline), each exactly once
    as record_episode would, in one transaction: one commit, one change counted and one
    look by the rules for the lot. Returns, in order, (outcome, episode, errors): created,
    already_stored, deleted (the person deleted that id) or refused (the id is taken)."""
    outcomes = []
    with transaction.atomic():
        for fields in episodes:
            try:
                episode, created = _save_once(user=user, fields=fields, count=False)
            except EpisodeDeleted:
                outcomes.append(("deleted", None, {}))
            except ValidationError as error:
                outcomes.append(("refused", None, error.message_dict))
            else:
                outcomes.append(("created" if created else "already_stored", episode, {}))
        new = [episode for outcome, episode, _ in outcomes if outcome == "created"]
        if new:
            count_change(user)
    if new:
        alerts.note_new_episodes(user=user, episodes=new)
    return outcomes


# What every create adds to its insert, in plain SQL: through the ORM each statement cost
# ten times its SQL in compiling (bench/RESULTS.md), on the path every cramp takes.
COUNT_CHANGE = "UPDATE accounts_profile SET changes = changes + 1 WHERE user_id = %s"
DELETED_BY = "SELECT user_id FROM tracker_deletedepisode WHERE episode_id = %s"
# Both in one statement, one round trip less: the change counted, and who deleted an episode
# with this id (null if no one), read after the insert as DELETED_BY alone would be.
COUNT_CHANGE_READING_DELETER = f"{COUNT_CHANGE} RETURNING ({DELETED_BY})"


def count_change(user) -> None:
    """Tells the alerts something changed; in the caller's transaction, so a save that rolls
    back counts nothing and one that commits is never missed."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT_CHANGE, [user.pk])


def record_imported(*, user, rows: list[dict], usual_zone: str) -> None:
    """Saves the new episodes of an import, checked already, a few statements for them all.

    The same rules as record_episode, for rows that all have new ids: an id taken meanwhile
    raises IntegrityError, one deleted meanwhile EpisodeDeleted (or ValidationError if
    someone else deleted it); the caller's transaction then rolls back the lot.
    """
    episodes = [
        Episode(user=user, **_with_zone(_fluid_loss_flag(fields), user=user, usual_zone=usual_zone))
        for fields in rows
    ]
    Episode.objects.bulk_create(episodes)
    count_change(user)
    ids = [episode.id for episode in episodes]
    # Read after the insert, in its transaction, as record_episode does.
    deleted_by = set(
        DeletedEpisode.objects.filter(episode_id__in=ids).values_list("user", flat=True)
    )
    if user.pk in deleted_by:
        raise EpisodeDeleted
    if deleted_by:
        raise ValidationError({"id": [ID_TAKEN]})


def _after_insert(*, user, chosen_id, count: bool) -> None:
    """In the insert's transaction: the change counted (unless the caller counts once for
    many) and, for an id the client chose, a refusal if that id was deleted."""
    if not chosen_id:
        if count:
            count_change(user)
        return
    as_stored = DeletedEpisode._meta.pk.get_db_prep_value(chosen_id, connection)
    row = None
    with connection.cursor() as cursor:
        if count:
            cursor.execute(COUNT_CHANGE_READING_DELETER, [user.pk, as_stored])
            row = cursor.fetchone()  # none without a profile row (a user made in the shell)
        if row is None:
            cursor.execute(DELETED_BY, [as_stored])
            row = cursor.fetchone() or (None,)
    deleted_by = row[0]
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
    with transaction.atomic():
        episode.save(update_fields=[*changed, "updated_at"])
        count_change(episode.user)
    alerts.evaluate_safely(user=episode.user)
    return episode


def delete_episode(*, episode: Episode) -> None:
    """Deletes the episode and remembers its id, so a resend cannot bring it back."""
    with transaction.atomic():
        lock_person(episode.user)  # waits for an alert run that may list this episode
        # get_or_create: two deletes of one episode at once (two phones) both succeed.
        DeletedEpisode.objects.get_or_create(episode_id=episode.id, defaults={"user": episode.user})
        episode.delete()
        count_change(episode.user)
    alerts.evaluate_safely(user=episode.user)


def save_medication(*, medication: Medication, run_alerts: bool = True) -> Medication:
    with transaction.atomic():
        medication.save()
        count_change(medication.user)
    if run_alerts:
        alerts.evaluate_safely(user=medication.user)
    return medication


def delete_medication(*, medication: Medication) -> None:
    with transaction.atomic():
        lock_person(medication.user)
        medication.delete()
        count_change(medication.user)
    alerts.evaluate_safely(user=medication.user)
