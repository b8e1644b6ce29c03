"""The demo's dip samples: rated samples of the demo service manager's teams over the last months, one of the
demo manager's supervision rated and unread (their home says so), one waiting for its ratings; seeding twice
adds nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from teamops.demo import seed_demo
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.quality import dips
from teamops.quality.models import DipSample


def person(email: str) -> Staff:
    found = db.session.scalar(select(Staff).where(Staff.email == email))
    assert found is not None
    return found


def test_the_demo_has_dip_samples_and_one_unread_by_the_demo_manager(app: Any, client: Any) -> None:
    seed_demo()
    db.session.commit()
    sampler, manager = person("servicemanager@example.org"), person("manager@example.org")
    samples = db.session.scalars(select(DipSample)).all()
    assert samples and {s.sampler_id for s in samples} == {sampler.id}
    assert len({s.month for s in samples}) >= 2 and len({s.team_id for s in samples}) == 3
    assert sum(1 for s in samples if s.rated_at is None) == 1
    assert all(s.record.supervisor_id != sampler.id and not s.record.imported for s in samples)
    assert dips.unread_count(manager) == 1
    before = db.session.scalar(select(func.count(DipSample.id)))
    assert seed_demo() == {"created": 0}
    assert db.session.scalar(select(func.count(DipSample.id))) == before
    client.post_form("/sign-in", {"email": "manager@example.org", "password": "TeamOps-demo-1"})
    assert "Dip samples of your supervision (1)" in client.get("/").get_data(as_text=True)
