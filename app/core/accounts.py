"""Wire models for signing in supervisors and inviting callers."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .limits import MAX_LANGUAGES, Name
from .models import Caller, LanguageCode, Model


class LoginRequest(Model):
    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=512)


class LoginResponse(Model):
    token: str
    expires_at: datetime


class CallerDraft(Model):
    name: Name = Field(min_length=1)
    languages: list[LanguageCode] = Field(
        default_factory=lambda: ["en"], min_length=1, max_length=MAX_LANGUAGES
    )


class Invite(Model):
    caller: Caller
    code: str = Field(description="Single-use; read it to the caller or send the link")
    link: str = Field(description="Opens the caller app with the code filled in")
    expires_at: datetime
