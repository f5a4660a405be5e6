"""Guessing passwords and invite codes is slowed down where it comes from, and never locks
out the rightful supervisor or a caller with a valid code; every 429 says when to retry.

The limiters run on an injected clock: no test sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.errors import InvalidCredentials, TooManyAttempts
from sync_server import auth
from sync_server.console.services import ConsoleService
from sync_server.db import Store
from sync_server.guessing import Backoff, InviteLimiter, LoginLimiter

USERNAME, PASSWORD = "coordinator", "correct horse battery"
GUESSER, SUPERVISOR_DESK, SCHOOL = "203.0.113.9", "198.51.100.7", "192.0.2.40"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def from_address(
    server_app: FastAPI, client: TestClient, store: Store, clock: FakeClock
) -> Iterator[Callable[[str], TestClient]]:
    """A client at a given address, on a server whose limiters run on ``clock``."""
    server_app.state.login_limiter = LoginLimiter(clock=clock)
    server_app.state.invite_limiter = InviteLimiter(clock=clock)
    with store.transaction() as db:
        auth.create_supervisor(db, USERNAME, PASSWORD)
    clients: list[TestClient] = []

    def at(address: str) -> TestClient:
        clients.append(TestClient(server_app, client=(address, 50_000)))
        return clients[-1]

    yield at
    for made in clients:
        made.close()


def sign_in(client: TestClient, password: str, username: str = USERNAME) -> tuple[int, dict]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    return response.status_code, {**response.json(), **response.headers}


def new_code(store: Store, name: str = "Ana") -> str:
    with store.transaction() as db:
        caller = auth.create_caller(db, name, ["es", "en"])
        return auth.create_invite(db, caller.id)[0]


def join(client: TestClient, code: str) -> tuple[int, dict]:
    response = client.post("/api/v1/join", json={"code": code, "device_name": "phone"})
    return response.status_code, {**response.json(), **response.headers}


# ---------------------------------------------------------------------------- passwords


def test_the_supervisor_signs_in_from_elsewhere_while_a_guesser_waits(
    from_address: Callable[[str], TestClient],
) -> None:
    guesser = from_address(GUESSER)
    statuses = [sign_in(guesser, f"guess {n}")[0] for n in range(6)]
    assert statuses == [401] * 6  # five free, the sixth starts a wait of a second
    status, refused = sign_in(guesser, PASSWORD)  # even the right one, while it waits
    assert status == 429
    assert refused["retry-after"] == "1"
    assert refused["error"] == "too_many_attempts"
    assert refused["message"] == (
        "Too many wrong passwords for this account from your address: try again in 1 second"
    )
    status, body = sign_in(from_address(SUPERVISOR_DESK), PASSWORD)
    assert status == 200
    assert body["token"]


def test_the_wait_doubles_with_each_wrong_password_up_to_fifteen_minutes(
    from_address: Callable[[str], TestClient], clock: FakeClock
) -> None:
    guesser = from_address(GUESSER)
    for n in range(5):
        assert sign_in(guesser, f"guess {n}")[0] == 401
    waits = []
    for n in range(12):
        assert sign_in(guesser, f"more {n}")[0] == 401
        status, refused = sign_in(guesser, "yet another")
        assert status == 429
        waits.append(int(refused["retry-after"]))
        clock.advance(waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert "try again in 15 minutes" in refused["message"]


def test_after_the_wait_the_right_password_works_and_the_streak_is_over(
    from_address: Callable[[str], TestClient], clock: FakeClock
) -> None:
    guesser = from_address(GUESSER)
    for n in range(8):
        sign_in(guesser, f"typo {n}")
    status, refused = sign_in(guesser, PASSWORD)
    assert status == 429
    clock.advance(int(refused["retry-after"]))
    assert sign_in(guesser, PASSWORD)[0] == 200
    assert [sign_in(guesser, f"again {n}")[0] for n in range(6)] == [401] * 6


def test_wrong_passwords_for_another_account_do_not_slow_the_supervisor_at_the_same_school(
    store: Store, clock: FakeClock
) -> None:
    with store.transaction() as db:
        auth.create_supervisor(db, USERNAME, PASSWORD)
    limiter = LoginLimiter(clock=clock)
    someone = ConsoleService(store, limiter=limiter)
    for n in range(20):
        with pytest.raises((InvalidCredentials, TooManyAttempts)):
            someone.sign_in("principal", f"guess {n}", SCHOOL)
    with pytest.raises(TooManyAttempts):
        someone.sign_in("principal", "one more", SCHOOL)
    supervisor = ConsoleService(store, limiter=limiter)
    assert supervisor.sign_in(USERNAME, PASSWORD, SCHOOL) == USERNAME


# ---------------------------------------------------------------------------- invite codes


def test_a_valid_code_joins_from_a_network_where_others_typed_many_wrong_ones(
    from_address: Callable[[str], TestClient], store: Store
) -> None:
    school = from_address(SCHOOL)
    statuses = [join(school, f"WRONG-{n:05d}")[0] for n in range(30)]
    assert statuses == [400] * 10 + [429] * 20
    status, joined = join(school, new_code(store))
    assert status == 200
    assert joined["token"]


def test_wrong_codes_past_the_free_ones_are_answered_429_with_a_growing_retry_after(
    from_address: Callable[[str], TestClient],
) -> None:
    school = from_address(SCHOOL)
    for n in range(10):
        assert join(school, f"WRONG-{n:05d}")[0] == 400
    answers = [join(school, f"WRONG-1{n:04d}") for n in range(3)]
    assert [status for status, _ in answers] == [429] * 3
    assert [body["retry-after"] for _, body in answers] == ["1", "2", "4"]
    assert answers[0][1]["message"] == (
        "That invite code is wrong, and many wrong codes came from your network "
        "(a right code still works at once): try again in 1 second"
    )
    status, elsewhere = join(from_address(GUESSER), "WRONG-99999")
    assert (status, elsewhere["error"]) == (400, "invalid_invite")


def test_in_a_flood_an_address_with_its_own_mistakes_is_refused_unchecked_but_a_clean_one_joins(
    server_app: FastAPI,
    from_address: Callable[[str], TestClient],
    store: Store,
    clock: FakeClock,
) -> None:
    server_app.state.invite_limiter = InviteLimiter(flood=20, clock=clock)
    guesser, caller = from_address(GUESSER), from_address(SCHOOL)
    for n in range(20):
        join(guesser, f"WRONG-{n:05d}")
    code = new_code(store)
    status, refused = join(guesser, code)  # not even looked at: the code stays unused
    assert status == 429
    assert refused["message"].startswith("Too many wrong invite codes reach the server now")
    assert 1 <= int(refused["retry-after"]) <= 60
    assert join(caller, code)[0] == 200
    clock.advance(61)
    assert join(guesser, new_code(store, "Bo"))[0] == 200


# ---------------------------------------------------------------------------- the backoff


def test_streaks_are_forgotten_after_a_quiet_spell_and_at_most_max_keys_are_kept(
    clock: FakeClock,
) -> None:
    backoff = Backoff(free=1, longest_wait=60, forget_after=600, clock=clock, max_keys=3)
    assert backoff.failed("a") == 0
    assert backoff.failed("a") == 1
    clock.advance(600)
    assert backoff.failed("a") == 0  # a new streak: the first failure is free again
    for key in "bcdef":
        backoff.failed(key)
    assert len(backoff) == 3
    assert not backoff.in_streak("a")
    clock.advance(600)
    backoff.failed("g")
    assert len(backoff) == 1
