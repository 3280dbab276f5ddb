"""Share links for a doctor: at least 128 random bits, stored only as a hash."""

import hashlib
import secrets
from datetime import datetime, timedelta

import segno

from accounts.models import AuditEvent, audit

from ..models import ShareLink, ShareLinkOpening
from ..periods import Period

DEFAULT_DAYS, MAX_DAYS = 14, 90


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(*, user, period: Period, days: int, now: datetime) -> tuple[ShareLink, str]:
    """Returns the link and its token; the token is not kept anywhere else."""
    token = secrets.token_urlsafe(32)  # 256 bits
    link = ShareLink.objects.create(
        user=user,
        token_hash=_hash(token),
        starts_on=period.start,
        ends_on=period.end,
        expires_at=now + timedelta(days=days),
    )
    return link, token


def qr_code(url: str) -> str:
    """The link as a QR code (an SVG data URI) the doctor scans from the phone's screen: made
    here, so the link never goes to another site. Dark on white whatever the page's theme,
    as scanners expect."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")


def find_link(*, token: str, now: datetime) -> ShareLink | None:
    """The link for this token if it still opens, else None."""
    link = ShareLink.objects.select_related("user").filter(token_hash=_hash(token)).first()
    return link if link is not None and link.is_open(now) else None


def record_opening(*, link: ShareLink, now: datetime, what: str) -> None:
    """Opening the page or the PDF is recorded for the owner to see."""
    opening = ShareLinkOpening.objects.create(link=link, opened_at=now, what=what)
    audit(link.user, AuditEvent.What.SHARE_OPENED, opening.get_what_display())


def revoke(*, link: ShareLink, now: datetime) -> None:
    if link.revoked_at is None:
        link.revoked_at = now
        link.save(update_fields=["revoked_at"])
