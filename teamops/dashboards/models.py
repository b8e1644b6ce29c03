"""Each team's figures version: bumped in the same transaction as every write that changes the team's figures
(teamops.dashboards.versions), so a cache keyed on it is never stale, in any worker or on any app server."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from teamops.extensions import Model

EVERY_TEAM = 0  # the row whose version moves with what every team's figures depend on (policy, services, teams)


class FiguresVersion(Model):
    """Not audited: a counter, not a fact about anyone. No foreign key: row 0 stands for every team."""

    __tablename__ = "figures_versions"

    team_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
