"""Every error Phonebank raises on purpose, one family.

```
PhonebankError
  InvalidPhoneNumber      a number that cannot be normalised to E.164
    MissingAreaCode       a local number written without its area code
  UnreadableCsv           a CSV the importer cannot read at all
  UnknownLanguage         a caller's language that is not a language tag we know
  NotAssigned             a household the caller is not assigned
  AuthError
    InvalidInvite         wrong, used or expired invite code
    TooManyAttempts       too many wrong passwords or invite codes: wait retry_after seconds
    InvalidCredentials    supervisor login failed
    Unauthorized          missing, unknown or revoked token
  NotFound                a campaign, caller, household… that does not exist
  Conflict                a name or slug already taken
  SyncError
    TransientSyncError    retry with backoff (network, 5xx)
    PermanentSyncError    park for attention (4xx)
    RejoinNeeded          401: keep the outbox, ask the caller to re-join
```

The docstring of each class is its default message, so ``raise NotAssigned()`` reads
well and a caller-facing text exists for every error.
"""

from __future__ import annotations


class PhonebankError(Exception):
    """Something went wrong in Phonebank"""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())

    @property
    def message(self) -> str:
        return str(self)


class InvalidPhoneNumber(PhonebankError):
    """That is not a phone number we can call"""


class MissingAreaCode(InvalidPhoneNumber):
    """That number has no area code"""


class UnreadableCsv(PhonebankError):
    """That file cannot be read as a CSV"""


class UnknownLanguage(PhonebankError):
    """That is not a language we know"""


class NotAssigned(PhonebankError):
    """That household is not assigned to you"""


class AuthError(PhonebankError):
    """You are not allowed to do that"""


class InvalidInvite(AuthError):
    """That invite code is wrong, already used or expired"""


class TooManyAttempts(AuthError):
    """Too many tries; wait a minute and try again"""

    def __init__(self, message: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidCredentials(AuthError):
    """Wrong user name or password"""


class Unauthorized(AuthError):
    """Sign in again: this device or session is not (or no longer) allowed"""


class NotFound(PhonebankError):
    """Not found"""


class Conflict(PhonebankError):
    """That already exists"""


class SyncError(PhonebankError):
    """Could not sync"""


class TransientSyncError(SyncError):
    """The server could not be reached; will retry"""


class PermanentSyncError(SyncError):
    """The server refused this change; a supervisor needs to look at it"""


class RejoinNeeded(SyncError):
    """This device was signed out; re-join with a new invite code"""
