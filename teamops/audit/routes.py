"""The audit trail page: filter by person, entity, action and dates, newest first."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask import request
from sqlalchemy import func, or_, select

from teamops.access import requires
from teamops.audit import bp
from teamops.audit.forms import AuditFilterForm
from teamops.audit.models import AuditEvent
from teamops.audit.reading import read_events
from teamops.dates import LONDON
from teamops.web import filter_keys, page_number, paginate, render


def _local_midnight(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


@bp.route("")
@requires("view_audit")
def index() -> Any:
    form = AuditFilterForm(request.args)
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if form.validate():
        if form.person.data:
            like = f"%{form.person.data.strip().lower()}%"
            query = query.where(or_(func.lower(AuditEvent.actor_label).like(like),
                                    func.lower(AuditEvent.summary).like(like)))
        if form.entity.data:
            query = query.where(AuditEvent.entity_type == form.entity.data)
        if form.action.data:
            query = query.where(AuditEvent.action == form.action.data)
        if form.date_from.data:
            query = query.where(AuditEvent.at >= _local_midnight(form.date_from.data))
        if form.date_to.data:
            query = query.where(AuditEvent.at < _local_midnight(form.date_to.data + timedelta(days=1)))
    page = paginate(query, page_number(request.args.get("page")), per_page=50, keys=filter_keys(form))
    return render("audit/index.html", "audit/_results.html", form=form, page=page,
                  events=read_events(page.items))
