"""The shared web layer every domain's routes use: one way to render a page or its fragment, to page a list,
to load a row or answer 404, to redirect after a form, and to tell the page that supervision data changed.

Routes never read htmx headers themselves: ``render`` decides page or fragment from ``request.htmx``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from flask import Flask, Response, abort, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from htmx_flask.requests import HtmxHeaders
from sqlalchemy import func, select
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql import Select
from werkzeug.routing import IntegerConverter, Map
from wtforms import Field
from wtforms.validators import Length

from teamops.access import can
from teamops.dates import LONDON, month_start
from teamops.extensions import db
from teamops.navigation import navigation
from teamops.types import MAX_ID

T = TypeVar("T")

PER_PAGE = 25
# The HX-Trigger event after which the dashboards' tables refresh themselves (they also poll every minute).
SUPERVISION_CHANGED = "supervision-changed"
# Sent by requests the page makes by itself (a dashboard refreshing): not someone's activity, so they do not
# keep an unattended screen signed in.
BACKGROUND_HEADER = "X-TeamOps-Background"


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of the page. A history restore (Back after htmx changed the
    address) and a boosted link need the whole page."""
    htmx: HtmxHeaders = request.htmx  # type: ignore[attr-defined]  # htmx-flask's request class
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def render(page: str, fragment: str | None = None, /, *, status: int = 200, **values: Any) -> ResponseReturnValue:
    """The whole page, or for htmx only the fragment that the page itself includes (one source of markup)."""
    template = fragment if fragment is not None and wants_fragment() else page
    return render_template(template, **values), status


def form_status() -> int:
    """200 for a form shown, 400 for a form sent back with its errors."""
    return 400 if request.method == "POST" else 200


def month_in_url(text: str) -> date:
    """The month in an address (``2026-03``); 404 for anything else (2026-13 is no month)."""
    try:
        return month_start(text)
    except ValueError:
        abort(404)


def see_other(url: str) -> ResponseReturnValue:
    """After a successful form: 303, so a reload does not send the form again (htmx follows it too)."""
    return redirect(url, 303)


def go_to(url: str) -> ResponseReturnValue:
    """Sends the whole window to ``url``: ``HX-Redirect`` for an htmx request (which would otherwise swap a
    whole page into a fragment), a 303 otherwise."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def changed(url: str) -> Response:
    """After a write that changed supervision data: a 303 that also tells an htmx page to refresh its
    dashboards."""
    return announce(see_other(url))


def announce(value: ResponseReturnValue, event: str = SUPERVISION_CHANGED) -> Response:
    """Answers an htmx write with the event that tells the page's dashboards to refresh at once."""
    response = make_response(value)
    if wants_fragment():
        response.headers["HX-Trigger"] = event
    return response


def get_or_404(model: type[T], key: int | str | None, options: Sequence[ORMOption] = ()) -> T:
    """The row, or 404. Ids too large for the database are simply not found. ``options`` load what the page
    reads with it (``joinedload``), in the same query."""
    if key is None or (isinstance(key, int) and not 0 < key <= MAX_ID):
        abort(404)
    obj = db.session.get(model, key, options=options)
    if obj is None:
        abort(404)
    return obj


def page_number(raw: str | None) -> int:
    """The ``?page=`` argument as a page number: anything but a plain, sane positive number means page 1
    (``isdigit`` alone would let ``²`` through to ``int``, which refuses it)."""
    value = raw or "1"
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 7 else 1


@dataclass(frozen=True)
class Page:
    """One page of a list, with what the results summary and the pagination links need. ``keys`` are the query
    arguments the list reads (its filter form's fields): the links to other pages carry those and no others."""

    items: list[Any]
    page: int
    per_page: int
    total: int
    keys: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


def paginate(query: Select[Any], number: int, per_page: int = PER_PAGE, keys: Sequence[str] = ()) -> Page:
    """A page of ``query`` (which must have a stable order); a page past the end shows the last one. ``keys``:
    the query arguments the list reads besides ``page`` (see ``filter_keys``)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, page=number, per_page=per_page, total=total, keys=tuple(keys))


def paginate_list(rows: list[Any], number: int, per_page: int = PER_PAGE, keys: Sequence[str] = ()) -> Page:
    """A page of rows already in memory (lists sorted by a derived value, such as cases by due date)."""
    pages = max(1, -(-len(rows) // per_page))
    number = min(max(1, number), pages)
    return Page(items=rows[(number - 1) * per_page: number * per_page], page=number, per_page=per_page,
                total=len(rows), keys=tuple(keys))


def filter_keys(form: Any) -> tuple[str, ...]:
    """The query arguments a list's filter form reads: what its page links carry over (a date's three boxes
    included)."""
    return tuple(name for field in form for name in (field.name, *getattr(field, "part_names", ())))


def page_url(page: Page, number: int) -> str:
    """The address of page ``number`` of the list on screen: its own endpoint, with the list's own query
    arguments (``page.keys``) as they are now.

    Only declared keys are copied: ``url_for`` reads ``_external``, ``_scheme``, ``_anchor`` and ``_method`` as
    its own arguments, so copying the whole query string let ``?_method=x`` fail the page (500) and
    ``?_external=1&_scheme=javascript`` build links to another scheme and host."""
    values: dict[str, Any] = {key: request.args.getlist(key) for key in page.keys
                              if key in request.args and not key.startswith("_") and key != "page"}
    values.update(request.view_args or {})
    values["page"] = number
    return url_for(str(request.endpoint), **values)


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: a whole number an id column can hold, else the address matches no route and
    the answer is 404. Without the bound, a number beyond ``MAX_ID`` reached the query and PostgreSQL failed it
    ("integer out of range": 500)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def format_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def format_short_date(value: date | None) -> str:
    """For dense tables (issue 10 item 5): "24 Nov 2026"."""
    return value.strftime("%-d %b %Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """Local (UK) time for people; stored values stay UTC."""
    return value.astimezone(LONDON).strftime("%-d %B %Y, %H:%M") if value else ""


def field_attributes(field: Field, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The HTML attributes a form field needs besides GOV.UK's own: aria-invalid when it has an error, and
    required. No maxlength: the browser would cut a pasted text silently; text over the limit is an error next
    to the field instead (issue 10 item 6), and a text area shows a character count (``length_limit``)."""
    attributes = dict(extra or {})
    if field.errors:
        attributes["aria-invalid"] = "true"
    if field.flags.required:
        attributes["required"] = ""
    return attributes


def length_limit(field: Field) -> int | None:
    """The most characters the field's Length validator allows, if it has one."""
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            return int(validator.max)
    return None


_WTFORMS_TOO_LONG = re.compile(r"^Field cannot be longer than (\d+) characters?\.$")
_WTFORMS_LENGTH = re.compile(r"^Field must be (?:between|at least) .*characters? long\.$")


def error_message(field: Field) -> str:
    """The field's first error, in GOV.UK's words where WTForms' own would show ("Field cannot be longer than
    200 characters." becomes "Place must be 200 characters or fewer")."""
    message = str(field.errors[0]) if field.errors else ""
    too_long = _WTFORMS_TOO_LONG.match(message)
    if too_long:
        return f"{field.label.text} must be {too_long.group(1)} characters or fewer"
    if _WTFORMS_LENGTH.match(message):
        limit = length_limit(field)
        return f"{field.label.text} must be {limit} characters or fewer" if limit else message
    return message


# The one wording of the date and time hints (issue 10 item 7), on every page with a date or a time.
DATE_EXAMPLE = "For example, 27 3 2026"
TIME_EXAMPLE = "Use the 24-hour clock, for example 14:30"


def init_app(app: Flask) -> None:
    """What every template can use: date formats, the policy check, the main menu and page links. Also the
    bounded ``int`` URL converter, which must be in place before any blueprint adds its routes."""
    app.url_map.converters["int"] = IdConverter
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["short_date"] = format_short_date
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["field_attributes"] = field_attributes
    app.jinja_env.globals["length_limit"] = length_limit
    app.jinja_env.globals["error_message"] = error_message
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["DATE_EXAMPLE"] = DATE_EXAMPLE
    app.jinja_env.globals["TIME_EXAMPLE"] = TIME_EXAMPLE
    app.jinja_env.globals["idle_timeout_seconds"] = lambda: app.config["TEAMOPS"].idle_timeout_minutes * 60
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
