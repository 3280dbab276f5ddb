"""Import what you exported: "download all my data" (JSON) or the episodes CSV, back into an
account, the same one or a new one on another server.

Idempotent by id: an episode or medicine already there is left as it is. The person sees
what would happen before anything is saved, and a file with any bad row saves nothing: each
row is checked by the API's own serializers and saved through the logbook, as if the phone
had sent it.
"""

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import serializers

from tracker import alerts, logbook
from tracker.models import DeletedEpisode, Episode, Medication
from tracker.reports.exports import FORMULA_STARTS
from tracker.serializers import EpisodeSerializer, MedicationSerializer

from .models import PendingImport

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000  # a cramp a night for 27 years; each row is saved as the API saves one
KEPT_FOR = timedelta(hours=1)  # a preview nobody confirmed
LIST_COLUMNS = {"symptoms", "relief", "fluid_loss"}
EMPTY_IS_NONE = {"fluid_ml", "relief_helped"}
TEXT_COLUMNS = {"activity_detail", "notes"}  # the export guarded these against formulas
NEEDED_COLUMNS = {"id", "started_at", "duration_seconds", "site", "side"}
IN_BATCHES_OF = 500
ID_TAKEN = (
    "This id is used on this server by something that is not yours. "
    "Give the row a new id, or leave it out."
)  # ids per IN (...): SQLite allows only so many parameters


class UnreadableFile(Exception):
    """Not a file this app exported (or too big, or not text): nothing in it was read."""


@dataclass(frozen=True)
class Problem:
    where: str  # "Row 4" (CSV, as a spreadsheet numbers it) or "Episode 3" (JSON)
    field: str
    message: str


@dataclass
class Plan:
    """What importing the file would do: the rows to add, the counts, and what is wrong."""

    episodes: list[dict] = field(default_factory=list)
    medications: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def what(self) -> str:
        """What saving would add, in words: "3 cramps and 1 medicine"."""
        parts = [
            f"{n} {word}{'' if n == 1 else 's'}"
            for n, word in ((len(self.episodes), "cramp"), (len(self.medications), "medicine"))
            if n
        ]
        return " and ".join(parts) or "nothing"

    @property
    def can_save(self) -> bool:
        """Only a file with no bad row, and something new in it."""
        return not self.problems and bool(self.episodes or self.medications)


def check(*, user, content: str) -> Plan:
    """What importing this file would do; UnreadableFile if it is not one of ours."""
    episodes, medications = read(content)
    return plan(user=user, episodes=episodes, medications=medications)


def keep(*, user, content: str) -> PendingImport:
    """Keeps the uploaded text until the person confirms; forgets older unconfirmed ones."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    user.pending_imports.all().delete()
    return PendingImport.objects.create(user=user, content=content)


def read(content: str) -> tuple[list, list]:
    """(episodes, medicines) as (where, fields) pairs, in the API's names and shapes."""
    text = content.lstrip("\ufeff").strip()
    rows = _from_json(text) if text.startswith("{") else (_from_csv(text), [])
    if len(rows[0]) + len(rows[1]) > MAX_ROWS:
        raise UnreadableFile(f"At most {MAX_ROWS:,} rows in one file.")
    return rows


def _from_json(text: str) -> tuple[list, list]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile("This JSON file cannot be read: it is cut short or broken.") from None
    keys = ("episodes", "medications")
    ours = isinstance(data, dict) and any(key in data for key in keys)
    lists = [data.get(key, []) for key in keys] if ours else []
    if not ours or not all(isinstance(rows, list) for rows in lists):
        raise UnreadableFile("This JSON file is not a download of this app's data.")
    episodes, medications = lists
    return (
        [(f"Episode {n}", row) for n, row in enumerate(episodes, 1)],
        [(f"Medicine {n}", row) for n, row in enumerate(medications, 1)],
    )


def _from_csv(text: str) -> list:
    try:
        reader = csv.DictReader(io.StringIO(text))
        missing = NEEDED_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise UnreadableFile(
                "This is not the cramps spreadsheet (CSV) of this app: it has no "
                f"{', '.join(sorted(missing))} column."
            )
        # Row 1 is the header, as a spreadsheet shows it; a note may span lines in a cell.
        # One row past the limit is enough to refuse the file, however many it has.
        records = islice(enumerate(reader, 2), MAX_ROWS + 1)
        return [(f"Row {n}", _csv_fields(record)) for n, record in records]
    except csv.Error as error:
        raise UnreadableFile(f"This CSV file cannot be read: {error}.") from None


def _csv_fields(record: dict) -> dict:
    """A CSV row in the API's shapes: lists, booleans and empty values as the JSON has them."""
    fields = {}
    for name, value in record.items():
        if name is None or name in {"ended_at", "created_at", "updated_at"}:
            continue  # cells past the header, and what the server sets itself
        value = value or ""
        if name in LIST_COLUMNS:
            fields[name] = [item for item in value.split(";") if item]
        elif name in EMPTY_IS_NONE and value == "":
            fields[name] = None
        elif name == "recent_fluid_loss":
            fields[name] = {"true": True, "false": False}.get(value, value)
        elif (
            name in TEXT_COLUMNS and value.startswith("'") and value[1:].startswith(FORMULA_STARTS)
        ):
            fields[name] = value[1:]  # the export's guard against spreadsheet formulas
        elif name != "time_zone" or value:
            fields[name] = value
    return fields


def plan(*, user, episodes: list, medications: list) -> Plan:
    """Checks every row as the API would, and sorts them: new, already there, refused."""
    result = Plan()
    # One serializer for all rows of a kind: building its fields costs more than a row's check.
    for kind, rows, serializer, what, model in (
        ("episodes", episodes, EpisodeSerializer(), "cramp", Episode),
        ("medications", medications, MedicationSerializer(), "medicine", Medication),
    ):
        valid, problems = _valid(rows, serializer, what)
        ids = [row_id for _, row_id, _ in valid]
        owners = _owners(model.objects.all(), "id", ids)
        # Only episodes leave tombstones (logbook.delete_episode).
        deleted = (
            _owners(DeletedEpisode.objects.all(), "episode_id", ids) if model is Episode else {}
        )
        new, counts, taken = _sort(user, valid, owners, deleted)
        setattr(result, kind, new)
        result.problems += problems + taken
        counts["refused"] = len({p.where for p in problems + taken})
        result.counts[kind] = counts
    return result


def _valid(rows: list, serializer, what: str) -> tuple[list, list[Problem]]:
    """(where, id, fields) of each row the API would take, and what is wrong with the rest."""
    valid, problems, first_seen = [], [], {}
    for where, data in rows:
        row_id, fields, errors = _fields(data, serializer, what)
        if row_id in first_seen and not errors:
            errors = {"id": [f"The same id is also in {first_seen[row_id]}."]}
        if errors:
            problems += [Problem(where, name, text) for name, text in _messages(errors)]
            continue
        first_seen[row_id] = where
        valid.append((where, row_id, fields))
    return valid, problems


def _fields(data, serializer, what: str) -> tuple:
    """(id, fields, errors) of one row, by the API's rules: offsets, ranges, choices."""
    if not isinstance(data, dict):
        return None, None, {"-": [f"Expected the fields of one {what}."]}
    row_id, errors = _row_id(data, what)
    try:
        fields = serializer.run_validation(data)
    except serializers.ValidationError as error:
        return row_id, None, {**errors, **error.detail}
    return row_id, {**fields, "id": row_id}, errors


def _row_id(data: dict, what: str) -> tuple[uuid.UUID | None, dict]:
    try:
        return uuid.UUID(str(data["id"])), {}
    except (KeyError, ValueError):
        needed = (
            f"Each {what} needs its id from the export (so that importing twice changes nothing)."
        )
        return None, {"id": [needed]}


def _messages(errors: dict, prefix: str = ""):
    """("symptoms", "Unknown choice") pairs from the serializers' nested errors."""
    for name, value in errors.items():
        label = f"{prefix}{name}" if name != "non_field_errors" else prefix.rstrip(".") or "-"
        if isinstance(value, dict):
            yield from _messages(value, f"{label}.")
        else:
            for text in value if isinstance(value, list) else [value]:
                yield label, str(text)


def _owners(rows, key: str, ids: list) -> dict:
    """Whose each id is on this server, if anyone's: {id: user id}."""
    owners = {}
    for start in range(0, len(ids), IN_BATCHES_OF):
        batch = ids[start : start + IN_BATCHES_OF]
        owners.update(rows.filter(**{f"{key}__in": batch}).values_list(key, "user_id"))
    return owners


def _sort(user, valid: list, owners: dict, deleted: dict) -> tuple[list, dict, list]:
    new, taken, counts = [], [], {"new": 0, "already": 0, "deleted": 0}
    for where, row_id, fields in valid:
        owner, deleted_by = owners.get(row_id), deleted.get(row_id)
        if owner == user.pk:
            counts["already"] += 1
        elif owner is not None or deleted_by not in (None, user.pk):
            taken.append(Problem(where, "id", ID_TAKEN))
        elif deleted_by == user.pk:
            counts["deleted"] += 1  # deleted here on purpose: an old file must not bring it back
        else:
            new.append(fields)
            counts["new"] += 1
    return new, counts, taken


def save(*, user, plan: Plan) -> bool:
    """Adds the new rows, all or none, then runs the alert rules once.

    False if something changed since the preview (a phone synced the same cramp, say): the
    transaction is rolled back and the person asked to check the file again.
    """
    try:
        with transaction.atomic():
            for fields in plan.episodes:
                logbook.record_episode(user=user, fields=fields, run_alerts=False)
            for fields in plan.medications:
                medication = Medication(user=user, **fields)
                logbook.save_medication(medication=medication, run_alerts=False)
    except (ValidationError, IntegrityError, logbook.EpisodeDeleted):
        return False
    alerts.evaluate_safely(user=user)
    return True
