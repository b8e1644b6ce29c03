"""``flask --app wsgi teamops …``: the commands in CONTRACT.md "Command line"."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import AppGroup
from sqlalchemy import create_engine, select

from teamops import backups, dates, retention
from teamops.api.tokens import LABEL_MAX, expiry_problem, issue_token, revoke_tokens
from teamops.auth.passwords import hash_password, password_problem
from teamops.dates import parse_iso_date, today
from teamops.demo import DEMO_PASSWORD, seed_demo
from teamops.extensions import db
from teamops.imports.services import KINDS, is_email, run_import
from teamops.org.models import NAME_MAX, Service, Staff, Team
from teamops.org.services import normalise_email
from teamops.reminders import outbox
from teamops.reminders.mail import Mail, Mailer, Refused, RelayDown
from teamops.reminders.run import send_reminders
from teamops.returns import caseload
from teamops.web import format_datetime

cli = AppGroup("teamops", help="TeamOps administration commands.")


@cli.command("seed-demo")
@click.option("--only-if-empty", is_flag=True, help="Do nothing when the database already has any staff.")
@click.option("--force", is_flag=True, help="Run even when TEAMOPS_ENVIRONMENT is production.")
def seed_demo_command(only_if_empty: bool, force: bool) -> None:
    """Create the fictional demo organisation (safe to run again).

    Refused in production without --force: the demo accounts share a published password, so seeding a live
    database by mistake (a copied ``make run`` line) would open it to anyone who has read the README.
    """
    if current_app.config["TEAMOPS"].environment == "production" and not force:
        raise click.ClickException(
            "TEAMOPS_ENVIRONMENT is production: seed-demo would add demo accounts whose password is published. "
            "Set TEAMOPS_ENVIRONMENT=development for a demo, or add --force if you really mean this database.")
    if only_if_empty and db.session.scalar(select(Staff.id).limit(1)) is not None:
        click.echo("The database already has staff: no demo data added.")
        return
    g.audit_actor = "cli:seed-demo"
    result = seed_demo()
    db.session.commit()
    outbox.discard_queued()  # the demo's people are fictional: what the seeding told them is not e-mailed
    if result["created"]:
        click.echo(f"Demo organisation created: {result['created']} staff.")
    else:
        click.echo("Demo organisation already present: nothing changed.")
    click.echo(f"Demo sign-ins (password {DEMO_PASSWORD}): admin@example.org, qait@example.org, "
               "servicemanager@example.org, manager@example.org, worker@example.org, newstarter@example.org")


@cli.command("create-admin")
@click.option("--email", required=True, help="Work e-mail address of the admin.")
@click.option("--name", required=True, help="Full name.")
def create_admin_command(email: str, name: str) -> None:
    """Create an admin account. Password from TEAMOPS_ADMIN_PASSWORD, or asked for."""
    g.audit_actor = "cli:create-admin"
    email, name = normalise_email(email), name.strip()
    if not is_email(email):
        raise click.ClickException(f"'{email}' is not an e-mail address")
    if not name or len(name) > NAME_MAX:
        raise click.ClickException(f"Give a name of 1 to {NAME_MAX} characters")
    if db.session.scalar(select(Staff.id).where(Staff.email == email)) is not None:
        raise click.ClickException(f"{email} already has an account")
    password = os.environ.get("TEAMOPS_ADMIN_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email)
    if problem:
        raise click.ClickException(problem)
    team = db.session.scalar(select(Team).order_by(Team.id))
    if team is None:
        service = Service(name="Administration")
        team = Team(service=service, name="TeamOps administration", office_base="Not set")
        db.session.add(team)
    db.session.add(Staff(email=email, name=name, team=team, role="admin", job_role="Administrator",
                         employment_type="permanent", start_date=today(), password_hash=hash_password(password)))
    db.session.commit()
    click.echo(f"Admin {email} created.")


@cli.command("import")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, without writing anything.")
def import_command(kind: str, file: Path, dry_run: bool) -> None:
    """Import a CSV file (CONTRACT.md "CSV imports"). All or nothing; re-importing changes nothing."""
    g.audit_actor = f"cli:import {kind}"
    report = run_import(kind, file.read_bytes(), dry_run=dry_run)
    db.session.commit()
    outbox.send_queued()  # what the import told people (a role asked for them), as a page would
    for problem in report.problems:
        click.echo(f"line {problem.line}: {problem.column}: {problem.message}", err=True)
    if report.problems:
        click.echo(f"{report.problems.found} problem(s) found: nothing was imported.", err=True)
        sys.exit(1)
    for warning in report.warnings:  # accepted rows that break a practice rule: on stderr, counts stay last
        click.echo(f"warning: line {warning.line}: {warning.column}: {warning.message}", err=True)
    prefix = "Dry run, nothing written: would have " if dry_run else ""
    click.echo(f"{prefix}created {report.created}, updated {report.updated}, unchanged {report.unchanged}")


def _account(email: str) -> Staff:
    person = db.session.scalar(select(Staff).where(Staff.email == normalise_email(email)))
    if person is None:
        raise click.ClickException(f"No account has the e-mail address {normalise_email(email)}")
    return person


@cli.command("create-token")
@click.argument("email")
@click.option("--label", default="", help="What the token is for, e.g. 'Power BI team dashboard'.")
@click.option("--expires", "expires", metavar="YYYY-MM-DD",
              help="The day the token stops working (at the start of it, UK time); at most a year ahead. "
                   "Default: a year from now.")
def create_token_command(email: str, label: str, expires: str | None) -> None:
    """Print a new reporting-API token for an account: shown once, alone on the last line."""
    g.audit_actor = "cli:create-token"
    label = label.strip()
    if len(label) > LABEL_MAX:
        raise click.ClickException(f"Give a label of at most {LABEL_MAX} characters")
    expires_on = None
    if expires is not None:
        try:
            expires_on = parse_iso_date(expires)
        except ValueError as error:
            raise click.ClickException(f"--expires: {error}") from None
        problem = expiry_problem(expires_on)
        if problem:
            raise click.ClickException(f"--expires: {problem}")
    person = _account(email)
    if not person.active:
        raise click.ClickException(f"{person.email} is deactivated: a token for it would not work")
    token, row = issue_token(person, label, expires_on)
    db.session.commit()
    click.echo(f"API token for {person.email} ({person.role_label}; it sees what this account sees), "
               f"working until {format_datetime(row.expires_at)} UK time. Store it now: it cannot be shown again.")
    click.echo(token)


@cli.command("revoke-token")
@click.argument("email")
@click.option("--label", default=None, help="Only the token(s) with this label. Default: all of them.")
def revoke_token_command(email: str, label: str | None) -> None:
    """Revoke an account's API tokens (all, or those with one label); prints each one revoked."""
    g.audit_actor = "cli:revoke-token"
    person = _account(email)
    revoked = revoke_tokens(person, label.strip() if label is not None else None)
    if not revoked:
        which = f"labelled '{label.strip()}'" if label is not None else "at all"
        raise click.ClickException(f"{person.email} has no token {which} that is not already revoked: "
                                   "nothing revoked")
    db.session.commit()
    for token in revoked:
        click.echo(f"Revoked the token '{token.label or '(no label)'}' of {person.email}, made "
                   f"{format_datetime(token.created_at)}.")


@cli.command("unlink-sign-on")
@click.argument("email")
def unlink_sign_on_command(email: str) -> None:
    """Unlink an account from the council account that signs in as it (single sign-on), when the council has
    given its owner a new council account: the next sign-on with the account's address links it again."""
    g.audit_actor = "cli:unlink-sign-on"
    person = _account(email)
    if person.sso_subject is None:
        raise click.ClickException(f"{person.email} is not linked to a council account: nothing unlinked")
    person.sso_subject = None
    db.session.commit()
    click.echo(f"Unlinked {person.email} from its council account: the next sign-on with that address links it.")


@cli.command("caseload-snapshot")
@click.option("--month", "month_text", metavar="YYYY-MM",
              help="The month whose reports to make (their figures are the month before's last day). Default: this "
                   "month, from its first working day.")
def caseload_snapshot_command(month_text: str | None) -> None:
    """Make the monthly caseload reports (DOMAIN.md R-QA-3): one per team of the services with caseload reviews.

    Running it again for a month changes nothing, so cron may run it daily: without --month it makes this month's
    reports on its first run on or after the month's first working day, and before that day does nothing. The
    commentary is due 7 days after the day they are made, rolled to a working day.
    """
    g.audit_actor = "cli:caseload-snapshot"
    on = today()
    try:
        month = caseload.parse_month(month_text, on)
    except ValueError as error:
        raise click.ClickException(f"--month {month_text}: {error}") from None
    first = dates.first_working_day(month.year, month.month)
    if month_text is None and on < first:
        click.echo(f"The caseload reports for {dates.month_label(month)} are made from its first working day, "
                   f"{first:%A %-d %B %Y}: nothing made. (--month {dates.month_code(month)} makes them now.)")
        return
    made = caseload.make_reports(month, on)
    db.session.commit()
    existed = caseload.reports_made(month) - made
    click.echo(f"Caseload reports for {dates.month_label(month)}: {made} made, {existed} already existed.")


@cli.command("send-reminders")
@click.option("--today", "today_text", metavar="YYYY-MM-DD", help="The day to send for (default: today).")
def send_reminders_command(today_text: str | None) -> None:
    """Send each person one e-mail of what is due for them (issue 15): supervision due soon and overdue, overdue
    supervision actions, records not signed off, filed or acknowledged, the monthly return to QAIT, case audits.

    Run it daily from cron. Running it twice for one day sends nothing twice; a send that failed (a refused
    address, a relay that is down), a digest or a one-off message (a decision, a chase, an invitation), is tried
    again by the next run. Exit status 1 when anything failed.
    """
    on = today()
    if today_text is not None:
        try:
            on = parse_iso_date(today_text)
        except ValueError:
            raise click.ClickException(f"--today {today_text}: give a date as YYYY-MM-DD") from None
    with current_app.test_request_context("/"):  # the links' paths come from url_for, as the pages' do
        result = send_reminders(on, dates.utcnow())
    click.echo(f"Reminders for {on:%-d %B %Y}: {result.reminders} sent in {result.mails} e-mail"
               f"{'s' if result.mails != 1 else ''}.")
    if result.messages:
        click.echo(f"Messages sent again after a failed first try: {result.messages}.")
    for address in result.refused:
        click.echo(f"Refused by the relay (tried again next run): {address}", err=True)
    if result.relay_down:
        click.echo(f"{result.relay_down}. The rest is tried again next run.", err=True)
    if not result.ok:
        sys.exit(1)


@cli.command("purge-records")
@click.option("--dry-run", is_flag=True, help="Count what would be removed, without removing anything.")
def purge_records_command(dry_run: bool) -> None:
    """Remove the content of supervision records, oversight, case audits and dip-sample comments about cases
    closed longer ago than TEAMOPS_RECORD_RETENTION_MONTHS (issue 16 item 6), keeping every date and count the
    figures need; delete the
    reminder runs' log rows older than that too.

    Run it daily from cron: a second run finds nothing new. Prints counts only, never content.
    """
    g.audit_actor = "cli:purge-records"
    months = current_app.config["TEAMOPS"].record_retention_months
    counts = retention.purge_records(today(), months, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run, nothing written: would remove the content of {counts.summary()}, for cases closed "
                   f"before {counts.cutoff.isoformat()} (kept {months} months).")
        return
    db.session.commit()
    click.echo(f"Removed the content of {counts.summary()}, for cases closed before {counts.cutoff.isoformat()} "
               f"(kept {months} months).")


@cli.command("send-test-mail")
@click.argument("address")
def send_test_mail_command(address: str) -> None:
    """Send one test message to ADDRESS through the configured relay, to check the mail settings."""
    config = current_app.config["TEAMOPS"]
    if not is_email(address):
        raise click.ClickException(f"{address} is not an e-mail address")
    body = (f"This is a test message from TeamOps at {config.base_url}. If you can read it, TeamOps can send "
            "reminders to this address.")
    try:
        with Mailer() as mailer:
            mailer.send(Mail(address, address, "TeamOps: test message", body))
    except (Refused, RelayDown) as failed:
        raise click.ClickException(str(failed)) from None
    where = f"the relay {config.smtp_host}:{config.smtp_port}" if config.smtp_host else "the log (no relay is set)"
    click.echo(f"Test message to {address} sent through {where}.")


@cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """A consistent copy of the SQLite database at PATH (a new file), made while the app runs, then checked.

    On PostgreSQL, use pg_dump instead (README "Backups and restore"); this command says so and exits 1.
    """
    try:
        backups.backup_sqlite(path)
    except backups.BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    copy = create_engine(f"sqlite:///{path}")
    try:
        counts = backups.row_counts(copy)
    finally:
        copy.dispose()
    click.echo(f"Backed up to {path}: {len(counts)} tables, {sum(counts.values())} rows; integrity check passed.")


@cli.command("check-restore")
@click.option("--against", "source_url", metavar="URL",
              help="The source database: every table must hold the same rows as there.")
def check_restore_command(source_url: str | None) -> None:
    """Checks the database TeamOps is configured with (a restored copy): schema at the head, every table there,
    integrity; with --against, the same rows as the source, table by table. Exit 1 on any problem."""
    source = create_engine(source_url) if source_url else None
    try:
        report = backups.check_restore(db.engine, source)
    finally:
        if source is not None:
            source.dispose()
    for name, state in sorted(report.tables.items()):
        click.echo(f"{name}: {state.rows} rows")
    for problem in report.problems:
        click.echo(f"Problem: {problem}", err=True)
    if not report.ok:
        sys.exit(1)
    compared = " and every table matches the source" if source_url else ""
    click.echo(f"Restore check passed: {len(report.tables)} tables, {report.rows} rows{compared}.")
