"""Configuration: one typed, frozen object built from defaults, the instance folder, then the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEV_ENVIRONMENTS = {"development", "testing"}


@dataclass(frozen=True)
class Config:
    """Every setting TeamOps reads. Names match CONTRACT.md "Configuration" without the TEAMOPS_ prefix."""

    database_url: str
    secret_key: str
    base_url: str = "http://127.0.0.1:5000"
    environment: str = "production"
    mail_from: str = "teamops@localhost"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    ratelimit_storage_url: str = "memory://"
    idle_timeout_minutes: int = 30
    absolute_timeout_hours: int = 10
    max_upload_bytes: int = 5 * 1024 * 1024
    extra: dict[str, Any] = field(default_factory=dict)

    def flask_settings(self) -> dict[str, Any]:
        """The subset Flask and its extensions read from ``app.config``."""
        secure = self.base_url.startswith("https://")
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": secure,
            "SESSION_COOKIE_NAME": "teamops_session",
            "MAX_CONTENT_LENGTH": self.max_upload_bytes,
            "WTF_CSRF_TIME_LIMIT": None,
            "WTF_CSRF_SSL_STRICT": secure,
            "TESTING": self.environment == "testing",
            **self.extra,
        }


def _env(name: str) -> str | None:
    value = os.environ.get(f"TEAMOPS_{name}", "")
    return value or None


def _development_secret(instance_path: Path) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then ``instance/teamops.cfg`` (KEY = value lines), then TEAMOPS_* variables, then overrides."""
    values: dict[str, Any] = {}
    cfg_file = instance_path / "teamops.cfg"
    if cfg_file.exists():
        for line in cfg_file.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                values[key.strip().lower()] = value.strip()
    for name in (
        "DATABASE_URL", "SECRET_KEY", "BASE_URL", "ENVIRONMENT", "MAIL_FROM", "SMTP_HOST", "SMTP_PORT",
        "SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS", "RATELIMIT_STORAGE_URL",
    ):
        from_env = _env(name)
        if from_env is not None:
            values[name.lower()] = from_env
    values.update(overrides or {})

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
    if "smtp_port" in values:
        values["smtp_port"] = int(values["smtp_port"])
    if "smtp_starttls" in values and isinstance(values["smtp_starttls"], str):
        values["smtp_starttls"] = values["smtp_starttls"].lower() in {"1", "true", "yes", "on"}
    known = set(Config.__dataclass_fields__)
    extra = {k: v for k, v in values.items() if k not in known}
    kwargs = {k: v for k, v in values.items() if k in known}
    kwargs["environment"] = environment
    return Config(**kwargs, extra={k.upper(): v for k, v in extra.items()})
