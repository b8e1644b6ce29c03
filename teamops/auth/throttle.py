"""Sign-in throttling in a moving 15-minute window, per account and, far more loosely, per address.

- **Per account: 5 failures** (wrong password at sign-in, or wrong current password when changing it). This is
  what stops guessing one person's password, from however many addresses. It also covers "this address and
  this account", which can never count more.
- **Per address: 100 failures**, over every account typed from it. Behind a council's reverse proxy or NAT
  many people share one address, so a tight limit there would let one person's typos refuse everyone (issue 7);
  100 in 15 minutes still stops an address spraying one common password over many accounts. An IPv6 address
  counts as its /64, the block one household or server is normally given, so rotating addresses inside it
  does not escape the limit.

A lock lifts by itself once the oldest counted failure is 15 minutes old, so a stranger cannot lock someone
out for long. The counts live in the database (``sign_in_failures``) by default, so every worker and app
server sees the same ones with no extra service; TEAMOPS_RATELIMIT_STORAGE_URL moves them to a `limits`
store (Redis, Memcached, ``memory://`` for one process) instead. Checking and counting are separate steps,
so requests running at the same instant may each get one more try before the lock: a handful, not a way
round it. Database writes join the request's transaction: the route commits them, even for a refusal.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from flask import current_app
from limits import RateLimitItem, RateLimitItemPerMinute, storage, strategies
from sqlalchemy import delete, func, insert, select

from teamops.auth.models import SignInFailure
from teamops.dates import utcnow
from teamops.extensions import db

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 100
WINDOW_MINUTES = 15
WINDOW = timedelta(minutes=WINDOW_MINUTES)
IPV6_BLOCK = 64


@dataclass(frozen=True)
class Key:
    """What failures are counted under, and how many lock it."""

    name: str
    limit: int
    scope: str  # for the audit trail: "this account", "this address"


def account_key(email: str) -> Key:
    """The account typed, whether or not it exists: an unknown address locks just as a real one does, so the
    lock says nothing about which accounts exist. ``email`` is already normalised by the caller."""
    return Key(f"account:{email}", ACCOUNT_LIMIT, "this account")


def address_key(address: str | None) -> Key:
    return Key(f"address:{_network(address)}", ADDRESS_LIMIT, "this address")


def _network(address: str | None) -> str:
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_BLOCK}", strict=False))
    return str(parsed)


def _refusal_key(key: Key) -> Key:
    """Remembers that a refusal under ``key`` was audited, so the trail gets one entry per window, not one
    per request (an attacker retrying all night would otherwise fill it)."""
    return Key(f"refused:{key.name}", 1, key.scope)


class FailureStore(Protocol):
    def reached(self, keys: Sequence[Key]) -> list[Key]:
        """The keys whose failures in the window have reached their limit."""

    def add(self, keys: Sequence[Key]) -> None:
        """Counts one failure under each key."""

    def clear(self, key: Key) -> None:
        """Forgets every failure under the key."""


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


class DatabaseStore:
    """Failures as rows in the request's database session: shared by every worker, committed by the route."""

    def reached(self, keys: Sequence[Key]) -> list[Key]:
        by_hash = {_digest(key.name): key for key in keys}
        counts = dict(db.session.execute(
            select(SignInFailure.key_hash, func.count())
            .where(SignInFailure.key_hash.in_(by_hash), SignInFailure.at > utcnow() - WINDOW)
            .group_by(SignInFailure.key_hash)
        ).tuples().all())
        return [key for digest, key in by_hash.items() if counts.get(digest, 0) >= key.limit]

    def add(self, keys: Sequence[Key]) -> None:
        """Also prunes rows older than the window, so the table only ever holds the last 15 minutes."""
        now = utcnow()
        db.session.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
        db.session.execute(insert(SignInFailure), [{"key_hash": _digest(key.name), "at": now} for key in keys])

    def clear(self, key: Key) -> None:
        db.session.execute(delete(SignInFailure).where(SignInFailure.key_hash == _digest(key.name)))


class LimitsStore:
    """The `limits` library's moving window in the store TEAMOPS_RATELIMIT_STORAGE_URL names. Its writes are
    immediate, outside the database transaction."""

    def __init__(self, url: str) -> None:
        self.limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(url))

    @staticmethod
    def _item(key: Key) -> RateLimitItem:
        return RateLimitItemPerMinute(key.limit, WINDOW_MINUTES)

    def reached(self, keys: Sequence[Key]) -> list[Key]:
        return [key for key in keys if not self.limiter.test(self._item(key), key.name)]

    def add(self, keys: Sequence[Key]) -> None:
        for key in keys:
            self.limiter.hit(self._item(key), key.name)

    def clear(self, key: Key) -> None:
        self.limiter.clear(self._item(key), key.name)


def _store() -> FailureStore:
    store: FailureStore | None = current_app.extensions.get("teamops_throttle")
    if store is None:
        url = current_app.config["TEAMOPS"].ratelimit_storage_url
        store = DatabaseStore() if url is None else LimitsStore(url)
        current_app.extensions["teamops_throttle"] = store
    return store


def locked(keys: Sequence[Key]) -> list[Key]:
    """The keys that refuse this attempt; empty when it may go ahead."""
    return _store().reached(keys)


def record_failure(keys: Sequence[Key]) -> None:
    _store().add(keys)


def clear(key: Key) -> None:
    """After the right password: earlier typos on this account stop counting."""
    _store().clear(key)


def first_refusal(key: Key) -> bool:
    """True for the first refusal under ``key`` in a window (and notes it), False for the rest."""
    store, marker = _store(), _refusal_key(key)
    if store.reached([marker]):
        return False
    store.add([marker])
    return True
