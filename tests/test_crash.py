"""Crash safety (issue 16 item 5): ``kill -9`` of gunicorn, master and workers, in the middle of a stream of
bookings leaves the database consistent (on SQLite ``PRAGMA integrity_check`` and ``foreign_key_check``) and
every booking whose answer had arrived is there, with its invitations; then TeamOps starts again and serves."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from teamops import dates
from teamops.bookings.models import Booking
from teamops.extensions import db
from teamops.reminders.models import OutboxMail
from tests.served import Browser, served, signed_in

WRITERS = 3
KILL_AFTER_ACKNOWLEDGED = 24
KILL_AFTER_SECONDS = 5.0


def session(number: int) -> dict[str, str]:
    """The ``number``th booking of the stream: its own half-hour, never clashing with another."""
    day = dates.today() + timedelta(days=1 + number // 10)
    minutes = 9 * 60 + (number % 10) * 30
    return {"kind": "personal", "session_date": day.isoformat(), "start_time": f"{minutes // 60:02}:{minutes % 60:02}",
            "duration_minutes": "30", "location": f"Room {number}"}


def stream(manager: Browser, worker_id: int, first: int, acknowledged: list[str], stop: threading.Event) -> None:
    number = first
    while not stop.is_set():
        form = session(number)
        try:
            answer = manager.post("/bookings/new", {**form, "worker_id": str(worker_id)}, timeout=20)
        except requests.RequestException:  # the server is gone: this one was never acknowledged
            return
        assert answer.status_code == 303, (answer.status_code, answer.text[:300])
        acknowledged.append(form["location"])
        number += WRITERS


def test_kill_9_mid_stream_loses_no_acknowledged_booking_and_leaves_the_database_consistent(
        org: dict[str, Any], database_url: str, tmp_path: Path) -> None:
    db.session.commit()
    acknowledged: list[str] = []
    stop = threading.Event()
    with served(database_url, tmp_path / "gunicorn.log") as server:
        manager = signed_in(server, org["team_manager"].email)
        writers = [threading.Thread(target=stream, args=(manager, org["worker"].id, n, acknowledged, stop))
                   for n in range(WRITERS)]
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + KILL_AFTER_SECONDS
        while len(acknowledged) < KILL_AFTER_ACKNOWLEDGED and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()  # writes in flight: the writers' next answers never come
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
        assert not any(writer.is_alive() for writer in writers)

    assert len(acknowledged) >= KILL_AFTER_ACKNOWLEDGED // 2, server.log_tail()
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    db.session.rollback()
    bookings = db.session.scalars(select(Booking)).all()
    stored = {booking.location for booking in bookings}
    assert set(acknowledged) <= stored  # every acknowledged write survived
    assert len(stored) == len(bookings)  # and none twice
    invitations = Counter(db.session.scalars(select(OutboxMail.subject)))
    # each booking with its two invitations (the worker's and the manager's): written together or not at all
    assert len(invitations) == len(bookings) and set(invitations.values()) == {2}

    with served(database_url, tmp_path / "restarted.log", workers=1) as again:
        manager = signed_in(again, org["team_manager"].email)
        answer = manager.post("/bookings/new", {**session(999), "worker_id": str(org["worker"].id)})
        assert answer.status_code == 303
        assert manager.get(answer.headers["Location"]).status_code == 200
