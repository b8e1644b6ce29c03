"""Flask extensions, created once here and bound to the app in ``create_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()

if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def flush_unique(refusal: Exception, *names: str) -> None:
    """Flushes; raises ``refusal`` instead when the database refuses the flush by a unique constraint whose name
    (PostgreSQL's message) or column (SQLite's, ``table.column``) is among ``names``. For a write sent twice at
    once: both requests find no duplicate before either writes, so only the constraint can decide. The caller
    rolls back. Any other refusal is raised as it is."""
    try:
        db.session.flush()
    except IntegrityError as refused:
        if not any(name in str(refused.orig) for name in names):
            raise
        raise refusal from None
