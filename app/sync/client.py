"""The sync client: join, push the outbox, pull changes, and keep doing so while the app runs.

asyncio only, no threads, so it runs the same under Pyodide (with ``FetchTransport``) as
on a desktop. What each answer means:

```
200          push: mark acked up to last_acked_seq / pull: apply the page, keep its cursor
409          seq gap: the server holds 1..last_acked_seq; resend from there
401          RejoinNeeded: stop, keep the outbox, ask the caller for a new invite code
410          DeviceWiped (body ``device_wiped``): a supervisor ordered this device wiped:
             report what it erases, erase the database, show the join screen
408, 429,    TransientSyncError: back off (exponential, jitter, cap) and retry
5xx, network
other 4xx    push: park the refused event, go on with the rest / pull: PermanentSyncError
```
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from app.core.clock import Clock, utcnow
from app.core.errors import (
    DeviceWiped,
    InvalidInvite,
    PermanentSyncError,
    RejoinNeeded,
    SyncError,
    TooManyAttempts,
    TransientSyncError,
)
from app.core.models import Caller
from app.core.protocol import (
    ErasedReport,
    JoinRequest,
    JoinResponse,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    SeqGap,
)
from app.store import DeviceStore, Identity

from .backoff import Backoff
from .status import SyncStatus

log = logging.getLogger(__name__)

PUSH_BATCH = 200
PULL_LIMIT = 500
MAX_SEQ_GAPS = 3
"""A server that keeps answering 409 after we resent from where it said is broken."""

M = TypeVar("M", bound=BaseModel)
Sleep = Callable[[float], Awaitable[Any]]


def default_transport() -> httpx.AsyncBaseTransport | None:
    """fetch in the browser; httpx's own networking everywhere else."""
    if sys.platform == "emscripten":
        from .fetch_transport import FetchTransport

        return FetchTransport()
    return None


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    pushed: int = 0
    """Events the server acknowledged."""
    parked: int = 0
    """Events the server refused (now waiting in the outbox for attention)."""
    pulled: int = 0
    """Changes applied from the server."""
    pages: int = 0
    reset: bool = False


class SyncClient:
    """Pushes a device's outbox and pulls its data, once (:meth:`sync_once`) or on a loop
    (:meth:`run`). ``sleep``, ``clock`` and ``rng`` are injectable so tests never wait."""

    def __init__(
        self,
        store: DeviceStore,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        status: SyncStatus | None = None,
        backoff: Backoff | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = utcnow,
        rng: random.Random | None = None,
        batch_size: int = PUSH_BATCH,
        pull_limit: int = PULL_LIMIT,
        timeout: float = 30.0,
    ) -> None:
        self.store = store
        self.status = status or SyncStatus()
        self.backoff = backoff or Backoff()
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._http = httpx.AsyncClient(
            transport=transport if transport is not None else default_transport(),
            timeout=timeout,
        )
        self._lock = asyncio.Lock()
        self._requested = asyncio.Event()
        self._urgent = asyncio.Event()
        self._stopping = False
        self._reset_backoff = False
        self.failures = 0
        """Consecutive transient failures: what the run loop's backoff is counting."""
        identity = store.identity
        self.status.update(rejoin_needed=bool(identity and identity.rejoin_needed))
        self._refresh_counts()
        self._unhook = store.add_after_commit(self._on_commit)

    async def aclose(self) -> None:
        self._unhook()
        await self._http.aclose()

    async def __aenter__(self) -> SyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- triggers --------------------------------------------------------------------------

    def request_sync(self) -> None:
        """Sync soon (after an outcome was recorded); waits out a backoff in progress."""
        self._requested.set()

    def notify_online(self) -> None:
        """Connectivity came back: forget the backoff and sync now."""
        self.status.update(online=True)
        self._reset_backoff = True
        self._urgent.set()

    def notify_offline(self) -> None:
        self.status.update(online=False)

    def stop(self) -> None:
        """Make :meth:`run` return after the sync in progress, if any."""
        self._stopping = True
        self._urgent.set()

    def _on_commit(self) -> None:
        before = self.status.pending
        self._refresh_counts()
        # Something was recorded: send it. (Recorded mid-sync, it may already have gone; the
        # extra sync then finds nothing to push, which costs one small pull.)
        if self.status.pending > before:
            self.request_sync()

    def _refresh_counts(self) -> None:
        self.status.update(pending=self.store.pending_count(), parked=self.store.parked_count())

    # -- the loop --------------------------------------------------------------------------

    async def run(self, interval: float = 60.0) -> None:
        """Sync now, then every ``interval`` seconds and whenever asked, until :meth:`stop`.

        Network errors and 5xx back off exponentially (with jitter, capped); a 401 waits
        for :meth:`join`. Never raises a :class:`SyncError`: the status says what happened.
        """
        self._stopping = False
        self.failures = 0
        while not self._stopping:
            if self._reset_backoff:
                self._reset_backoff, self.failures = False, 0
            delay: float | None = interval
            identity = self.store.identity
            if identity is None or identity.rejoin_needed:
                delay = None  # nothing to do until someone joins
            else:
                try:
                    await self.sync_once()
                    self.failures = 0
                except TransientSyncError:
                    self.failures += 1
                    delay = self.backoff.delay(self.failures, self._rng)
                except RejoinNeeded:
                    delay = None
                except SyncError:
                    self.failures = 0  # a refusal: retrying sooner would not help
                except Exception:
                    log.exception("sync failed unexpectedly")
                    self.failures += 1
                    delay = self.backoff.delay(self.failures, self._rng)
            if not self._stopping:
                await self._wait(delay, wake_on_request=self.failures == 0)

    async def _wait(self, delay: float | None, *, wake_on_request: bool) -> None:
        waiters: list[asyncio.Future[Any]] = [asyncio.ensure_future(self._urgent.wait())]
        if wake_on_request:
            waiters.append(asyncio.ensure_future(self._requested.wait()))
        if delay is not None:
            waiters.append(asyncio.ensure_future(self._sleep(delay)))
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)
        self._urgent.clear()
        self._requested.clear()

    # -- join ------------------------------------------------------------------------------

    async def join(self, server_url: str, code: str, device_name: str = "") -> Caller:
        """Redeem an invite code; this device becomes the new device the server creates.

        Events still unsent from before (say, after a 401) move to the new device and go
        with the next sync.
        """
        server_url = server_url.rstrip("/")
        body = JoinRequest(code=code, device_name=device_name)
        response = await self._post(f"{server_url}/api/v1/join", body, token=None)
        if response.status_code == 400:
            raise InvalidInvite(_message(response) or None)
        if response.status_code == 429:
            raise TooManyAttempts(_message(response) or None)
        self._raise_for_status(response)
        joined = _parse(JoinResponse, response)
        self.store.save_identity(server_url, joined)
        self.status.update(rejoin_needed=False, erased=False, last_error=None)
        self._refresh_counts()
        self._reset_backoff = True
        self._urgent.set()
        return joined.caller

    # -- one sync --------------------------------------------------------------------------

    async def sync_once(self) -> SyncReport:
        """Push every pending event, then pull until the server has nothing more.

        Raises :class:`RejoinNeeded`, :class:`TransientSyncError` or
        :class:`PermanentSyncError`; the status says the same in plain words.
        """
        async with self._lock:
            identity = self.store.identity
            if identity is None:
                raise RejoinNeeded("This device has not joined a phone bank yet")
            if identity.rejoin_needed:
                raise RejoinNeeded()
            self.status.update(syncing=True)
            try:
                pushed, parked = await self._push(identity)
                pulled, pages, reset = await self._pull(identity)
                if reset:
                    pushed += await self._resend_what_a_restore_lost(identity)
            except RejoinNeeded as error:
                self.store.mark_rejoin_needed()
                self.status.update(rejoin_needed=True, last_error=error.message, last_problem=error)
                raise
            except DeviceWiped:
                await self._erase(identity, "wipe")  # the status says erased, no error
                raise
            except SyncError as error:
                self.status.update(last_error=error.message, last_problem=error)
                raise
            except Exception as error:  # a bug or a broken file: say so, keep the loop alive
                problem = SyncError(
                    f"Sync failed unexpectedly ({error}); will retry",
                    key="error.sync_failed_unexpectedly",
                    detail=str(error),
                )
                self.status.update(last_error=problem.message, last_problem=problem)
                raise
            finally:
                self.status.update(syncing=False)
                self._refresh_counts()
            refused = None
            if parked:
                kept = "change; it is" if parked == 1 else "changes; they are"
                refused = SyncError(
                    f"The server refused {parked} {kept} kept for a supervisor to see",
                    key="error.changes_refused",
                    count=parked,
                )
            synced_at = self._clock()
            self.store.mark_synced(synced_at)
            self.status.update(
                online=True,
                last_success_at=synced_at,
                last_error=refused.message if refused else None,
                last_problem=refused,
            )
            return SyncReport(pushed, parked, pulled, pages, reset)

    # -- erase -----------------------------------------------------------------------------

    async def erase(self) -> None:
        """The caller signs out and erases this phone (after the session's checks): the
        server is told what is erased, then the database goes. Waits for a sync under way."""
        async with self._lock:
            await self._erase(self.store.identity, "sign_out")

    async def _erase(self, identity: Identity | None, reason: Literal["wipe", "sign_out"]) -> None:
        if identity is not None:
            unsent, highest = self.store.unsent()
            report = ErasedReport(
                device_id=identity.device_id,
                reason=reason,
                unsent_events=unsent,
                highest_seq=highest,
            )
            try:  # best effort: the console then says what the server can know without it
                await self._post(
                    f"{identity.server_url}/api/v1/sync/erased", report, token=identity.token
                )
            except TransientSyncError:
                log.info("could not report the erase; erasing anyway")
        self.store.erase()
        self.status.update(
            erased=True,
            rejoin_needed=False,
            last_success_at=None,
            last_error=None,
            last_problem=None,
        )
        self._refresh_counts()

    async def _push(self, identity: Identity) -> tuple[int, int]:
        pushed = parked = gaps = 0
        one_by_one = 0  # after a refused batch: how many to send singly to find the culprit
        while True:
            events = self.store.pending_events(1 if one_by_one else self.batch_size)
            if not events:
                return pushed, parked
            body = PushRequest(device_id=identity.device_id, events=events)
            response = await self._post(
                f"{identity.server_url}/api/v1/sync/push", body, token=identity.token
            )
            if response.status_code == 409:
                gaps += 1
                if gaps > MAX_SEQ_GAPS:
                    raise TransientSyncError("The server keeps refusing the order of changes")
                gap = _parse(SeqGap, response)
                self.store.resend_after(gap.last_acked_seq)
                continue
            if _is_refusal(response):
                if len(events) > 1:
                    one_by_one = len(events)
                    continue
                self.store.park(events[0].event_id, _message(response) or response.reason_phrase)
                parked += 1
                one_by_one = max(0, one_by_one - 1)
                continue
            self._raise_for_status(response)
            acked = _parse(PushResponse, response).last_acked_seq
            if acked < events[0].seq:
                # A 200 that acknowledges nothing we sent would loop forever.
                raise TransientSyncError("The server did not store the changes; will retry")
            pushed += self.store.mark_acked(acked)
            gaps = 0
            one_by_one = max(0, one_by_one - len(events))

    async def _resend_what_a_restore_lost(self, identity: Identity) -> int:
        """A reset means the server no longer knew our cursor: most likely it was restored
        from a backup, and it may have lost events it had acknowledged. With nothing new
        to push no 409 would tell us, so ask (an empty push answers the server's
        last_acked_seq) and send the missing ones again."""
        floor = self.store.acked_floor()
        if floor == 0:
            return 0
        body = PushRequest(device_id=identity.device_id, events=[])
        response = await self._post(
            f"{identity.server_url}/api/v1/sync/push", body, token=identity.token
        )
        self._raise_for_status(response)
        held = _parse(PushResponse, response).last_acked_seq
        if held >= floor:
            return 0
        log.warning("the server holds seq %d of %d: sending the rest again", held, floor)
        self.store.resend_after(held)
        pushed, _ = await self._push(identity)
        return pushed

    async def _pull(self, identity: Identity) -> tuple[int, int, bool]:
        pulled = pages = 0
        reset = False
        cursor = self.store.cursor
        while True:
            body = PullRequest(device_id=identity.device_id, cursor=cursor, limit=self.pull_limit)
            response = await self._post(
                f"{identity.server_url}/api/v1/sync/pull", body, token=identity.token
            )
            self._raise_for_status(response)
            page = _parse(PullResponse, response)
            try:
                self.store.apply_pull_page(page)  # all or nothing, cursor included
            except ValidationError as error:
                log.warning("unreadable pull page: %s", error)
                raise PermanentSyncError(
                    "The server sent data this app cannot read; update the app"
                ) from error
            pulled += len(page.changes)
            pages += 1
            reset = reset or page.reset
            cursor = page.cursor
            if not page.has_more:
                return pulled, pages, reset

    # -- HTTP ------------------------------------------------------------------------------

    async def _post(self, url: str, body: BaseModel, *, token: str | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self._http.post(
                url,
                content=body.model_dump_json(),
                headers={"Content-Type": "application/json", **headers},
            )
        except httpx.HTTPError as error:
            log.info("sync request failed: %r", error)
            self.status.update(online=False)
            raise TransientSyncError(
                "Offline: could not reach the server; your work is saved and will be sent"
            ) from error
        self.status.update(online=True)
        return response

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        message = _message(response)
        if status == 401:
            raise RejoinNeeded()
        if status == 410 and _error_code(response) == "device_wiped":
            raise DeviceWiped()
        if status in (408, 429) or status >= 500:
            raise TransientSyncError(
                f"The server had a problem (HTTP {status}); will retry"
                + (f": {message}" if message else "")
            )
        raise PermanentSyncError(message or f"The server refused the request (HTTP {status})")


def _is_refusal(response: httpx.Response) -> bool:
    """A 4xx that says "not this", as opposed to "not now" or "not you"."""
    status = response.status_code
    return (
        400 <= status < 500
        and status not in (401, 408, 409, 429)
        and not (status == 410 and _error_code(response) == "device_wiped")
    )


def _error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        # A newer server may send fields this app does not know yet: read past them.
        return model.model_validate_json(response.content, extra="ignore")
    except ValidationError as error:
        raise TransientSyncError(
            f"The server answered something unexpected (HTTP {response.status_code}); will retry"
        ) from error
