"""Kept pages (issue 8): a page read many times a day and changed far less often is answered from the copy made
the last time, for as long as nothing it shows can have changed.

A view opts in with ``@kept`` (under ``@requires``, so the policy is checked on every request). Its answer is
kept whole, in this process, under a key of everything the page depends on:

- the address with its query string, and whether htmx asked for the fragment or the whole page;
- who asks: the account, and the session's form token, which the page carries in its forms (a bearer token's
  answers carry none), so a copy is never shown to anyone else, nor in another session;
- the data version of every team the person reaches (teamops.dashboards.versions), or the fingerprint of
  every team's for those who reach them all. Every write a page could show moves the version of the teams it
  touches, in the transaction that makes it, so every worker and every app server sees it at once;
- the day: due dates and induction windows change at midnight.

A view whose page changes with the time of day as well (the worker's next session passes) says until when
its copy holds with ``keep_until``. Nothing is kept for a request with a message to flash, one whose session
has no form token yet, or an answer other than 200. A copy answers with the same body and headers; the
security headers are added to it as to any answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, g, request, session
from flask_login import current_user
from sqlalchemy import Row, Select, true

from teamops import dates
from teamops.access import Holder, Person, teams_shown
from teamops.api.tokens import TOKEN_HOLDER, bearer_token, sends_credentials, token_holder, token_parameters
from teamops.auth.services import SESSION_HOLDER, session_holder, session_parameters
from teamops.dashboards import versions
from teamops.dashboards.models import EVERY_TEAM
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.web import BACKGROUND_HEADER, wants_fragment

F = TypeVar("F", bound=Callable[..., Any])

# Per process, bounded by the bytes kept: the least recently used copies go first.
MOST_BYTES = 16 * 1024 * 1024
MOST_HOLDERS = 10_000
# Headers a copy never repeats: the cookie is the one request's, the rest are set on every answer anyway.
_NOT_KEPT = frozenset({"set-cookie", "content-length", "date"})


@dataclass(frozen=True)
class Copy:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    until: datetime | None


KEPT_ATTRIBUTE = "_teamops_kept"
_PAGES: OrderedDict[tuple[Any, ...], Copy] = OrderedDict()
# Session or token digest → who held it last time (a guess of which versions to read, checked every time).
_holders: dict[str, Holder] = {}
_LOCK = threading.Lock()
_kept_bytes = 0


def kept(view: F) -> F:
    """Runs the view and keeps its 200 when the copy it would have been answered from is missing (the sign-in
    gate answers from a copy before any view runs: ``answer_from_copy``)."""

    @wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        # The gate's key when it found who holds the session but no copy; else (the session needed its last-seen
        # time written) anew, and the copy may be there.
        if (key := g.pop("kept_key", None)) is None:
            user, who = cast(Staff, current_user._get_current_object()), _who()
            key = None if who is None else _key(user, who, _data_state(user))
            if key is not None and (copy := _find(key)) is not None:
                return _response(copy)
        g.kept_until = None
        response = current_app.make_response(view(*args, **kwargs))
        if (key is not None and response.status_code == 200 and not response.is_streamed
                and not session.get("_flashes")):
            _keep(key, Copy(response.get_data(), response.status_code,
                            tuple((name, value) for name, value in response.headers.items()
                                  if name.lower() not in _NOT_KEPT), g.kept_until))
        return response

    setattr(answer, KEPT_ATTRIBUTE, True)
    return cast(F, answer)


def answer_from_copy() -> Response | None:
    """The sign-in gate's first step: for a kept page, its copy when one holds, found from one statement that
    reads who holds the session or token and the data versions of their reach, without loading the account or
    running the view. When the session or token needs anything written (its last-seen time), or is not valid,
    None: the full check runs, then the view. The policy the view declares was checked when the copy was made,
    for this account, under these versions: a change of the account's role, team, grants or activity moves
    them."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method != "GET" or not getattr(view, KEPT_ATTRIBUTE, False):
        return None
    bearer = sends_credentials(request)
    if bearer:
        token = bearer_token(request)
        query, parameters = TOKEN_HOLDER, token_parameters(token) if token is not None else None
    else:
        query, parameters = SESSION_HOLDER, session_parameters()
    if parameters is None:
        return None
    # Whose session this was last time, in this process: only a guess of which versions to read with it. The
    # statement reads who holds it now; when that is someone else (or changed role or team), the versions are
    # read again for them.
    guess = _holders.get(parameters["digest"])
    # One statement needs no transaction: sent in autocommit, a database server is not asked to begin and roll
    # back one around it (two more round trips), and no session is opened unless the view runs.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        rows = connection.execute(query if guess is None else _with_state(query, guess, dates.today()),
                                  parameters).all()
    first = rows[0] if rows else None
    if bearer:
        holder = token_holder(first)
    else:
        holder = session_holder(first, activity=request.headers.get(BACKGROUND_HEADER) != "true")
        g.session_valid = holder is not None  # the gate need not read the session again
    if holder is None:
        return None
    if len(_holders) >= MOST_HOLDERS:
        _holders.clear()
    _holders[parameters["digest"]] = holder
    state = _state_of(holder, rows) if holder == guess else _data_state(holder)
    key = _key(holder, _who(), state)
    copy = None if key is None else _find(key)
    if copy is None:
        g.kept_key = key
        return None
    return _response(copy)


def keep_until(when: datetime) -> None:
    """The page being made changes by itself at ``when`` (a booked session starts): its copy holds until then."""
    current = g.get("kept_until")
    g.kept_until = when if current is None else min(current, when)


def forget_pages() -> None:
    """Drops every copy this process keeps (tests that change the clock or the database under it)."""
    global _kept_bytes
    with _LOCK:
        _PAGES.clear()
        _kept_bytes = 0
    _holders.clear()


def _response(copy: Copy) -> Response:
    return Response(copy.body, status=copy.status, headers=list(copy.headers))


def _who() -> str | None:
    """Whose copy, beyond the account: a session's form token (the page's forms carry it), or for a bearer
    token's answers, which carry none, "bearer". None when the session has no form token yet."""
    if sends_credentials(request):
        return "bearer"
    token = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return str(token) if token else None


def _key(person: Person, who: str | None, state: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    if who is None or state is None or session.get("_flashes"):
        return None
    return (request.endpoint, request.full_path, wants_fragment(), person.id, who, state, dates.today())


def _data_state(person: Person) -> tuple[Any, ...] | None:
    """The versions of everything the person can see; None before the first write, when nothing is kept."""
    statement = _versions_query(person.id, person.role, person.team_id, dates.today())
    if statement is None:
        return versions.fingerprint()
    return _team_state(person, versions.read(statement))


def _team_state(person: Person, known: dict[int, int]) -> tuple[Any, ...] | None:
    if EVERY_TEAM not in known:
        return None
    return (person.role, person.team_id, *sorted(known.items()))


def _state_of(person: Holder, rows: Sequence[Row[Any]]) -> tuple[Any, ...] | None:
    """``_data_state`` from the rows of a holder statement with the versions joined (``_with_state``)."""
    if _versions_query(person.id, person.role, person.team_id, dates.today()) is None:
        return versions.fingerprint_of(rows[0])
    return _team_state(person, {row.version_team: row.version_number for row in rows
                                if row.version_team is not None})


@lru_cache(maxsize=4096)
def _versions_query(person_id: int, role: str, team_id: int, on: date) -> Select[tuple[int, int]] | None:
    """The statement for the versions of a person's reach (None: every team's), built once per person as they
    are now, on the day (the covers they hold run from a day to a day): a statement built for every request
    would cost more than the copy saves."""
    team_ids = teams_shown(Holder(person_id, role, team_id))
    return None if team_ids is None else versions.versions_query(team_ids)


@lru_cache(maxsize=4096)
def _with_state(query: Select[Any], person: Holder, on: date) -> Select[Any]:
    """A holder statement with the versions of the person's reach joined to it: a row per version (their
    fingerprint, one row, for those who reach every team), each with the holder's columns."""
    reach = _versions_query(person.id, person.role, person.team_id, on)
    if reach is None:
        fingerprint = versions.FINGERPRINT.subquery()
        return query.add_columns(*fingerprint.c).outerjoin(fingerprint, true())
    state = reach.subquery()
    return (query.add_columns(state.c.team_id.label("version_team"), state.c.version.label("version_number"))
            .outerjoin(state, true()))


def _find(key: tuple[Any, ...]) -> Copy | None:
    with _LOCK:
        copy = _PAGES.get(key)
        if copy is None:
            return None
        if copy.until is not None and dates.utcnow() >= copy.until:
            _drop(key)
            return None
        _PAGES.move_to_end(key)
        return copy


def _keep(key: tuple[Any, ...], copy: Copy) -> None:
    global _kept_bytes
    if len(copy.body) > MOST_BYTES // 16:
        return
    with _LOCK:
        if key in _PAGES:
            _drop(key)
        _PAGES[key] = copy
        _kept_bytes += len(copy.body)
        while _kept_bytes > MOST_BYTES:
            _drop(next(iter(_PAGES)))


def _drop(key: tuple[Any, ...]) -> None:
    global _kept_bytes
    _kept_bytes -= len(_PAGES.pop(key).body)


__all__ = ["answer_from_copy", "forget_pages", "keep_until", "kept"]
