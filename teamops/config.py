"""Configuration: one typed, frozen object built from defaults, the instance folder, then the environment.

Every value from ``instance/teamops.cfg`` and from TEAMOPS_* variables is text; it is converted here by its
field's type and checked, so a typo or a bad value stops the app at start-up with a message naming the key,
instead of surfacing later as a string compared with a number on every signed-in request, or as a setting
that was silently never read.
"""

from __future__ import annotations

import difflib
import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

DEV_ENVIRONMENTS = {"development", "testing"}
ENVIRONMENTS = ("production", "development", "testing")
ENV_PREFIX = "TEAMOPS_"
SESSION_COOKIE = "teamops_session"

# TEAMOPS_* variables that are not settings, so they are not refused: the create-admin command's password,
# and the test suite's and CI's switches. Anything else with the prefix must name a Config field.
NOT_SETTINGS = frozenset({
    "TEAMOPS_ADMIN_PASSWORD",
    "TEAMOPS_TEST_DATABASE",
    "TEAMOPS_REQUIRE_FULL_SUITE",
    "TEAMOPS_FUZZ_EXAMPLES",
    "TEAMOPS_FUZZ_SEED",
})

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})

# Checks beyond the type, kept beside the field in its metadata: "at_least"/"at_most" for numbers,
# "choices" for text with a fixed set of values.
POSITIVE = {"at_least": 1}


class ConfigError(ValueError):
    """A setting TeamOps will not start with: an unknown key, a malformed line or a value of the wrong kind."""


@dataclass(frozen=True)
class Config:
    """Every setting TeamOps reads. Names match CONTRACT.md "Configuration" without the TEAMOPS_ prefix."""

    database_url: str
    secret_key: str
    base_url: str = "http://127.0.0.1:5000"
    environment: str = field(default="production", metadata={"choices": ENVIRONMENTS})
    mail_from: str = "teamops@localhost"
    smtp_host: str | None = None
    smtp_port: int = field(default=25, metadata={"at_least": 1, "at_most": 65535})
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    # None: the sign-in throttle counts failures in the database, which every worker and app server shares.
    # A `limits` storage URL (redis://, memcached://, memory:// for one process) moves them there instead.
    ratelimit_storage_url: str | None = None
    idle_timeout_minutes: int = field(default=30, metadata=POSITIVE)
    absolute_timeout_hours: int = field(default=10, metadata=POSITIVE)
    max_upload_bytes: int = field(default=5 * 1024 * 1024, metadata=POSITIVE)
    # How long a supervision record's content is kept after the last case it discussed closed (issue 16 item 6):
    # the purge-records command removes it after that many months. At most 100 years: a typo of extra digits
    # is refused rather than read as "keep for ever".
    record_retention_months: int = field(default=12, metadata={"at_least": 1, "at_most": 1200})
    # How many reverse proxies in front set X-Forwarded-For/-Proto; create_app trusts exactly that many hops.
    trusted_proxies: int = field(default=0, metadata={"at_least": 0})
    # Single sign-on (teamops.auth.sso): all three OIDC settings, or none. With it, TEAMOPS_LOCAL_PASSWORDS=off
    # leaves the council's sign-on as the only way in. The e-mail claim is an addition to CONTRACT.md.
    local_passwords: bool = True
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_email_claim: str = "email"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def https(self) -> bool:
        """Whether TeamOps is served over HTTPS (its public URL says so): then the session cookie is
        ``Secure`` and ``__Host-`` prefixed and every response sends HSTS. Over plain http (development on
        127.0.0.1) a Secure cookie would never come back, so both depend on this and not on the environment."""
        return self.base_url.lower().startswith("https://")

    def flask_settings(self) -> dict[str, Any]:
        """The subset Flask and its extensions read from ``app.config``.

        Over HTTPS the session cookie is named ``__Host-teamops_session``: browsers accept a ``__Host-`` cookie
        only when it is Secure, for path ``/`` and without a Domain, so no sibling subdomain (or a plain-http
        page on this one) can plant or overwrite it. The prefix needs Secure, so plain http keeps the bare name.
        """
        secure = self.https
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            # Not pool_pre_ping: a connection is tested only after waiting idle (teamops.PING_AFTER_IDLE_SECONDS).
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": secure,
            "SESSION_COOKIE_NAME": ("__Host-" if secure else "") + SESSION_COOKIE,
            "SESSION_COOKIE_PATH": "/",
            "SESSION_COOKIE_DOMAIN": None,
            "MAX_CONTENT_LENGTH": self.max_upload_bytes,
            "WTF_CSRF_TIME_LIMIT": None,
            "WTF_CSRF_SSL_STRICT": secure,
            "TESTING": self.environment == "testing",
            **self.extra,
        }


OPTIONAL_TEXT = str | None
SUPPORTED_TYPES: tuple[object, ...] = (str, OPTIONAL_TEXT, int, bool)

# The settings, derived from the dataclass so a new field is readable from the file and the environment
# without another list to keep in step. ``extra`` is not a setting: it carries Flask keys from code.
SETTINGS: dict[str, Any] = {
    name: kind for name, kind in get_type_hints(Config).items() if name != "extra"
}
FIELDS = {item.name: item for item in fields(Config)}


def _check_field_types() -> None:
    """Fails at import when a field has a type ``_from_text`` cannot read, rather than misreading it later."""
    for name, kind in SETTINGS.items():
        if kind not in SUPPORTED_TYPES:
            raise TypeError(f"Config.{name}: load_config cannot read a {kind} from text; teach _from_text first")


_check_field_types()


def _expected(name: str) -> str:
    """What a setting accepts, in words, for error messages."""
    kind, rules = SETTINGS[name], FIELDS[name].metadata
    if kind is bool:
        return "one of true/false, yes/no, on/off, 1/0"
    if kind is int:
        low, high = rules.get("at_least"), rules.get("at_most")
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        if low is not None:
            return f"a whole number of at least {low}"
        return "a whole number"
    if "choices" in rules:
        return "one of " + ", ".join(rules["choices"])
    return "text" if kind is str else "text, or empty for unset"


def _refuse(label: str, name: str, value: object) -> ConfigError:
    # Echoing the value is safe: only numbers, switches and fixed choices can be refused, never a secret.
    return ConfigError(f"{label} must be {_expected(name)}, not {value!r}")


def _from_text(name: str, text: str, label: str) -> object:
    """Converts text from the file, the environment or code by the field's type, or refuses it."""
    kind = SETTINGS[name]
    if kind is bool:
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise _refuse(label, name, text)
    if kind is int:
        try:
            return int(text.strip())
        except ValueError:
            raise _refuse(label, name, text) from None
    if kind == OPTIONAL_TEXT and text == "":
        return None
    if text == "":
        raise _refuse(label, name, text)
    return text


def _convert(name: str, value: object, label: str) -> object:
    """One setting's value, typed and checked; ``label`` names where it came from for the error message."""
    kind, given = SETTINGS[name], value
    if isinstance(value, str):
        value = _from_text(name, value, label)
    elif kind is bool:
        if not isinstance(value, bool):
            raise _refuse(label, name, value)
    elif kind is int:
        if not isinstance(value, int) or isinstance(value, bool):  # True is an int to Python, not to us
            raise _refuse(label, name, value)
    elif not (value is None and kind == OPTIONAL_TEXT):
        raise _refuse(label, name, value)
    rules = FIELDS[name].metadata
    if isinstance(value, bool) or not isinstance(value, int):
        in_range = True
    else:
        in_range = rules.get("at_least", value) <= value <= rules.get("at_most", value)
    if not in_range or ("choices" in rules and value not in rules["choices"]):
        raise _refuse(label, name, given)
    return value


def _unknown(key: str, known: list[str]) -> str:
    """The "not a setting" message, with the nearest real name: most unknown keys are typos."""
    message = f"{key} is not a TeamOps setting"
    guess = difflib.get_close_matches(key, known, n=1)
    return f"{message} (did you mean {guess[0]}?)" if guess else message


def _unquote(value: str) -> str:
    """Strips one pair of matching quotes: Flask-style cfg files are Python, where strings are quoted."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _from_file(cfg_file: Path) -> dict[str, object]:
    """``key = value`` lines (any case, no TEAMOPS_ prefix); blank lines and ``#`` lines are skipped.

    An empty value means unset, so the default applies. Whole-line comments only: a ``#`` inside a value is
    kept, because URLs and passwords may contain one.
    """
    values: dict[str, object] = {}
    for number, line in enumerate(cfg_file.read_text().splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = f"{cfg_file} line {number}"
        if "=" not in stripped:
            # The line itself is not echoed: it may be a secret written with the wrong separator.
            raise ConfigError(f"{where}: expected a KEY = value line, a # comment or a blank line")
        key, _, raw = stripped.partition("=")
        name = key.strip().lower()
        if name not in SETTINGS:
            hint = " (write keys without the TEAMOPS_ prefix)" if name.startswith("teamops_") else ""
            raise ConfigError(f"{where}: {_unknown(name, list(SETTINGS))}{hint}")
        text = _unquote(raw.strip())
        if text:
            values[name] = _convert(name, text, f"{where}: {name}")
    return values


def _from_environment() -> dict[str, object]:
    """Every TEAMOPS_<FIELD> variable; an empty one means unset. Unknown TEAMOPS_* variables are refused."""
    values: dict[str, object] = {}
    known = [ENV_PREFIX + name.upper() for name in SETTINGS]
    for variable, text in sorted(os.environ.items()):
        if not variable.startswith(ENV_PREFIX) or variable in NOT_SETTINGS:
            continue
        name = variable.removeprefix(ENV_PREFIX).lower()
        if variable not in known:
            raise ConfigError(_unknown(variable, known))
        if text:
            values[name] = _convert(name, text, variable)
    return values


def _from_code(overrides: dict[str, Any]) -> tuple[dict[str, object], dict[str, Any]]:
    """Settings passed to ``create_app`` (lower-case field names, typed or text) and Flask keys (UPPER-CASE).

    Tests and tools set Flask-level keys such as ``WTF_CSRF_ENABLED`` this way; they pass through to
    ``app.config`` unchecked. An upper-case key that is also a setting's name is refused, so it is never
    unclear which of the two was meant.
    """
    values: dict[str, object] = {}
    flask_keys: dict[str, Any] = {}
    for key, value in overrides.items():
        if key in SETTINGS:
            values[key] = _convert(key, value, f"create_app setting {key}")
        elif key.isupper() and key.lower() not in SETTINGS:
            flask_keys[key] = value
        elif key.isupper():
            raise ConfigError(f"{key} is a TeamOps setting: pass it to create_app as {key.lower()}")
        else:
            raise ConfigError(_unknown(key, list(SETTINGS)) + " (Flask keys are UPPER-CASE)")
    return values, flask_keys


def _development_secret(instance_path: Path) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then ``instance/teamops.cfg`` (KEY = value lines), then TEAMOPS_* variables, then overrides.

    Raises ConfigError for an unknown key or a bad value in any of them, and RuntimeError when no secret key
    is set outside development and testing (a generated one would sign sessions no other server accepts).
    """
    values: dict[str, Any] = {}
    cfg_file = instance_path / "teamops.cfg"
    if cfg_file.exists():
        values.update(_from_file(cfg_file))
    values.update(_from_environment())
    from_code, flask_keys = _from_code(overrides or {})
    values.update(from_code)

    environment = str(values.get("environment", "production"))
    if "database_url" not in values:
        values["database_url"] = f"sqlite:///{instance_path / 'teamops.sqlite'}"
    if "secret_key" not in values:
        if environment not in DEV_ENVIRONMENTS:
            raise RuntimeError(
                "TEAMOPS_SECRET_KEY must be set outside development "
                "(set TEAMOPS_ENVIRONMENT=development to generate one for local use)."
            )
        values["secret_key"] = _development_secret(instance_path)
    settings = Config(**values, extra=flask_keys)
    _check_sign_on(settings)
    return settings


def _check_sign_on(settings: Config) -> None:
    """Single sign-on is all three OIDC settings or none; its provider is reached over https (plain http only for
    development and the tests); and local passwords can be off only when there is another way in."""
    given = {name: bool(getattr(settings, name)) for name in ("oidc_issuer", "oidc_client_id", "oidc_client_secret")}
    if any(given.values()) and not all(given.values()):
        missing = ", ".join(f"{ENV_PREFIX}{name.upper()}" for name, value in given.items() if not value)
        raise ConfigError(f"Single sign-on needs {ENV_PREFIX}OIDC_ISSUER, {ENV_PREFIX}OIDC_CLIENT_ID and "
                          f"{ENV_PREFIX}OIDC_CLIENT_SECRET together: {missing} is not set.")
    issuer = settings.oidc_issuer or ""
    if issuer and not issuer.lower().startswith("https://") and not (
            settings.environment in DEV_ENVIRONMENTS and issuer.lower().startswith("http://")):
        raise ConfigError(f"{ENV_PREFIX}OIDC_ISSUER must be an https:// address (got {issuer!r}).")
    if not settings.local_passwords and not issuer:
        raise ConfigError(f"{ENV_PREFIX}LOCAL_PASSWORDS=off needs single sign-on ({ENV_PREFIX}OIDC_ISSUER, "
                          f"{ENV_PREFIX}OIDC_CLIENT_ID and {ENV_PREFIX}OIDC_CLIENT_SECRET): nobody could sign in.")
