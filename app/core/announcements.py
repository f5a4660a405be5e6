"""A supervisor's short message to the callers of a campaign, or to one caller (issue 15).

The server keeps each announcement and sends it to the devices of the callers it is for
(``caller_id`` None: every caller with families in the campaign); a device shows it until
its caller marks it read, which is an ``announcement_read`` event in the outbox.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .limits import Key, Line, Name
from .models import Model

ANNOUNCEMENT_CHARS = 1000
"""At most what a ``Line`` holds: a message, not a letter."""


class Announcement(Model):
    id: Key
    campaign_id: Key
    caller_id: Key | None = Field(None, description="None: every caller of the campaign")
    text: Line = Field(min_length=1)
    author: Name = Field("", description="The supervisor who posted it")
    posted_at: datetime


class AnnouncementRequest(Model):
    text: Line = Field(min_length=1)
    caller_id: Key | None = Field(None, description="Only this caller; none for every caller")


class AnnouncementReader(Model):
    caller_id: Key
    caller_name: Name
    read_at: datetime


class AnnouncementStatus(Model):
    """An announcement as the console lists it: who it reached and who read it."""

    announcement: Announcement
    readers: list[AnnouncementReader] = Field(default_factory=list)
