"""Where a cramp happened: the time zone kept with each episode, so its time stays true.

A cramp logged at 03:15 in Berlin stays 03:15 (Berlin) after the person moves to New York
or changes the profile's zone. An episode's zone is an IANA name (Europe/Berlin) or, when a
client sent only a UTC offset that is not the person's own zone, that offset (UTC+09:00).
"""

import re
from datetime import datetime, timedelta, tzinfo
from datetime import timezone as fixed_offset
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from accounts.models import time_zone_names

OFFSET_NAME = re.compile(r"^UTC([+-])(\d\d):([0-5]\d)$")
LONGEST_OFFSET = timedelta(hours=14)  # Kiribati; nothing on Earth is further from UTC


def _offset(name: str) -> timedelta | None:
    match = OFFSET_NAME.match(name)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    return -offset if sign == "-" else offset


def zone_named(name: str) -> tzinfo:
    """The tzinfo for a stored zone name: an IANA zone or a fixed UTC offset."""
    offset = _offset(name)
    return ZoneInfo(name) if offset is None else fixed_offset(offset)


def validate_zone_name(value: str) -> None:
    offset = _offset(value)
    if offset is None and value not in time_zone_names():
        raise ValidationError(
            f"Unknown time zone: {value}. Give an IANA name such as Europe/Berlin."
        )
    if offset is not None and abs(offset) > LONGEST_OFFSET:
        raise ValidationError(f"No place on Earth is at {value}.")


def offset_name(offset: timedelta) -> str:
    """UTC+05:30 for an offset, rounded to the minute; plain UTC for none."""
    minutes = round(offset.total_seconds() / 60)
    return fixed_offset(timedelta(minutes=minutes)).tzname(None)


def zone_name_for(moment: datetime, usual: str) -> str:
    """The zone to keep with a start time.

    A time typed on a page carries the person's zone itself. A time sent with only an offset
    keeps the person's usual zone when that zone had this offset then (the quick log sends
    it so), or when it is UTC (Z), which programs send without meaning a place. Any other
    offset is kept: the phone was somewhere else, and its clock tells the cramp's time.
    """
    if isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key in time_zone_names():
        return moment.tzinfo.key
    offset = moment.utcoffset()
    if not offset or offset == moment.astimezone(zone_named(usual)).utcoffset():
        return usual
    return offset_name(offset)


def zone_label(name: str) -> str:
    """How a zone is named beside a time: Berlin, Buenos Aires, UTC+09:00."""
    return name.rsplit("/", 1)[-1].replace("_", " ")
