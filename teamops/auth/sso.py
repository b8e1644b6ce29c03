"""Single sign-on through the council's OpenID Connect provider (for example Microsoft Entra ID, which brings the
council's multi-factor authentication), with Authlib.

The authorisation code flow with PKCE (S256), a state and a nonce, all kept in the signed session cookie until the
provider sends the browser back. Authlib checks the state, swaps the code (with the PKCE verifier) for tokens
over a back channel, and checks the ID token: its signature against the provider's published keys, its issuer,
its audience (this client), its expiry and its nonce. A code is good once: the state that went with it is
removed from the session as it is used, and the provider refuses a code it has already swapped.

Who the person is comes from one claim of the ID token, ``TEAMOPS_OIDC_EMAIL_CLAIM`` (by default ``email``,
which the provider must also mark ``email_verified``; Entra ID's ``preferred_username`` is the account's own
sign-in name, managed by the council, so it is trusted as it is). It must name an active TeamOps account: nobody
registers themselves, and a deactivated account is refused as with a password.

The first sign-on as an account links it to the council account that made it (the ID token's ``sub``, which the
provider never reuses: Entra ID's is per person and application). After that the link decides, not the address:
the linked person still signs in after their address changes, and someone given an address that was once a
colleague's is refused rather than let into the colleague's account. An admin unlinks an account
(``flask teamops unlink-sign-on EMAIL``) when the council has given its owner a new council account.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, redirect, session, url_for
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from requests import RequestException
from sqlalchemy import case, delete, false, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from teamops.audit.services import record_event
from teamops.auth.models import UserSession
from teamops.auth.services import ACTOR_LABEL_MAX
from teamops.calendars import base_url
from teamops.config import Config
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import EMAIL_MAX, Staff

log = logging.getLogger(__name__)

EXTENSION = "teamops.sso"
NAME = "council"
SCOPES = "openid email profile"
SSO_SESSION = "sso"  # in the session cookie: this session was started by single sign-on
LEEWAY_SECONDS = 60  # clock difference allowed with the provider when checking the ID token's times
STARTS_IN_PROGRESS = 3  # sign-ons one browser may have started and not finished (the newest; tabs)

# What the sign-in page says, by why the sign-on did not sign anyone in. Never the provider's own words: they may
# carry whatever an attacker put in the address.
REFUSED = {
    "provider": "Signing in with your council account did not work. Try again; if it keeps failing, tell the "
                "TeamOps admins.",
    "denied": "Your council account did not let TeamOps sign you in. Try again.",
    "unverified": "Your council account did not give TeamOps a verified e-mail address, so it cannot tell who you "
                  "are. Ask the TeamOps admins.",
    "unknown": "There is no TeamOps account for {email}. Ask your team manager or a TeamOps admin to add you.",
    "inactive": "The TeamOps account for {email} is not active. Ask your team manager or a TeamOps admin.",
    "linked": "The TeamOps account for {email} is linked to a different council account. If you have been given "
              "a new council account, ask a TeamOps admin to unlink the old one.",
}

# Refusals before anyone was identified: whoever is at the browser may try again with what they had typed.
TRY_AGAIN = frozenset({"provider", "denied"})


@dataclass(frozen=True)
class Outcome:
    """Who signed in (with the provider's session id and subject), or why nobody did (a key of ``REFUSED``, with
    the address the provider gave when known)."""

    staff: Staff | None
    reason: str = ""
    email: str = ""
    identity: tuple[str | None, str | None] = (None, None)

    @property
    def message(self) -> str:
        return REFUSED[self.reason].format(email=self.email)


def init_app(app: Flask, settings: Config) -> None:
    """Registers the provider when single sign-on is configured. Its discovery document and keys are fetched the
    first time someone signs in, then kept for the life of the process."""
    if not settings.oidc_issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        NAME,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "timeout": 10},
    )
    app.extensions[EXTENSION] = oauth.create_client(NAME)


PASSWORDS_OFF = "TeamOps uses the council's single sign-on: there are no TeamOps passwords to set or change."


def enabled() -> bool:
    """Whether single sign-on is configured (the sign-in page offers it)."""
    return EXTENSION in current_app.extensions


def passwords_on() -> bool:
    """Whether local passwords may be used (``TEAMOPS_LOCAL_PASSWORDS``): off, single sign-on is the only way in,
    and no page signs anyone in, sets or changes a password."""
    return bool(current_app.config["TEAMOPS"].local_passwords)


def issuer_origin(settings: Config) -> str | None:
    """The provider's scheme and host, for the content security policy: sign-out ends at the provider."""
    if not settings.oidc_issuer:
        return None
    parts = urlsplit(settings.oidc_issuer)
    return f"{parts.scheme}://{parts.netloc}"


def _client() -> Any:
    return current_app.extensions[EXTENSION]


def _callback_url() -> str:
    """Where the provider sends the browser back: TeamOps's public address (TEAMOPS_BASE_URL), as registered with
    the provider, whatever host name this request came in on."""
    return base_url() + url_for("auth.sso_callback")


def start() -> Response | None:
    """Sends the browser to the provider, with a fresh state, nonce and PKCE verifier kept in the session; None
    when the provider's discovery document cannot be had (the provider is down or out of reach)."""
    _forget_older_starts()
    try:
        return cast(Response, _client().authorize_redirect(_callback_url()))
    except (RequestException, ValueError, KeyError, RuntimeError) as error:
        log.warning("Single sign-on could not start: %s: %s", type(error).__name__, error)
        return None


def _forget_older_starts() -> None:
    """Authlib keeps each start's state in the session cookie for an hour (about 180 bytes each). Pressed again and
    again, the cookie would pass the 4 KB browsers keep, and they would drop it: no sign-on could finish. Only the
    newest few stay, enough for sign-ons started in several tabs at once."""
    prefix = f"_state_{NAME}_"
    started = sorted((key for key in session if key.startswith(prefix)),
                     key=lambda key: float((session[key] or {}).get("exp") or 0))
    for key in started[:max(0, len(started) - (STARTS_IN_PROGRESS - 1))]:
        session.pop(key)


def finish() -> Outcome:
    """Completes the sign-on the provider sent the browser back from. Any failure (a wrong or reused state, a
    refused or replayed code, an ID token with the wrong signature, issuer, audience, nonce or times, or the
    provider out of reach) signs nobody in; the detail is logged, never shown."""
    settings: Config = current_app.config["TEAMOPS"]
    try:
        token = _client().authorize_access_token(
            leeway=LEEWAY_SECONDS,
            claims_options={"iss": {"essential": True, "value": _issuer(settings)}})
    except OAuthError as error:
        if error.error == "access_denied":
            return _refused("denied", f"the provider refused: {error.error}")
        return _refused("provider", f"{type(error).__name__}: {error.error}")
    except (JoseError, RequestException, ValueError, KeyError, RuntimeError) as error:
        return _refused("provider", f"{type(error).__name__}: {error}")
    claims = token.get("userinfo")
    if not claims:  # no ID token: nothing says who this is
        return _refused("provider", "the token answer had no ID token")
    return _match(claims, settings)


def _issuer(settings: Config) -> str:
    """The issuer as configured, which must be exactly the provider's (Entra ID's has no closing slash, some
    providers' have one): the ID and logout tokens' ``iss`` is compared with it character for character."""
    return settings.oidc_issuer or ""


def _match(claims: dict[str, Any], settings: Config) -> Outcome:
    claim = settings.oidc_email_claim
    value = claims.get(claim)
    if not isinstance(value, str) or "@" not in value:
        return _refused("unverified", f"no address in the {claim} claim")
    email = value.strip().lower()
    if len(email) > EMAIL_MAX:  # no account has one this long: not cut down to match someone else's
        return _refused("unverified", f"an address of {len(email)} characters in the {claim} claim")
    if claim == "email" and claims.get("email_verified") is not True:
        return _refused("unverified", "email_verified is not true", email)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not 0 < len(sub) <= SUB_MAX:  # every ID token has one (OpenID Connect Core 2)
        return _refused("provider", "the ID token had no usable sub", email)
    subject = subject_link(_issuer(settings), sub)
    # The account this council account signed in as before, whatever its address is now; else the address's.
    staff = db.session.scalar(select(Staff).where(or_(Staff.sso_subject == subject, Staff.email == email))
                              .order_by(case((Staff.sso_subject == subject, 0), else_=1)).limit(1))
    if staff is None:
        record_event("sign_in_failed", f"single sign-on for {email}: no such account", actor_label=_label(email))
        return Outcome(None, "unknown", email)
    if staff.sso_subject not in (None, subject):
        return _linked_elsewhere(staff, email)
    if not staff.active:
        record_event("sign_in_failed", f"single sign-on for {email}: account not active",
                     actor_label=_label(email), entity="staff", entity_id=staff.id)
        return Outcome(None, "inactive", staff.email)
    if staff.sso_subject is None and not _link(staff, subject):
        return _linked_elsewhere(staff, email)
    return Outcome(staff, identity=identity(claims))


def _linked_elsewhere(staff: Staff, email: str) -> Outcome:
    record_event("sign_in_failed", f"single sign-on for {email}: the account is linked to another council "
                 "account", actor_label=_label(email), entity="staff", entity_id=staff.id)
    return Outcome(None, "linked", email)


def _link(staff: Staff, subject: str) -> bool:
    """Links the account to this council account from now on; False, linking nothing, when another sign-on did
    first since the account was read: two council accounts with one address signing on for the first time at
    the same instant (the row's lock makes the later one find the link), or this council account linked to
    another account meanwhile (the unique constraint). Only the first gets in."""
    try:
        result = db.session.execute(
            update(Staff).where(Staff.id == staff.id, or_(Staff.sso_subject.is_(None), Staff.sso_subject == subject))
            .values(sso_subject=subject).execution_options(synchronize_session=False))
    except IntegrityError:
        db.session.rollback()  # nothing else is written in the callback before the link: nothing else is lost
        return False
    if int(getattr(result, "rowcount", 0) or 0) != 1:
        return False
    staff.sso_subject = subject  # as the session knows it: the audit trail records the link (its value hidden)
    return True


SUB_MAX = 255  # OpenID Connect Core 2: a subject is at most 255 ASCII characters


def subject_link(issuer: str, sub: str) -> str:
    """What an account keeps to know its council account: ``sub`` is unique only within its issuer, so both, as a
    SHA-256 (a new provider or tenant, whose subjects may repeat an old one's, links nobody by chance)."""
    return hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()


def _label(email: str) -> str:
    """The "who" of a refused sign-on in the audit trail: only what the provider said, marked so."""
    return f"sso: {email}"[:ACTOR_LABEL_MAX] if email else "sso"


def _refused(reason: str, detail: str, email: str = "") -> Outcome:
    log.warning("Single sign-on refused: %s", detail)
    record_event("sign_in_failed", f"single sign-on refused ({reason})"
                 + (f" for {email}" if email else ""), actor_label=_label(email))
    return Outcome(None, reason, email)


def mark_session() -> None:
    """Called once the TeamOps session has started: signing out will also end the provider's session."""
    session[SSO_SESSION] = True


def sign_out_redirect() -> Response | None:
    """After TeamOps's own session has ended, the provider's sign-out page (RP-initiated logout), which ends the
    council session too and sends the browser back to TeamOps's sign-in page; None when this session did not come
    from single sign-on, or the provider has no sign-out page."""
    if not enabled():
        return None
    client = _client()
    try:
        metadata = client.load_server_metadata()
    except (RequestException, ValueError) as error:
        log.warning("Single sign-out skipped: the provider is out of reach (%s)", type(error).__name__)
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    # Not Authlib's logout_redirect: it would keep a state in the session this sign-out has just emptied, for a
    # return TeamOps does not check (the sign-in page is where anyone may land).
    logout = client.create_logout_url(post_logout_redirect_uri=base_url() + url_for("auth.sign_in"),
                                      client_id=client.client_id)
    return redirect(logout["url"])


# Back-channel logout (OpenID Connect Back-Channel Logout 1.0) ------------------------------------------------

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_MAX_AGE = 300  # seconds: an older logout token is not acted on (it could be a replay)


def identity(claims: dict[str, Any]) -> tuple[str | None, str | None]:
    """The provider's session id (``sid``, when it sends one) and subject (``sub``) of an ID token, kept with the
    TeamOps session so that the provider can end it later."""
    sid, sub = claims.get("sid"), claims.get("sub")
    return (str(sid)[:255] if sid else None, str(sub)[:255] if sub else None)


def end_sessions_from_provider(logout_token: str) -> int | None:
    """Ends the TeamOps sessions a logout token from the provider names: by its ``sid`` (one sign-on session) or,
    without one, by its ``sub`` (every session of that person that came from single sign-on). None, changing
    nothing, when the token is not one: a bad signature, another issuer or audience, not a logout event, a
    ``nonce`` (which only ID tokens carry), no ``sid`` or ``sub``, or older than five minutes."""
    settings: Config = current_app.config["TEAMOPS"]
    client = _client()
    try:
        metadata = client.load_server_metadata()
        # Signed, with a public key: never "none" (unsigned) nor a shared-secret HMAC, whatever the provider lists.
        algorithms = [name for name in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
                      if name != "none" and not name.startswith("HS")] or ["RS256"]
        try:
            token = jwt.decode(logout_token, KeySet.import_key_set(client.fetch_jwk_set()), algorithms=algorithms)
        except InvalidKeyIdError:  # the provider has rotated its keys since they were fetched
            token = jwt.decode(logout_token, KeySet.import_key_set(client.fetch_jwk_set(force=True)),
                               algorithms=algorithms)
        jwt.JWTClaimsRegistry(leeway=LEEWAY_SECONDS, iss={"essential": True, "value": _issuer(settings)},
                              aud={"essential": True, "value": settings.oidc_client_id or ""},
                              iat={"essential": True}).validate(token.claims)
    except (JoseError, RequestException, ValueError, KeyError, TypeError) as error:
        log.warning("Back-channel logout refused: %s: %s", type(error).__name__, error)
        return None
    claims = token.claims
    events = claims.get("events")
    sid, sub = identity(claims)
    issued = claims.get("iat")
    if (not isinstance(events, dict) or LOGOUT_EVENT not in events or "nonce" in claims or not (sid or sub)
            or not isinstance(issued, int | float) or issued < _now() - LOGOUT_TOKEN_MAX_AGE - LEEWAY_SECONDS):
        log.warning("Back-channel logout refused: not a current logout token")
        return None
    # By the provider's session when it names one (a session stored without one goes by the person instead).
    by_person = (UserSession.sso_sub == sub) & UserSession.sso_sid.is_(None) if sub else false()
    named = or_(UserSession.sso_sid == sid, by_person) if sid else UserSession.sso_sub == sub
    staff_ids = set(db.session.scalars(select(UserSession.staff_id).where(named)))
    db.session.execute(delete(UserSession).where(named))
    for staff_id in sorted(staff_ids):
        record_event("sign_out", "signed out by the council's single sign-on (back-channel logout)",
                     actor_label="sso", entity="staff", entity_id=staff_id)
    return len(staff_ids)


def _now() -> float:
    return utcnow().timestamp()
