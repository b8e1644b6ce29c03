"""Configuration arrives typed from instance/teamops.cfg, TEAMOPS_* variables and create_app, and anything
unknown or malformed stops start-up with a message naming the key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import teamops
from teamops.config import FIELDS, NOT_SETTINGS, SETTINGS, Config, ConfigError, load_config
from teamops.extensions import db
from tests import factories
from tests.conftest import Client, make_app, sign_in

TESTING = {"environment": "testing", "secret_key": "test-secret-key"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees only the TEAMOPS_* settings it sets, whatever the shell running pytest exports."""
    for variable in os.environ:
        if variable.startswith("TEAMOPS_") and variable not in NOT_SETTINGS:
            monkeypatch.delenv(variable)


def write_cfg(instance: Path, text: str) -> Path:
    instance.mkdir(parents=True, exist_ok=True)
    cfg_file = instance / "teamops.cfg"
    cfg_file.write_text(text)
    return cfg_file


def test_defaults(tmp_path):
    config = load_config(tmp_path, TESTING)
    assert config.database_url == f"sqlite:///{tmp_path / 'teamops.sqlite'}"
    assert (config.idle_timeout_minutes, config.smtp_port, config.smtp_starttls) == (30, 25, False)
    assert (config.trusted_proxies, config.local_passwords, config.oidc_issuer) == (0, True, None)
    assert config.ratelimit_storage_url is None  # the sign-in throttle counts in the database
    assert config.record_retention_months == 12  # record content kept a year after the case closes


def test_a_whole_number_from_the_file_arrives_as_a_number(tmp_path):
    write_cfg(tmp_path, "IDLE_TIMEOUT_MINUTES = 20\nsmtp_port=2525\n")
    config = load_config(tmp_path, TESTING)
    assert config.idle_timeout_minutes == 20
    assert config.smtp_port == 2525


def test_signed_in_requests_work_with_a_timeout_from_the_file(monkeypatch, tmp_path, database_url, org):
    """The issue's case end to end: the file's '20' used to reach the idle check as text and fail there."""
    instance = tmp_path / "instance"
    write_cfg(instance, "IDLE_TIMEOUT_MINUTES = 20\n")
    monkeypatch.setattr(teamops, "load_config", lambda _path, overrides: load_config(instance, overrides))
    app = make_app(database_url)
    app.test_client_class = Client
    client = app.test_client()
    try:
        sign_in(client, org["worker"])  # type: ignore[arg-type]
        assert client.get("/").status_code == 200
        factories.age_sessions(21)  # past the file's 20 minutes, within the default 30
        assert client.get("/").status_code == 303
    finally:
        with app.app_context():
            db.engine.dispose()  # this second app's connections, before the database is reset


@pytest.mark.parametrize(("word", "expected"), [
    ("true", True), ("yes", True), ("on", True), ("1", True), ("TRUE", True), (" On ", True),
    ("false", False), ("no", False), ("off", False), ("0", False), ("Off", False),
])
def test_a_switch_from_the_environment_arrives_as_a_bool(monkeypatch, tmp_path, word, expected):
    monkeypatch.setenv("TEAMOPS_SMTP_STARTTLS", word)
    assert load_config(tmp_path, TESTING).smtp_starttls is expected


def _sample(name: str) -> tuple[str, Any]:
    """Text for a setting and the value it should become, unlike the default so the read is visible."""
    kind, default = SETTINGS[name], FIELDS[name].default
    if kind is bool:
        return ("off", False) if default else ("on", True)
    if kind is int:
        return str(default + 1), default + 1
    if name == "environment":
        return "development", "development"
    if name == "oidc_issuer":
        return "https://from-env.example.org", "https://from-env.example.org"
    return f"from-env-{name}", f"from-env-{name}"


# Single sign-on's settings go together (and passwords go off only with it): each is read with the others set.
SIGN_ON = {"TEAMOPS_OIDC_ISSUER": "https://login.example.org", "TEAMOPS_OIDC_CLIENT_ID": "teamops",
           "TEAMOPS_OIDC_CLIENT_SECRET": "secret"}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_read_from_the_environment(monkeypatch, tmp_path, name):
    text, expected = _sample(name)
    monkeypatch.setenv("TEAMOPS_SECRET_KEY", "a-secret")
    if name.startswith("oidc_") or name == "local_passwords":
        for variable, value in SIGN_ON.items():
            monkeypatch.setenv(variable, value)
    monkeypatch.setenv(f"TEAMOPS_{name.upper()}", text)
    assert getattr(load_config(tmp_path), name) == expected


def test_every_field_is_a_setting_except_extra():
    assert set(SETTINGS) == set(Config.__dataclass_fields__) - {"extra"}


def test_an_unknown_environment_variable_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAMOPS_IDLE_TIMEOUT_MNUTES", "20")
    with pytest.raises(ConfigError, match=r"^TEAMOPS_IDLE_TIMEOUT_MNUTES is not a TeamOps setting "
                                          r"\(did you mean TEAMOPS_IDLE_TIMEOUT_MINUTES\?\)$"):
        load_config(tmp_path, TESTING)


@pytest.mark.parametrize("variable", sorted(NOT_SETTINGS))
def test_the_harness_variables_are_not_settings_and_not_refused(monkeypatch, tmp_path, variable):
    monkeypatch.setenv(variable, "1")
    load_config(tmp_path, TESTING)


def test_an_empty_environment_variable_means_unset(monkeypatch, tmp_path):
    write_cfg(tmp_path, "smtp_host = relay.example.org\n")
    monkeypatch.setenv("TEAMOPS_SMTP_HOST", "")
    monkeypatch.setenv("TEAMOPS_SMTP_PORT", "")
    config = load_config(tmp_path, TESTING)
    assert (config.smtp_host, config.smtp_port) == ("relay.example.org", 25)


def test_an_unknown_key_in_the_file_is_refused_with_its_line(tmp_path):
    cfg_file = write_cfg(tmp_path, "# session limits\n\nidle_timeout_mnutes = 20\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, TESTING)
    assert str(caught.value) == (f"{cfg_file} line 3: idle_timeout_mnutes is not a TeamOps setting "
                                 "(did you mean idle_timeout_minutes?)")


def test_a_prefixed_key_in_the_file_is_refused_with_a_hint(tmp_path):
    write_cfg(tmp_path, "TEAMOPS_SMTP_HOST = relay\n")
    with pytest.raises(ConfigError, match=r"line 1: teamops_smtp_host is not .* without the TEAMOPS_ prefix"):
        load_config(tmp_path, TESTING)


def test_a_line_without_equals_is_refused_without_echoing_it(tmp_path):
    write_cfg(tmp_path, "base_url = https://teamops.example\nsecret_key: hunter2-hunter2\n")
    with pytest.raises(ConfigError, match=r"teamops\.cfg line 2: expected a KEY = value line") as caught:
        load_config(tmp_path, TESTING)
    assert "hunter2" not in str(caught.value)


BAD_VALUES = [
    ("idle_timeout_minutes", "twenty", "a whole number of at least 1"),
    ("idle_timeout_minutes", "0", "a whole number of at least 1"),
    ("absolute_timeout_hours", "-1", "a whole number of at least 1"),
    ("max_upload_bytes", "5MB", "a whole number of at least 1"),
    ("smtp_port", "70000", "a whole number from 1 to 65535"),
    ("trusted_proxies", "-1", "a whole number of at least 0"),
    ("smtp_starttls", "maybe", "one of true/false, yes/no, on/off, 1/0"),
    ("local_passwords", "disabled", "one of true/false, yes/no, on/off, 1/0"),
    ("environment", "staging", "one of production, development, testing"),
    ("record_retention_months", "12m", "a whole number from 1 to 1200"),
    ("record_retention_months", "0", "a whole number from 1 to 1200"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_VALUES)
def test_a_bad_value_from_the_environment_is_refused(monkeypatch, tmp_path, name, text, expected):
    monkeypatch.setenv("TEAMOPS_SECRET_KEY", "a-secret")
    if name.startswith("oidc_") or name == "local_passwords":
        for variable, value in SIGN_ON.items():
            monkeypatch.setenv(variable, value)
    monkeypatch.setenv(f"TEAMOPS_{name.upper()}", text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == f"TEAMOPS_{name.upper()} must be {expected}, not {text!r}"


@pytest.mark.parametrize(("name", "text", "expected"), BAD_VALUES)
def test_a_bad_value_in_the_file_is_refused(tmp_path, name, text, expected):
    cfg_file = write_cfg(tmp_path, f"secret_key = a-secret\n{name} = {text}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == f"{cfg_file} line 2: {name} must be {expected}, not {text!r}"


def test_quoted_values_are_unquoted(tmp_path):
    write_cfg(tmp_path, "base_url = \"https://teamops.example\"\nmail_from='teamops@example.org'\n"
                        "smtp_port = '587'\nsmtp_user = \"it's\n")
    config = load_config(tmp_path, TESTING)
    assert (config.base_url, config.mail_from, config.smtp_port) == (
        "https://teamops.example", "teamops@example.org", 587)
    assert config.smtp_user == '"it\'s'  # unmatched quotes are part of the value


def test_comments_and_blank_lines_are_ignored(tmp_path):
    write_cfg(tmp_path, "# TeamOps\n\n   \n   # indented = comment\nsmtp_host = relay#1.example\n\n")
    assert load_config(tmp_path, TESTING).smtp_host == "relay#1.example"


def test_an_empty_value_in_the_file_means_unset(tmp_path):
    write_cfg(tmp_path, "smtp_host =\nsecret_key = ''\n")
    assert load_config(tmp_path, {"environment": "testing"}).smtp_host is None
    with pytest.raises(RuntimeError, match="TEAMOPS_SECRET_KEY must be set outside development"):
        load_config(tmp_path)


def test_the_environment_overrides_the_file_and_code_overrides_both(monkeypatch, tmp_path):
    write_cfg(tmp_path, "smtp_port = 2525\nsmtp_host = file\nmail_from = file@example.org\n")
    monkeypatch.setenv("TEAMOPS_SMTP_PORT", "587")
    monkeypatch.setenv("TEAMOPS_SMTP_HOST", "env")
    config = load_config(tmp_path, {**TESTING, "smtp_host": "code"})
    assert (config.smtp_port, config.smtp_host, config.mail_from) == (587, "code", "file@example.org")


def test_code_may_pass_typed_values_or_text(tmp_path):
    config = load_config(tmp_path, {**TESTING, "idle_timeout_minutes": 5, "smtp_starttls": "yes",
                                    "smtp_port": "587", "local_passwords": False, "smtp_host": None,
                                    "oidc_issuer": "http://localhost:1", "oidc_client_id": "teamops",
                                    "oidc_client_secret": "secret"})
    assert (config.idle_timeout_minutes, config.smtp_starttls, config.smtp_port) == (5, True, 587)
    assert (config.local_passwords, config.smtp_host) == (False, None)


@pytest.mark.parametrize(("name", "value"), [
    ("idle_timeout_minutes", True), ("idle_timeout_minutes", 0), ("idle_timeout_minutes", 2.5),
    ("smtp_starttls", 1), ("base_url", None), ("environment", "live"),
])
def test_code_with_a_bad_value_is_refused(tmp_path, name, value):
    with pytest.raises(ConfigError, match=f"^create_app setting {name} must be .*, not {value!r}$"):
        load_config(tmp_path, {**TESTING, name: value})


def test_flask_keys_from_code_pass_through(tmp_path):
    config = load_config(tmp_path, {**TESTING, "WTF_CSRF_ENABLED": False, "TESTING": False})
    assert config.extra == {"WTF_CSRF_ENABLED": False, "TESTING": False}
    settings = config.flask_settings()
    assert (settings["WTF_CSRF_ENABLED"], settings["TESTING"]) == (False, False)


def test_code_with_an_unknown_lower_case_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"^idle_timout_minutes is not a TeamOps setting \(did you mean "):
        load_config(tmp_path, {**TESTING, "idle_timout_minutes": 5})


def test_code_with_a_setting_in_upper_case_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"IDLE_TIMEOUT_MINUTES is a TeamOps setting: pass .* idle_timeout_minutes"):
        load_config(tmp_path, {**TESTING, "IDLE_TIMEOUT_MINUTES": 5})


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)
