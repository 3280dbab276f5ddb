"""The episodes of a period as CSV and as a FHIR R4 Bundle: self-reported findings.

Both are generators of text, sent as they are made (StreamingHttpResponse) from a queryset
read in chunks, so ten years of cramps never sit in memory at once.
"""

import csv
import io
import json
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import datetime

from ..models import Episode, Site

# The CSV's columns, in this order; new columns are only ever added at the end.
ADDED_COLUMNS = ["fluid_loss", "time_zone"]
CSV_COLUMNS = [
    "id",
    "started_at",
    "ended_at",
    *[name for name in Episode.LOGGED_FIELDS[1:] if name not in ADDED_COLUMNS],
    "created_at",
    "updated_at",
    *ADDED_COLUMNS,
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows read from the database, and sent to the client, at a time.
CHUNK_ROWS = 1000


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def episodes_csv(episodes, zone) -> Iterator[str]:
    out = io.StringIO()
    # The byte order mark tells a spreadsheet the file is UTF-8, so accents open as written.
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for n, episode in enumerate(episodes.iterator(chunk_size=CHUNK_ROWS), 1):
        values = {name: getattr(episode, name) for name in CSV_COLUMNS}
        for name in ("created_at", "updated_at"):
            values[name] = values[name].astimezone(zone)
        # When it happened, on the clock where it happened (the zone is the last column).
        values["started_at"], values["ended_at"] = episode.local_started_at, episode.local_ended_at
        writer.writerow([_cell(values[name]) for name in CSV_COLUMNS])
        if n % CHUNK_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


FHIR_JSON = "application/fhir+json; charset=utf-8"
SNOMED = "http://snomed.info/sct"
PAIN_SCORE_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
LOINC = "http://loinc.org"
BODY_SITES = {
    Site.INNER_THIGH: ("26893007", "Inguinal region structure"),
    Site.BACK_OF_THIGH: ("68367000", "Thigh structure"),
    Site.FRONT_OF_THIGH: ("68367000", "Thigh structure"),
    Site.CALF: ("53840002", "Structure of calf of leg"),
    Site.FOOT: ("56459004", "Foot structure"),
}


# An R4 string matches `^[ \r\n\t\S]+$`: of the whitespace, only these four may appear.
# Python's \s and JavaScript's (which schema validators use) disagree on U+FEFF and U+180E.
KEPT_WHITESPACE = " \t\r\n"
OTHER_WHITESPACE = "\ufeff\u180e"


def fhir_string(text: str) -> str | None:
    """The text as an R4 string: other whitespace (no-break space, form feed, line separator)
    becomes a space, control characters go, the ends are trimmed; None if nothing is left."""
    kept = []
    for c in text:
        if c in KEPT_WHITESPACE:
            kept.append(c)
        elif c.isspace() or c in OTHER_WHITESPACE:
            kept.append(" ")
        elif unicodedata.category(c) != "Cc":
            kept.append(c)
    return "".join(kept).strip() or None


def operation_outcome(code: str, errors: dict[str, list[str]]) -> dict:
    """Why an export was refused, for a FHIR client: an OperationOutcome with one issue per
    message. `code` is an R4 issue type (invalid, throttled); `errors` maps a query
    parameter (or "" for the request as a whole) to its messages."""
    issues = []
    for parameter, messages in errors.items():
        for message in messages:
            issue = {"severity": "error", "code": code, "details": {"text": str(message)}}
            if parameter:
                # R4's convention for an HTTP parameter: "http." and its name.
                issue["expression"] = [f"http.{parameter}"]
            issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}


def _observation(episode: Episode, patient_ref: str, zone) -> dict:
    body_site = {"text": f"{episode.get_site_display()}, {episode.get_side_display().lower()}"}
    if episode.site in BODY_SITES:
        code, display = BODY_SITES[episode.site]
        body_site["coding"] = [{"system": SNOMED, "code": code, "display": display}]
    observation = {
        "resourceType": "Observation",
        "id": str(episode.id),
        "status": "final",
        "code": {
            "coding": [{"system": SNOMED, "code": "55300003", "display": "Cramp (finding)"}],
            "text": "Muscle cramp",
        },
        "subject": {"reference": patient_ref},
        "effectivePeriod": {
            "start": episode.local_started_at.isoformat(),
            "end": episode.local_ended_at.isoformat(),
        },
        "issued": episode.created_at.astimezone(zone).isoformat(),
        "performer": [{"reference": patient_ref}],
        "bodySite": body_site,
        "component": [
            {
                "code": {
                    "coding": [
                        {
                            "system": LOINC,
                            "code": "72514-3",
                            "display": PAIN_SCORE_DISPLAY,
                        }
                    ]
                },
                "valueInteger": episode.intensity,
            }
        ],
    }
    if note := fhir_string(episode.notes):
        observation["note"] = [{"text": note}]
    return observation


def _patient(name: str, birth_year: int | None) -> dict:
    """The person, with no identifier: the name and birth year they chose to give, if any."""
    patient = {
        "resourceType": "Patient",
        "id": str(uuid.uuid4()),
        "text": {
            "status": "generated",
            "div": '<div xmlns="http://www.w3.org/1999/xhtml">Cramp tracker user</div>',
        },
    }
    if name := fhir_string(name):
        patient["name"] = [{"text": name}]
    if birth_year:
        patient["birthDate"] = f"{birth_year:04d}"  # R4 takes a year alone
    return patient


def fhir_bundle(
    episodes, zone, now: datetime, *, name: str = "", birth_year: int | None = None
) -> Iterator[str]:
    """A Bundle (collection) of one Patient, with no real identifiers, and one Observation
    per episode: self-reported findings, never a condition or a problem-list entry.

    Written as JSON text one entry at a time: the Bundle's fields, then its entries."""
    resource = _patient(name, birth_year)
    patient_ref = f"urn:uuid:{resource['id']}"
    patient = {"fullUrl": patient_ref, "resource": resource}
    bundle = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": now.astimezone(zone).isoformat(),
    }
    # The fields without the closing brace, then "entry" as an array written piece by piece.
    yield _json(bundle)[:-1] + ',\n"entry": [\n' + _json(patient)
    chunk = []
    for episode in episodes.iterator(chunk_size=CHUNK_ROWS):
        entry = {
            "fullUrl": f"urn:uuid:{episode.id}",
            "resource": _observation(episode, patient_ref, zone),
        }
        chunk.append(",\n" + _json(entry))
        if len(chunk) == CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "\n]}\n"


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)
