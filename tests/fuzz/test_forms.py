"""Fuzzing every form (issue 16 item 3): Hypothesis sends each POST route hostile values built from its own
WTForms fields (unicode, control characters, lone surrogates, 100,000 characters, empty, wrong types, boundary and
malformed dates, huge and negative numbers, choices and garbage, random files), with fields missing, repeated and
unknown ones besides. Whatever is sent, the answer is never a 5xx, and a refusal (a 4xx, the form sent back with
its error summary, or a redirect with an error message) writes nothing: every table but those that record requests
is compared before and after.

The routes are those of the access matrix (tests/security/test_access_matrix.py, which names every route of the URL
map), each posted by the first persona the matrix lets use it, on the matrix's own organisation. Every example
starts from the same database: after one that wrote, the database is put back as it was.

``TEAMOPS_FUZZ_EXAMPLES`` sets the examples per form (10 by default, as in CI; ``make fuzz`` runs 1,000). The runs
are derandomised, so each is the same as the last with the same count; ``TEAMOPS_FUZZ_SEED`` picks others."""

from __future__ import annotations

import html
import os
import re
import shutil
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
import wtforms.form
from flask import Flask
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from wtforms import Field

from teamops.auth.models import UserSession
from teamops.dashboards.figures import forget_figures
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.kept import forget_pages
from tests.conftest import BACKEND, Client, fresh_database, make_app
from tests.factories import PASSWORD
from tests.fuzz.strategies import Upload, hostile_text, leaf_fields, payload, value_strategy
from tests.security.test_access_matrix import (
    ANONYMOUS,
    MATRIX,
    NORTH,
    PERSONAS,
    RECORDS_REQUESTS,
    Visit,
    World,
    _build,
    _url,
    _visits,
    _who,
)

EXAMPLES = int(os.environ.get("TEAMOPS_FUZZ_EXAMPLES", "10"))
SEED = os.environ.get("TEAMOPS_FUZZ_SEED")
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=SEED is None,
                         suppress_health_check=list(HealthCheck), print_blob=True)

# POST routes not fuzzed, each with the reason. Everything else in the URL map that takes POST is.
EXCLUDED = {
    "/sign-out": "takes no fields and ends the session the other examples use; the access matrix checks it",
}
# Posted by someone signed out: the sign-in forms (with a password, or with the council account carrying a form sent
# after the session ended), and setting a password from a link.
SIGNED_OUT_FORMS = {"/sign-in", "/sign-in/sso", "/set-password/<token>"}
NOT_A_REFUSAL = {302, 303}


@dataclass(frozen=True)
class Target:
    rule: str
    visit: Visit
    team: str | None
    persona: str


def _targets() -> list[Target]:
    """Each POST route of the matrix, with the first visit, team and persona the matrix lets use it."""
    found = []
    for (method, rule), entry in sorted(MATRIX.items()):
        if method != "POST" or rule in EXCLUDED:
            continue
        chosen = None
        for visit in _visits(entry):
            for team in visit.teams:
                allowed = [p for p in PERSONAS[1:] if p in _who(visit.allowed, team)]
                if rule in SIGNED_OUT_FORMS:
                    allowed = [ANONYMOUS]
                if allowed and chosen is None:
                    chosen = Target(rule, visit, team, allowed[0])
        assert chosen is not None, f"{rule}: nobody may post it, so nothing can fuzz it"
        found.append(chosen)
    return found


TARGETS = _targets()


def test_every_post_route_is_fuzzed_or_excluded_with_a_reason() -> None:
    app = make_app("sqlite://")
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    fuzzed = {target.rule for target in TARGETS}
    assert posts - fuzzed - EXCLUDED.keys() == set(), "POST routes with no fuzz case: add them to the access matrix"
    assert not fuzzed & EXCLUDED.keys() and EXCLUDED.keys() <= posts, "EXCLUDED names a route fuzzed or gone"
    assert len(fuzzed) >= 100


# The database, put back after each example that wrote -------------------------------------------------------

class Snapshot:
    """The database as the organisation left it, and a way back to it: SQLite's file copied, PostgreSQL's rows."""

    def __init__(self, url: str, directory: Path) -> None:
        self.url = url
        db.session.commit()
        db.session.remove()
        if BACKEND == "sqlite":
            db.engine.dispose()
            self.path = Path(sqlalchemy.engine.make_url(url).database or "")
            self.copy = directory / "snapshot.sqlite"
            shutil.copy(self.path, self.copy)
        else:
            with db.engine.connect() as connection:
                self.rows = {table.name: [dict(row._mapping) for row in connection.execute(sqlalchemy.select(table))]
                             for table in db.metadata.sorted_tables}

    def restore(self) -> None:
        db.session.remove()
        if BACKEND == "sqlite":
            db.engine.dispose()
            shutil.copy(self.copy, self.path)
        else:
            tables = db.metadata.sorted_tables
            with db.engine.begin() as connection:
                connection.execute(sqlalchemy.text("SET LOCAL session_replication_role = replica"))
                connection.execute(sqlalchemy.text(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY"))
                for table in tables:
                    if self.rows[table.name]:
                        connection.execute(table.insert(), self.rows[table.name])
                    for column in table.primary_key.columns:
                        if column.autoincrement is True or (column.autoincrement == "auto"
                                                            and isinstance(column.type, sqlalchemy.Integer)):
                            connection.execute(sqlalchemy.text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))
        keep_sessions_alive()
        forget_figures()
        forget_pages()


def count_writes() -> None:
    """Triggers that count every row written to the tables ``fingerprint`` compares (in ``fuzz_writes``), kept in
    the same transaction as the write: when the count has not moved, nothing was committed and the fingerprint
    need not be taken (it costs as much as the request itself)."""
    watched = [table.name for table in db.metadata.sorted_tables if table.name not in RECORDS_REQUESTS]
    statements = ["CREATE TABLE fuzz_writes (n INTEGER NOT NULL)", "INSERT INTO fuzz_writes (n) VALUES (0)"]
    if BACKEND == "sqlite":
        statements += [f"CREATE TRIGGER fuzz_{name}_{event.lower()} AFTER {event} ON {name} "
                       "BEGIN UPDATE fuzz_writes SET n = n + 1; END"
                       for name in watched for event in ("INSERT", "UPDATE", "DELETE")]
    else:
        statements.append("CREATE FUNCTION fuzz_count() RETURNS trigger LANGUAGE plpgsql AS "
                          "$$ BEGIN UPDATE fuzz_writes SET n = n + 1; RETURN NULL; END $$")
        statements += [f"CREATE TRIGGER fuzz_{name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {name} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION fuzz_count()" for name in watched]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sqlalchemy.text(statement))


def stop_counting_writes() -> None:
    """Removes what ``count_writes`` made: on PostgreSQL the fuzz runs in the test database every later test
    shares (the migration tests compare its schema with the models')."""
    with db.engine.begin() as connection:
        if BACKEND == "sqlite":
            for name, in connection.execute(sqlalchemy.text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fuzz_%'")).all():
                connection.execute(sqlalchemy.text(f"DROP TRIGGER {name}"))
        else:
            connection.execute(sqlalchemy.text("DROP FUNCTION IF EXISTS fuzz_count() CASCADE"))  # and its triggers
        connection.execute(sqlalchemy.text("DROP TABLE IF EXISTS fuzz_writes"))


def writes() -> int:
    count = int(db.session.execute(sqlalchemy.text("SELECT n FROM fuzz_writes")).scalar_one())
    db.session.rollback()
    return count


def keep_sessions_alive() -> None:
    """The personas' sessions as of now, not of the snapshot or the last time each was used: a long run outlasts
    the idle time-out, and every example after it would be answered "signed out" and test nothing."""
    with db.engine.begin() as connection:
        connection.execute(sqlalchemy.update(UserSession).values(created_at=utcnow(), last_seen_at=utcnow()))


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but those that record requests (sessions, the audit trail, failed sign-ins)."""
    found = {}
    for table in db.metadata.sorted_tables:
        if table.name not in RECORDS_REQUESTS:
            found[table.name] = [tuple(row) for row in db.session.execute(
                sqlalchemy.select(table).order_by(*table.primary_key.columns))]
    db.session.rollback()
    return found


# The fuzzing ----------------------------------------------------------------------------------------------

@dataclass
class Fuzz:
    app: Flask
    world: World
    snapshot: Snapshot
    cookies: dict[str, dict[Any, Any]]
    tokens: dict[str, str]
    before: dict[str, list[tuple[Any, ...]]]

    def client(self, persona: str) -> tuple[Client, str]:
        """A client signed in as ``persona`` (as at the start: a new one each time) and its CSRF token."""
        client: Client = self.app.test_client()  # type: ignore[assignment]
        if persona == ANONYMOUS:
            return client, client.csrf_token()
        client._cookies = dict(self.cookies[persona])  # the same session, whatever the last did
        return client, self.tokens[persona]

    def url(self, target: Target) -> str:
        return _url(target.rule, target.visit, {**self.world.shared, **self.world.objects[target.team or NORTH]})


@pytest.fixture(scope="module")
def fuzz(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    directory = tmp_path_factory.mktemp("fuzz")
    with fresh_database(database_template, directory) as url:
        app = make_app(url)
        app.test_client_class = Client
        with app.app_context():
            try:
                world = _build()
                cookies, tokens = {}, {}
                for persona in PERSONAS[1:]:
                    client: Client = app.test_client()  # type: ignore[assignment]
                    response = client.post_form("/sign-in", {"email": world.people[persona].email,
                                                             "password": PASSWORD})
                    assert response.status_code == 303, f"{persona} could not sign in"
                    tokens[persona] = client.csrf_token()
                    cookies[persona] = dict(client._cookies)
                count_writes()
                snapshot = Snapshot(url, directory)
                yield Fuzz(app, world, snapshot, cookies, tokens, fingerprint())
            finally:
                db.session.remove()
                stop_counting_writes()
                db.engine.dispose()


class FormSpy:
    """Notes every WTForms form a request builds, to read its fields."""

    def __init__(self) -> None:
        self.forms: list[wtforms.form.BaseForm] = []
        self.original = wtforms.form.BaseForm.__init__

    def __enter__(self) -> FormSpy:
        spy, original = self, self.original

        def noting(form: wtforms.form.BaseForm, *args: Any, **kwargs: Any) -> None:
            original(form, *args, **kwargs)
            spy.forms.append(form)

        wtforms.form.BaseForm.__init__ = noting  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        wtforms.form.BaseForm.__init__ = self.original  # type: ignore[method-assign]


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
NAMED = re.compile(r"<(?:input|select|textarea|button)\b[^>]*?\bname=\"([^\"]+)\"[^>]*>")
VALUE = re.compile(r"\bvalue=\"([^\"]*)\"")


def page_fields(page: str, path: str) -> dict[str, set[str]]:
    """The names in the page's forms that post to ``path`` (some views read them without a WTForms form), each
    with the values the page offers."""
    found: dict[str, set[str]] = {}
    for attributes, inside in FORM.findall(page):
        action = re.search(r"\baction=\"([^\"]*)\"", attributes)
        if "post" not in attributes.lower() or (action and html.unescape(action[1]).partition("?")[0] != path):
            continue
        for element in NAMED.finditer(inside):
            value = VALUE.search(element[0])
            found.setdefault(html.unescape(element[1]), set()).update([html.unescape(value[1])] if value else [])
    return found


def form_fields(fuzz: Fuzz, target: Target) -> tuple[list[Field], dict[str, set[str]]]:
    """The fields of the forms the route builds when it is posted (and shown, if it has a page), by name; and
    the other names its page's form sends."""
    url = fuzz.url(target)
    client, token = fuzz.client(target.persona)
    page = ""
    with FormSpy() as spy:
        if ("GET", target.rule) in MATRIX:
            response = client.get(url)
            page = response.get_data(as_text=True)
            response.close()
        client.post(url, data={"csrf_token": token}).close()
    fuzz.snapshot.restore()
    fields: dict[str, Field] = {}
    for form in spy.forms:
        for field in leaf_fields(dict(form._fields)):
            fields.setdefault(field.name, field)
    others = {name: values for name, values in page_fields(page, url.partition("?")[0]).items()
              if name not in fields and name != "csrf_token"}
    return list(fields.values()), others


def encode(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The request's body as the client would send it: url-encoded bytes (lone surrogates as the bytes UTF-8
    would give them), or multipart when a file is sent."""
    if any(isinstance(value, Upload) for _, value in pairs):
        data: dict[str, Any] = {}
        for name, value in pairs:
            text = name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            if isinstance(value, Upload):
                data.setdefault(text, []).append(value.file())
            else:
                data.setdefault(text, []).append(value.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
        return {"data": data, "content_type": "multipart/form-data"}
    body = "&".join(f"{urllib.parse.quote_from_bytes(name.encode('utf-8', 'surrogatepass'))}="
                    f"{urllib.parse.quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}" for name, value in pairs)
    return {"data": body, "content_type": "application/x-www-form-urlencoded"}


def _refused(status: int, body: str, client: Client) -> bool:
    """A 4xx; the form sent back with its error summary; or a redirect carrying an error message (a button-only
    action refused: "This audit has been submitted: it can no longer change")."""
    if status in NOT_A_REFUSAL:
        with client.session_transaction() as kept:
            return any(category == "error" for category, _ in kept.get("_flashes", []))
    return status >= 400 or "govuk-error-summary" in body


@pytest.mark.parametrize("target", TARGETS, ids=[target.rule for target in TARGETS])
def test_hostile_values_never_cause_a_5xx_and_a_refusal_writes_nothing(fuzz: Fuzz, target: Target) -> None:
    keep_sessions_alive()
    fields, others = form_fields(fuzz, target)
    described = [(field.name, value_strategy(field), "Date" in type(field).__name__) for field in fields]
    described += [(name, st.one_of(st.sampled_from(sorted(values)), hostile_text) if values else hostile_text, False)
                  for name, values in sorted(others.items())]
    url = fuzz.url(target)

    @FUZZ_SETTINGS
    @given(pairs=payload(described))
    def send(pairs: list[tuple[str, Any]]) -> None:
        client, token = fuzz.client(target.persona)
        written = writes()
        response = client.post(url, **encode([("csrf_token", token), *pairs]))
        try:
            # A download (the subject access ZIP) is not text: read what can be read, for the error summary.
            status, body = response.status_code, response.get_data().decode("utf-8", "replace")
        finally:
            response.close()
        assert status < 500, f"{target.rule} as {target.persona}: {status}"
        assert status != 401 or target.persona == ANONYMOUS, f"{target.persona} was signed out: nothing was tested"
        if writes() == written:
            return  # nothing committed: the tables are as they were
        after = fingerprint()
        changed = [name for name in after if after[name] != fuzz.before[name]]
        if changed:
            fuzz.snapshot.restore()
        assert not (changed and _refused(status, body, client)), (
            f"{target.rule} as {target.persona} refused the form ({status}) but changed {', '.join(changed)}")

    if SEED is not None:
        send = seed(int(SEED))(send)
    send()


def test_the_fuzz_can_see_a_write_and_put_it_back(fuzz: Fuzz) -> None:
    """The checks above can fail: a form that is accepted changes the fingerprint, and restoring undoes it."""
    client, token = fuzz.client("admin")
    written = writes()
    response = client.post("/admin/services/new", data={"csrf_token": token, "name": "Fuzzed service"})
    assert response.status_code == 303
    assert writes() > written
    assert fingerprint() != fuzz.before
    fuzz.snapshot.restore()
    assert fingerprint() == fuzz.before


def test_the_fields_come_from_the_route_s_own_form(fuzz: Fuzz) -> None:
    """The fuzz reads the fields it fills from the forms a route builds (and its page): a spy that saw nothing
    would leave every form fuzzed with extra fields only."""
    target = next(target for target in TARGETS if target.rule == "/cases/new")
    fields, _ = form_fields(fuzz, target)
    kinds = {field.name: type(field).__name__ for field in fields}
    assert {"case_ref": "StringField", "allocated_on": "DateInputField", "worker_id": "SelectField"}.items() \
        <= kinds.items()
    upload = next(target for target in TARGETS if target.rule == "/admin/import")
    assert "FileField" in {type(field).__name__ for field in form_fields(fuzz, upload)[0]}


def test_a_redirect_with_an_error_message_counts_as_a_refusal(fuzz: Fuzz) -> None:
    """A button-only action refused with a message on the page it sends back to is a refusal too: the check above
    then demands that it wrote nothing. A redirect with only a success message is not."""
    client, token = fuzz.client("admin")
    response = client.post("/admin/services/new", data={"csrf_token": token, "name": "Fuzzed service"})
    assert response.status_code == 303 and not _refused(303, "", client)  # "Service added"
    fuzz.snapshot.restore()
    with client.session_transaction() as kept:
        kept["_flashes"] = [("error", "This audit has been submitted: it can no longer change")]
    assert _refused(303, "", client)


def test_a_long_run_keeps_the_personas_signed_in(fuzz: Fuzz) -> None:
    """A run longer than the idle time-out (and a restore of the snapshot, sessions and all) would leave every
    persona signed out, each example answered 401 and nothing tested: the sessions are brought up to now."""
    with db.engine.begin() as connection:
        connection.execute(sqlalchemy.update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=2)))
    keep_sessions_alive()  # without it, signed out (the app's own idle time-out tests show that)
    client, _ = fuzz.client("admin")
    assert client.get("/admin/services/new").status_code == 200
