"""Never losing what someone typed (issue 7 item 6): a form sent after the session ended, or with a security
token that is no longer valid, comes back as hidden fields, first on the sign-in page and then on a page
that sends it again. Nothing is stored on the server, but for the round trip of a single sign-on
(teamops.auth.holding); passwords, tokens and files are never kept."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict

from teamops.web import render

KEPT_PREFIX = "kept__"
KEPT_URL = "kept_url"
NEVER_KEPT = frozenset({"csrf_token", "password", "current_password", "new_password", "confirm_password"})
MAX_KEPT_VALUES = 500


def kept_fields(form: MultiDict[str, str]) -> list[tuple[str, str]]:
    """The fields of a form as sent, in order, without secrets; each value as typed."""
    fields = [(name, value) for name, values in form.lists() if name not in NEVER_KEPT
              and not name.startswith(KEPT_PREFIX) and name != KEPT_URL for value in values]
    return fields[:MAX_KEPT_VALUES]


def carried_fields(form: MultiDict[str, str]) -> list[tuple[str, str]]:
    """The kept fields carried through the sign-in form, with their own names back."""
    return [(name.removeprefix(KEPT_PREFIX), value) for name, values in form.lists()
            if name.startswith(KEPT_PREFIX) for value in values][:MAX_KEPT_VALUES]


def safe_path(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect, and never a broken one. Browsers read a backslash as a
    slash and drop tabs and line breaks, so ``/\\evil.example`` and ``/<tab>/evil.example`` lead off the site;
    a line break cannot go in a Location header at all. Any such character means no path."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not urlsplit(target).netloc):
        return target
    return None


def send_again(action: str, fields: list[tuple[str, str]]) -> Any:
    """"Send your form again", for someone signed in (again), with the form as they typed it."""
    return render("auth/resend.html", action=action, kept=fields, reason="signed_in")
