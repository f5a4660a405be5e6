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
    DeviceWiped           410 ``device_wiped``: a supervisor ordered this device erased
```

The docstring of each class is its default message, so ``raise NotAssigned()`` reads
well and a caller-facing text exists for every error. What a person reads comes from the
UI catalogues, not from that English text: each error carries a catalogue ``key`` (its
class's, or a more precise one given where it is raised) and the ``values`` its words
need, ``OutcomeIncomplete("Pick when to call back", key="error.pick_callback_time")``;
``Translator.error`` turns it into the caller's language. The English message stays for
logs, the server's API answers and the command line.
"""

from __future__ import annotations


class PhonebankError(Exception):
    """Something went wrong in Phonebank"""

    key: str = "error.phonebank"
    """The catalogue key of what a person reads (tests/test_catalogue_completeness.py
    checks every catalogue has it)."""

    def __init__(
        self, message: str | None = None, *, key: str | None = None, **values: object
    ) -> None:
        super().__init__(message or (self.__doc__ or "").strip())
        if key is not None:
            self.key = key
        self.values = values

    @property
    def message(self) -> str:
        return str(self)


class InvalidPhoneNumber(PhonebankError):
    """That is not a phone number we can call"""

    key = "error.invalid_phone_number"


class MissingAreaCode(InvalidPhoneNumber):
    """That number has no area code"""

    key = "error.missing_area_code"


class UnreadableCsv(PhonebankError):
    """That file cannot be read as a CSV"""

    key = "error.unreadable_csv"


class UnknownLanguage(PhonebankError):
    """That is not a language we know"""

    key = "error.unknown_language"


class NotAssigned(PhonebankError):
    """That household is not assigned to you"""

    key = "error.not_assigned"


class AuthError(PhonebankError):
    """You are not allowed to do that"""

    key = "error.auth_error"


class InvalidInvite(AuthError):
    """That invite code is wrong, already used or expired"""

    key = "error.invalid_invite"


class TooManyAttempts(AuthError):
    """Too many tries; wait a minute and try again"""

    key = "error.too_many_attempts"

    def __init__(self, message: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message, count=retry_after)
        self.retry_after = retry_after


class InvalidCredentials(AuthError):
    """Wrong user name or password"""

    key = "error.invalid_credentials"


class Unauthorized(AuthError):
    """Sign in again: this device or session is not (or no longer) allowed"""

    key = "error.unauthorized"


class NotFound(PhonebankError):
    """Not found"""

    key = "error.not_found"


class Conflict(PhonebankError):
    """That already exists"""

    key = "error.conflict"


class SyncError(PhonebankError):
    """Could not sync"""

    key = "error.sync_error"


class TransientSyncError(SyncError):
    """The server could not be reached; will retry"""

    key = "error.transient_sync_error"


class PermanentSyncError(SyncError):
    """The server refused this change; a supervisor needs to look at it"""

    key = "error.permanent_sync_error"


class RejoinNeeded(SyncError):
    """This device was signed out; re-join with a new invite code"""

    key = "error.rejoin_needed"


class DeviceWiped(SyncError):
    """This phone was erased at your phone bank's request; join again with a new invite code"""

    key = "error.device_wiped"

    def __init__(self, message: str | None = None, *, device_id: str = "") -> None:
        super().__init__(message)
        self.device_id = device_id
