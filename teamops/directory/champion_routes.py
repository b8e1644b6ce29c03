"""Champion pages: who is my … champion (nearest first), browsing by team and office, appointing, volunteering,
approving, stepping down, confirming, and the admins' areas."""

from __future__ import annotations

from typing import Any

from flask import flash, request, url_for
from flask_login import current_user
from sqlalchemy import select

from teamops import dates
from teamops.access import authorize, can, requires, signed_in, staff_in_reach
from teamops.directory import bp, champions
from teamops.directory.champion_forms import AppointForm, AreaForm, AreaPickForm, VolunteerForm
from teamops.directory.champions import NEAREST, Place
from teamops.directory.checking import is_stale, mark_checked
from teamops.directory.models import Champion, ChampionArea
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.notify import notify
from teamops.org.models import Staff, Team
from teamops.web import form_status, get_or_404, render, see_other


@bp.route("/champions")
@requires("read_directory")
def champion_list() -> Any:
    """Who is my champion (nearest first, only those whose scope reaches me), or browse a team or an office."""
    on = dates.today()
    pick = AreaPickForm(request.args)
    team_id = request.args.get("team", type=int)
    office = (request.args.get("office") or "").strip()[:120]
    team = get_or_404(Team, team_id) if team_id is not None else None
    rows: list[tuple[Champion, int | None]]
    if team is not None:
        rows = [(c, None) for c in champions.in_team(team.id, on) if pick.area_id in (None, c.area_id)]
        heading = f"Champions in {team.name}"
    elif office:
        rows = [(c, None) for c in champions.at_base(office, on) if pick.area_id in (None, c.area_id)]
        heading = f"Champions at {office}"
    else:
        me = signed_in()
        rows = [(c, rank) for c, rank in champions.nearest(Place.of_person(me), on, pick.area_id)]
        heading = "Your champions"
    return render("directory/champions.html", "directory/_champion_results.html", pick=pick, rows=rows,
                  heading=heading, team=team, office=office, nearest=NEAREST, bases=champions.office_bases(),
                  teams=db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)).all(),
                  my_base=champions.base_of(signed_in()))


def _decides_for() -> Any:
    """Ids of the people whose champion roles this person decides (in reach, never themselves)."""
    return staff_in_reach(signed_in()).with_only_columns(Staff.id).where(Staff.id != current_user.id)


@bp.route("/champions/manage")
@requires("appoint_champion")
def champion_manage() -> Any:
    people = _decides_for()
    return render("directory/champion_manage.html", waiting=champions.waiting_for(signed_in(), people),
                  roles=champions.history_of(people), action_form=ActionForm(), today=dates.today())


@bp.route("/champions/appoint", methods=["GET", "POST"])
@requires("appoint_champion")
def champion_appoint() -> Any:
    form = AppointForm()
    if request.method == "GET":
        form.starts_on.data = dates.today()
        form.area.data = request.args.get("area", "")
    if form.validate_on_submit():
        person = form.person()
        problem = champions.refusal(person, form.area_id, form.scope.data or "")
        if problem is None and person is not None and not can("appoint_champion", person):
            problem = "You can appoint champions only among the people you manage"
        if problem is not None:
            form.email.errors = [*form.email.errors, problem]
        else:
            assert person is not None and form.area_id is not None and form.starts_on.data is not None
            champion = champions.appoint(person, form.area_id, form.scope.data or "team", form.starts_on.data,
                                         form.note.data or "", signed_in())
            db.session.commit()
            flash(f"{person.name} is the {champion.area.name.lower()} champion from "
                  f"{form.starts_on.data:%-d %B %Y}.", "success")
            return see_other(url_for("directory.champion_manage"))
    return render("directory/champion_form.html", form=form, appointing=True, status=form_status())


@bp.route("/champions/volunteer", methods=["GET", "POST"])
@requires("volunteer_champion")
def champion_volunteer() -> Any:
    form = VolunteerForm()
    if request.method == "GET":
        form.area.data = request.args.get("area", "")
    me = signed_in()
    if form.validate_on_submit():
        problem = champions.refusal(me, form.area_id, form.scope.data or "")
        if problem is not None:
            form.area.errors = [*form.area.errors, problem.replace(f"{me.name} is", "You are")]
        else:
            assert form.area_id is not None
            champion = champions.volunteer(me, form.area_id, form.scope.data or "team", form.note.data or "",
                                           dates.today())
            decider = me.line_manager or me.team.manager
            if decider is not None and decider.id != me.id:
                notify(decider, f"{me.name} offers to be a {champion.area.name.lower()} champion",
                       f"{me.name} has offered to be a champion. Approve or decline it on TeamOps: "
                       f"{url_for('directory.champion_manage', _external=True)}")
            db.session.commit()
            flash(f"Thank you. Your offer to be the {champion.area.name.lower()} champion is waiting for your "
                  "manager's approval.", "success")
            return see_other(url_for("directory.champion_mine"))
    return render("directory/champion_form.html", form=form, appointing=False, status=form_status())


@bp.route("/champions/mine")
@requires("read_directory")
def champion_mine() -> Any:
    """Your own champion roles, past and present."""
    me = signed_in()
    return render("directory/champion_mine.html", roles=champions.history_of(select(Staff.id).where(Staff.id == me.id)),
                  action_form=ActionForm(), today=dates.today(), stale=is_stale)


def _decided(champion_id: int, approve: bool) -> Any:
    champion = get_or_404(Champion, champion_id)
    authorize("appoint_champion", champion)
    if champion.state != "proposed":
        flash("This offer has already been decided.", "info")
        return see_other(url_for("directory.champion_manage"))
    champions.decide(champion, approve, signed_in(), dates.today())
    verb = "approved" if approve else "declined"
    notify(champion.staff, f"Your offer to be a {champion.area.name.lower()} champion was {verb}",
           f"{signed_in().name} {verb} your offer. See your champion roles on TeamOps: "
           f"{url_for('directory.champion_mine', _external=True)}")
    db.session.commit()
    flash(f"{champion.staff.name}'s offer {verb}. They have been told.", "success")
    return see_other(url_for("directory.champion_manage"))


@bp.route("/champions/<int:champion_id>/approve", methods=["POST"])
@requires("appoint_champion")
def champion_approve(champion_id: int) -> Any:
    return _decided(champion_id, True)


@bp.route("/champions/<int:champion_id>/decline", methods=["POST"])
@requires("appoint_champion")
def champion_decline(champion_id: int) -> Any:
    return _decided(champion_id, False)


def _back_for(champion: Champion) -> str:
    if champion.staff_id == current_user.id:
        return url_for("directory.champion_mine")
    if current_user.role == "admin":
        return url_for("directory.checks")
    return url_for("directory.champion_manage")


@bp.route("/champions/<int:champion_id>/step-down", methods=["POST"])
@requires("keep_champion")
def champion_step_down(champion_id: int) -> Any:
    champion = get_or_404(Champion, champion_id)
    authorize("keep_champion", champion)
    if champion.state in ("proposed", "active"):
        champions.step_down(champion, dates.today())
        db.session.commit()
        flash(f"{champion.staff.name} is no longer the {champion.area.name.lower()} champion. "
              "Their role stays in the history.", "success")
    return see_other(_back_for(champion))


@bp.route("/champions/<int:champion_id>/confirm", methods=["POST"])
@requires("keep_champion")
def champion_confirm(champion_id: int) -> Any:
    champion = get_or_404(Champion, champion_id)
    authorize("keep_champion", champion)
    if champion.state == "active":
        mark_checked(champion, signed_in())
        db.session.commit()
        flash(f"Thank you: {champion.staff.name}'s entry is confirmed as correct today.", "success")
    return see_other(_back_for(champion))


@bp.route("/areas", methods=["GET", "POST"])
@requires("manage_directory")
def areas() -> Any:
    form = AreaForm()
    if form.validate_on_submit():
        area = ChampionArea(name=" ".join((form.name.data or "").split()),
                            description=(form.description.data or "").strip(), active=True)
        db.session.add(area)
        db.session.commit()
        flash(f"Champion area “{area.name}” added.", "success")
        return see_other(url_for("directory.areas"))
    rows = db.session.scalars(select(ChampionArea).order_by(ChampionArea.active.desc(), ChampionArea.name)).all()
    return render("directory/areas.html", form=form, areas=rows, status=form_status())


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
@requires("manage_directory")
def area_edit(area_id: int) -> Any:
    area = get_or_404(ChampionArea, area_id)
    form = AreaForm(obj=area, area=area)
    if form.validate_on_submit():
        area.name = " ".join((form.name.data or "").split())
        area.description = (form.description.data or "").strip()
        area.active = bool(form.active.data)
        db.session.commit()
        flash(f"Champion area “{area.name}” saved.", "success")
        return see_other(url_for("directory.areas"))
    return render("directory/area_form.html", form=form, area=area, status=form_status())
