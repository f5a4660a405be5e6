"""Wire models for signing in supervisors and inviting callers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

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


Role = Literal["admin", "coordinator"]
"""A supervisor account's role: a district admin does everything; a school coordinator sees
and acts only on the households of their schools (sync_server/roles.py)."""


class AccountDraft(Model):
    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=8, max_length=512)
    role: Role = "coordinator"
    schools: list[Name] = Field(
        default_factory=list,
        max_length=200,
        description="For a coordinator: the schools (as households' `school`) they may see",
    )


class AccountUpdate(Model):
    role: Role | None = None
    schools: list[Name] | None = Field(default=None, max_length=200)


class Account(Model):
    id: str
    username: str
    role: Role
    schools: list[str] = Field(description="Empty for an admin: every school")
