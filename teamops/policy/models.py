"""The supervision policy (DOMAIN.md R-SUP-1, CONTRACT.md "Scheduling rules"): how often each case type is
supervised, and the caps. Due dates are never stored: teamops.scheduling derives them from these rows."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from teamops.extensions import Model

CASE_TYPE_CODES = ("CP", "CIN", "EH", "CLA", "CL", "YJ", "PF")
INTERVAL_UNITS = ("weeks", "months")
# CONTRACT.md "Scheduling rules": every case at least every 2 months, high risk every month, personal monthly.
DEFAULT_CASE_CAP_MONTHS = 2
DEFAULT_HIGH_RISK_CAP_MONTHS = 1
DEFAULT_PERSONAL_INTERVAL_MONTHS = 1


class CaseType(Model):
    """A row of the supervision policy: how often a case of this type is supervised, and why."""

    __audited__ = "case_type"
    __tablename__ = "case_types"
    __table_args__ = (
        CheckConstraint(f"interval_unit IN {INTERVAL_UNITS!r}", name="interval_unit"),
        CheckConstraint("interval_count BETWEEN 1 AND 52", name="interval_count"),
    )

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    label: Mapped[str] = mapped_column(String(60))
    interval_count: Mapped[int] = mapped_column(Integer)
    interval_unit: Mapped[str] = mapped_column(String(8))
    first_due_on_allocation: Mapped[bool] = mapped_column(Boolean, default=False)
    source_note: Mapped[str] = mapped_column(String(300), default="")

    @property
    def interval_label(self) -> str:
        unit = self.interval_unit if self.interval_count != 1 else self.interval_unit.rstrip("s")
        return f"{self.interval_count} {unit}"


class SupervisionSettings(Model):
    """The caps and the personal interval (CONTRACT.md "Scheduling rules"): one row, id 1."""

    __audited__ = "supervision_settings"
    __tablename__ = "supervision_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_cap_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_CASE_CAP_MONTHS)
    high_risk_cap_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_HIGH_RISK_CAP_MONTHS)
    personal_interval_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_PERSONAL_INTERVAL_MONTHS)
