"""Sign-in throttling: at most 5 failures per account and per address in a moving 15-minute window.

A failure only ever delays sign-in for 15 minutes at most, so a stranger cannot lock an account out for
long. The store is shared between app servers through TEAMOPS_RATELIMIT_STORAGE_URL.
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItemPerMinute, storage, strategies

MAX_FAILURES = 5
WINDOW_MINUTES = 15
_LIMIT = RateLimitItemPerMinute(MAX_FAILURES, WINDOW_MINUTES)


def _limiter() -> strategies.MovingWindowRateLimiter:
    limiter = current_app.extensions.get("teamops_throttle")
    if limiter is None:
        store = storage.storage_from_string(current_app.config["TEAMOPS"].ratelimit_storage_url)
        limiter = strategies.MovingWindowRateLimiter(store)
        current_app.extensions["teamops_throttle"] = limiter
    return limiter


def _keys(email: str, address: str | None) -> list[str]:
    return [f"signin:account:{email.lower()}", f"signin:address:{address or 'unknown'}"]


def is_throttled(email: str, address: str | None) -> bool:
    limiter = _limiter()
    return any(not limiter.test(_LIMIT, key) for key in _keys(email, address))


def record_failure(email: str, address: str | None) -> None:
    limiter = _limiter()
    for key in _keys(email, address):
        limiter.hit(_LIMIT, key)


def clear_account(email: str) -> None:
    _limiter().clear(_LIMIT, _keys(email, None)[0])
