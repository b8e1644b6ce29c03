"""The supervision policy (DOMAIN.md R-SUP-1, CONTRACT.md "Scheduling rules"): how often each case type is
supervised, and the caps. Due dates are never stored: teamops.scheduling derives them from these rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.types import UTCDateTime

if TYPE_CHECKING:
    from teamops.org.models import Staff

CASE_TYPE_CODES = ("CP", "CIN", "EH", "CLA", "CL", "YJ", "PF")
INTERVAL_UNITS = ("weeks", "months")
# CONTRACT.md "Scheduling rules": every case at least every 2 months, high risk every month, personal monthly.
DEFAULT_CASE_CAP_MONTHS = 2
DEFAULT_HIGH_RISK_CAP_MONTHS = 1
DEFAULT_PERSONAL_INTERVAL_MONTHS = 1
# R-ASYE-3: an ASYE's personal supervision, a setting; monthly by default (the contract's "plus 1 month").
DEFAULT_ASYE_INTERVAL = (1, "months")


class CaseType(Model):
    """A row of the supervision policy: how often a case of this type is supervised, and why. The interval
    columns hold the rule as it was before any dated change (``PolicyChange``); the name and source are not
    dated."""

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
    """The caps and the personal interval (CONTRACT.md "Scheduling rules") as they were before any dated
    change: one row, id 1."""

    __audited__ = "supervision_settings"
    __tablename__ = "supervision_settings"
    __table_args__ = (
        CheckConstraint(f"asye_interval_unit IN {INTERVAL_UNITS!r}", name="asye_interval_unit"),
        CheckConstraint("asye_interval_count BETWEEN 1 AND 52", name="asye_interval_count"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_cap_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_CASE_CAP_MONTHS)
    high_risk_cap_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_HIGH_RISK_CAP_MONTHS)
    personal_interval_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_PERSONAL_INTERVAL_MONTHS)
    asye_interval_count: Mapped[int] = mapped_column(Integer, default=DEFAULT_ASYE_INTERVAL[0])
    asye_interval_unit: Mapped[str] = mapped_column(String(8), default=DEFAULT_ASYE_INTERVAL[1])


class PolicyChange(Model):
    """A change to the policy that takes effect from a day (CONTRACT.md "Scheduling rules": the policy used for a
    day is the one in force that day). Either one case type's interval (``case_type_code`` set) or the caps and
    the personal interval (``case_type_code`` empty). The policy on a day is the rule before any change with
    every change effective on or before that day applied in order; changes are never edited, so a past
    day's figures never move."""

    __audited__ = "policy_change"
    __tablename__ = "policy_changes"
    __table_args__ = (
        CheckConstraint(f"interval_unit IS NULL OR interval_unit IN {INTERVAL_UNITS!r}", name="interval_unit"),
        CheckConstraint("(case_type_code IS NULL) = (interval_count IS NULL)", name="one_kind"),
        CheckConstraint(f"asye_interval_unit IS NULL OR asye_interval_unit IN {INTERVAL_UNITS!r}",
                        name="asye_interval_unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    case_type_code: Mapped[str | None] = mapped_column(ForeignKey("case_types.code"))
    interval_count: Mapped[int | None] = mapped_column(Integer)
    interval_unit: Mapped[str | None] = mapped_column(String(8))
    first_due_on_allocation: Mapped[bool | None] = mapped_column(Boolean)
    case_cap_months: Mapped[int | None] = mapped_column(Integer)
    high_risk_cap_months: Mapped[int | None] = mapped_column(Integer)
    personal_interval_months: Mapped[int | None] = mapped_column(Integer)
    asye_interval_count: Mapped[int | None] = mapped_column(Integer)
    asye_interval_unit: Mapped[str | None] = mapped_column(String(8))
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    made_by: Mapped[Staff | None] = relationship()
