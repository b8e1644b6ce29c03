"""inductions: the induction templates (timetables by employment type and the one service checklist, seeded
from the county's induction procedure, R-IND-15), each person's induction with its copied days and checklist
items (R-IND-1..15), and the settings they read: a service's checklist group, a team's meeting day and
business-support contact (issue 11)

Revision ID: 0017_inductions
Revises: 0016_plain_sources
Create Date: 2026-12-02 14:40:00.000000

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0017_inductions'
down_revision = '0016_plain_sources'
branch_labels = None
depends_on = None

# Seed 000 (the induction procedure): its example timetables and its service checklist, as TeamOps's
# starting templates. Admins edit them; tests/conftest.py puts them back after a truncate.
TEMPLATES = (
    # (name, kind, length_days); kind in permanent / agency / mover
    ("Permanent staff: 2 weeks", "permanent", 10),
    ("Agency staff: 1 week", "agency", 5),
    ("Internal move: 3 days", "mover", 3),
)
TEMPLATE_DAYS = (
    # (template kind, day_number, kind, host_slot or None, description), in the brief's order
    ("permanent", 1, "manager_meeting", "manager",
     "Meet your manager (or another manager or senior) face to face in the office: collect equipment, tour of the "
     "office, log-in details"),
    ("permanent", 1, "e_learning", None,
     "Mandatory e-learning: the case-recording system (Mosaic) and data protection"),
    ("permanent", 1, "buddy_checkin", "buddy", "Buddy check-in"),
    ("permanent", 2, "team_meeting", None, "Pod or team meeting: meet the team"),
    ("permanent", 2, "e_learning", None, "Mandatory e-learning"),
    ("permanent", 3, "shadowing", "buddy", "Shadow a home visit with your buddy"),
    ("permanent", 3, "reading", None,
     "Read the local policies and procedures and the Children's Social Care procedures manual / CFWS practice "
     "standards"),
    ("permanent", 4, "shadowing", None, "Shadow a key meeting (for example a conference, review or panel)"),
    ("permanent", 4, "e_learning", None, "Mandatory e-learning"),
    ("permanent", 5, "buddy_checkin", "buddy", "Buddy check-in"),
    ("permanent", 5, "shadowing", "a", "Shadow a home visit with worker A"),
    ("permanent", 5, "reading", None,
     "Read the local policies and procedures and the procedures manual / practice standards"),
    ("permanent", 6, "shadowing", None, "Shadow a key meeting"),
    ("permanent", 6, "shadowing", "buddy", "Shadow a visit with your buddy"),
    ("permanent", 6, "induction_review", "manager", "Meet your team manager to review the induction"),
    ("permanent", 7, "other", None, "Face-to-face time in the office"),
    ("permanent", 7, "team_meeting", None, "Pod or team meeting: meet the team again"),
    ("permanent", 7, "reading", None,
     "Read the local policies and procedures and the procedures manual / practice standards"),
    ("permanent", 7, "buddy_checkin", "buddy", "Buddy check-in"),
    ("permanent", 8, "shadowing", "a", "Shadow a visit or key meeting with worker A"),
    ("permanent", 8, "reading", None, "Read the case records of cases planned for you, if any are identified"),
    ("permanent", 9, "shadowing", "b", "Shadow a visit or key meeting with worker B"),
    ("permanent", 9, "reading", None,
     "Read the local policies and procedures and the procedures manual / practice standards"),
    ("permanent", 10, "buddy_checkin", "buddy", "Buddy check-in"),
    ("permanent", 10, "reading", None, "Read the case records of cases planned for you, if any are identified"),
    ("agency", 1, "manager_meeting", "manager",
     "Meet your manager (or another manager or senior) face to face in the office: collect equipment, tour of the "
     "office, log-in details"),
    ("agency", 1, "e_learning", None, "Mandatory e-learning: the case-recording system (Mosaic) and data protection"),
    ("agency", 1, "buddy_checkin", "buddy", "Buddy check-in"),
    ("agency", 2, "team_meeting", None, "Pod or team meeting: meet the team"),
    ("agency", 2, "e_learning", None, "Mandatory e-learning"),
    ("agency", 2, "case_allocation", "manager", "Case allocation, by priority"),
    ("agency", 3, "shadowing", "buddy", "Shadow a home visit with your buddy"),
    ("agency", 3, "reading", None,
     "Read the local policies and procedures and the procedures manual / practice standards"),
    ("agency", 4, "shadowing", None, "Shadow a key meeting (for example a conference, review or panel)"),
    ("agency", 4, "e_learning", None, "Mandatory e-learning"),
    ("agency", 5, "buddy_checkin", "buddy", "Buddy check-in"),
    ("agency", 5, "shadowing", "a", "Shadow a home visit with worker A"),
    ("agency", 5, "reading", None,
     "Read the local policies and procedures and the procedures manual / practice standards"),
    ("mover", 1, "manager_meeting", "manager", "Meet your new manager: the team, the office, your caseload plan"),
    ("mover", 1, "team_meeting", None, "Meet the team"),
    ("mover", 1, "buddy_checkin", "buddy", "Buddy check-in"),
    ("mover", 2, "shadowing", "buddy", "Shadow a visit or key meeting with your buddy"),
    ("mover", 2, "reading", None, "Read the team's practice standards and local procedures"),
    ("mover", 3, "buddy_checkin", "buddy", "Buddy check-in"),
    ("mover", 3, "induction_review", "manager", "Review the move with your manager"),
)
CHECKLIST = (
    # (code, section, title, services, jobs, confirmer, deadline, requirement, gates_case_system, automatic,
    #  for_new_starters, for_movers)
    ("A1", "Before the start", "Welcome letter, induction booklet and key documents sent", "csc cfws yos",
     "front_line business_support manager", "manager", "before_start", "required", False, None, True, False),
    ("A2", "Before the start", "This induction procedure shared with the starter", "csc cfws yos",
     "front_line business_support manager", "manager", "before_start", "required", False, None, True, False),
    ("A3", "Before the start", "Log-ins requested (network, e-mail, case-recording system) in time for day 1",
     "csc cfws yos", "front_line business_support manager", "manager", "before_start", "required", False, None, True,
     False),
    ("A4", "Before the start", "Equipment requested through the equipment self-service portal in time for day 1",
     "csc cfws yos", "front_line business_support manager", "manager", "before_start", "required", False, None, True,
     False),
    ("A5", "Before the start", "Induction timetable arranged (shadowing, key meetings)", "csc cfws yos",
     "front_line business_support manager", "manager", "before_start", "required", False, None, True, False),
    ("A6", "Before the start", "Buddy allocated", "csc cfws yos", "front_line business_support manager", "manager",
     "before_start", "required", False, "buddy_named", True, False),
    ("A7", "Before the start", "Invited to the next new starters' meeting with the director (every 3 months)",
     "csc cfws yos", "front_line business_support manager", "business_support", "end_of_induction", "required", False,
     None, True, False),
    ("B1", "Induction bottom lines",
     "Met your manager face to face in the office on day 1 (or another manager or senior)", "csc cfws yos",
     "front_line business_support manager", "manager", "day_1", "required", False, None, True, True),
    ("B2", "Induction bottom lines", "Met your buddy on day 1", "csc cfws yos", "front_line business_support manager",
     "starter", "day_1", "optional", False, None, True, False),
    ("B3", "Induction bottom lines", "Met the team, in person or virtually", "csc cfws yos",
     "front_line business_support manager", "starter", "within_3_days", "required", False, None, True, True),
    ("B4", "Induction bottom lines",
     "Log-in details for IT systems, the case-recording system and e-mail received and working", "csc cfws yos",
     "front_line business_support manager", "starter", "day_1", "required", False, None, True, False),
    ("B5", "Induction bottom lines", "All equipment provided", "csc cfws yos", "front_line business_support manager",
     "starter", "day_1", "required", False, None, True, False),
    ("B6", "Induction bottom lines", "ID badge / printer card appointment made", "csc cfws yos",
     "front_line business_support manager", "business_support", "within_3_days", "required", False, None, True, False),
    ("B7", "Induction bottom lines", "Office induction: where things are, stationery, printer", "csc cfws yos",
     "front_line business_support manager", "business_support", "week_1", "required", False, None, True, False),
    ("B8", "Induction bottom lines", "Office health and safety induction", "csc cfws yos",
     "front_line business_support manager", "business_support", "week_1", "required", False, None, True, False),
    ("B9", "Induction bottom lines", "Links to local policies and procedures, e-learning, training and resources given",
     "csc cfws yos", "front_line business_support manager", "manager", "day_1", "required", False, None, True, False),
    ("B10", "Induction bottom lines",
     "Time set aside in the induction to read the local policies and procedures and complete the e-learning",
     "csc cfws yos", "front_line business_support manager", "manager", "end_of_induction", "required", False, None,
     True, False),
    ("B11", "Induction bottom lines", "Shadowed several different experienced workers (visits, key meetings, groups)",
     "csc cfws yos", "front_line", "manager", "end_of_induction", "required", False, None, True, False),
    ("B12", "Induction bottom lines", "Attended team pods and/or team meetings", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, True),
    ("B13", "Induction bottom lines",
     "Case supervision or hand-over held before any work with a family already allocated (N/A if none)", "csc cfws yos",
     "front_line", "manager", "end_of_induction", "required", False, None, True, True),
    ("B14", "Induction bottom lines", "Induction reviewed with your manager", "csc cfws yos",
     "front_line business_support manager", "manager", "end_of_induction", "required", False, "review_recorded", True,
     True),
    ("C1", "Corporate e-learning and information", "Corporate induction", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C2", "Corporate e-learning and information", "Introduction to local government", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C3", "Corporate e-learning and information", "Display screen equipment (DSE) module", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C4", "Corporate e-learning and information", "Promoting fairness and respect (equality and diversity)",
     "csc cfws yos", "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True,
     False),
    ("C5", "Corporate e-learning and information", "Fraud awareness", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C6", "Corporate e-learning and information", "Freedom of information", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C7", "Corporate e-learning and information", "Customer service", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C8", "Corporate e-learning and information", "Environmental awareness", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C9", "Corporate e-learning and information", "Introduction to health and safety", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C10", "Corporate e-learning and information", "Annual performance reviews (APR)", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C11", "Corporate e-learning and information",
     "Data protection and information security e-learning (with the GDPR module and refresher quiz)", "csc cfws yos",
     "front_line business_support manager", "starter", "week_1", "mandatory", False, None, True, False),
    ("C12", "Corporate e-learning and information", "Introduction to the case-recording system (Mosaic) e-learning",
     "csc cfws", "front_line business_support manager", "starter", "week_1", "mandatory", True, None, True, False),
    ("C12b", "Corporate e-learning and information", "Introduction to Careworks e-learning", "yos",
     "front_line business_support manager", "starter", "week_1", "mandatory", True, None, True, False),
    ("C13", "Corporate e-learning and information", "Introduction to Signs of Safety e-learning", "csc",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C14", "Corporate e-learning and information", "Introduction to Signs of Safety e-learning (optional)", "cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "optional", False, None, True, False),
    ("C15", "Corporate e-learning and information", "Registered for the 2-day Signs of Safety core training course",
     "csc cfws yos", "front_line business_support manager", "manager", "end_of_induction", "required", False, None,
     True, False),
    ("C16", "Corporate e-learning and information", "Microsoft Teams (and Skype) guidance", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C17", "Corporate e-learning and information", "Children and Families Partnership Plan (read)", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C18", "Corporate e-learning and information", "The service's improvement plan (read)", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C19", "Corporate e-learning and information", "Structure charts", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C20", "Corporate e-learning and information", "Local policy, procedure and guidance, including templates",
     "csc cfws yos", "front_line business_support manager", "starter", "end_of_induction", "required", False, None,
     True, False),
    ("C21", "Corporate e-learning and information", "1001 Critical Days e-learning", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C22", "Corporate e-learning and information", "Complaints procedure", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C23", "Corporate e-learning and information", "Signs of Safety resources page", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C24", "Corporate e-learning and information", "Practice newsletter (bi-monthly)", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C25", "Corporate e-learning and information",
     "Join the Children and Families community on the staff social network (Yammer / Viva Engage)", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("C26", "Corporate e-learning and information",
     "Continuing professional development: 3 extra CPD days a year for social-work-qualified staff, booked with your "
     "line manager", "csc cfws", "front_line", "manager", "end_of_induction", "required", False, None, True, False),
    ("C27", "Corporate e-learning and information",
     "Staying safe in the workspace: short video, employee guide and risk assessments", "csc cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "mandatory", False, None, True, False),
    ("C28", "Corporate e-learning and information", "IT training and webinars (Microsoft platforms)", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "optional", False, None, True, False),
    ("D1", "Children's Social Care: key information", "Children's Social Care procedures manual", "csc",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("D2", "Children's Social Care: key information", "Access to the team's shared folder", "csc",
     "front_line business_support manager", "starter", "week_1", "required", False, None, True, True),
    ("D3", "Children's Social Care: key information", "Practice standards", "csc",
     "front_line business_support manager", "starter", "end_of_induction", "required", False, None, True, False),
    ("E1", "CFWS: other training", "Essential awareness in safeguarding", "cfws yos",
     "front_line business_support manager", "starter", "within_6_weeks", "required", False, None, True, False),
    ("E2", "CFWS: other training", "Hate crime", "cfws yos", "front_line business_support manager", "starter",
     "within_6_weeks", "required", False, None, True, False),
    ("E3", "CFWS: other training", "PREVENT", "cfws yos", "front_line business_support manager", "starter",
     "within_6_weeks", "required", False, None, True, False),
    ("E4", "CFWS: other training", "Introduction to Family Star", "cfws yos", "front_line business_support manager",
     "starter", "within_6_weeks", "required", False, None, True, False),
    ("F1", "CFWS: for all staff",
     "Overview of the CFWS: 0-19 CFWS, youth service, youth justice, triage, business support, SEND team, wellbeing "
     "practitioners", "cfws yos", "front_line business_support manager", "manager", "end_of_induction", "required",
     False, None, True, False),
    ("F2", "CFWS: for all staff", "Organisational and locality overview", "cfws yos",
     "front_line business_support manager", "manager", "end_of_induction", "required", False, None, True, False),
    ("F3", "CFWS: for all staff", "Opening and closing routine", "cfws yos", "front_line business_support manager",
     "business_support", "end_of_induction", "required", False, None, True, False),
    ("F4", "CFWS: for all staff", "Youth and justice plans and practice information", "cfws yos",
     "front_line business_support manager", "manager", "end_of_induction", "required", False, None, True, False),
    ("F5", "CFWS: for all staff", "Scanning and copying", "cfws yos", "front_line business_support manager",
     "business_support", "end_of_induction", "required", False, None, True, False),
    ("F6", "CFWS: for all staff", "Room bookings", "cfws yos", "front_line business_support manager",
     "business_support", "end_of_induction", "required", False, None, True, False),
    ("F7", "CFWS: for all staff", "Folders on the shared drive", "cfws yos", "front_line business_support manager",
     "manager", "end_of_induction", "required", False, None, True, True),
    ("F8", "CFWS: for all staff", "Programme of activities", "cfws yos", "front_line business_support manager",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("F9", "CFWS: for all staff", "Accident, incident and near-miss procedure", "cfws yos",
     "front_line business_support manager", "manager", "week_1", "required", False, None, True, False),
    ("F10", "CFWS: for all staff", "Out-of-hours contacts", "cfws yos", "front_line business_support manager",
     "manager", "week_1", "required", False, None, True, False),
    ("F11", "CFWS: for all staff", "Emergency contacts", "cfws yos", "front_line business_support manager", "manager",
     "week_1", "required", False, None, True, False),
    ("F12", "CFWS: for all staff", "Record of continuing professional development (CPD)", "cfws yos",
     "front_line business_support manager", "manager", "end_of_induction", "required", False, None, True, False),
    ("F13", "CFWS: for all staff", "Sign-in sheets", "cfws yos", "front_line business_support manager",
     "business_support", "end_of_induction", "required", False, None, True, False),
    ("F14", "CFWS: for all staff", "Text messaging service", "cfws yos", "front_line business_support manager",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("F15", "CFWS: for all staff", "Calendar permissions", "cfws yos", "front_line business_support manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("F16", "CFWS: for all staff", "Phones", "cfws yos", "front_line business_support manager", "business_support",
     "end_of_induction", "required", False, None, True, False),
    ("F17", "CFWS: for all staff", "End-of-day procedures", "cfws yos", "front_line business_support manager",
     "business_support", "end_of_induction", "required", False, None, True, False),
    ("F18", "CFWS: for all staff", "Duty rota", "cfws yos", "front_line business_support manager", "manager",
     "end_of_induction", "required", False, None, True, True),
    ("F19", "CFWS: for all staff", "Risk assessments", "cfws yos", "front_line business_support manager", "manager",
     "week_1", "required", False, None, True, False),
    ("F20", "CFWS: for all staff", "Local emergency arrangements", "cfws yos", "front_line business_support manager",
     "business_support", "week_1", "required", False, None, True, False),
    ("F21", "CFWS: for all staff", "Meetings", "cfws yos", "front_line business_support manager", "manager",
     "end_of_induction", "required", False, None, True, True),
    ("F22", "CFWS: for all staff", "Supervision arrangements", "cfws yos", "front_line business_support manager",
     "manager", "end_of_induction", "required", False, None, True, True),
    ("F23", "CFWS: for all staff", "Safeguarding competencies", "cfws yos", "front_line business_support manager",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("F24", "CFWS: for all staff", "Timesheets", "cfws yos", "front_line business_support manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("F25", "CFWS: for all staff", "Trade union membership", "cfws yos", "front_line business_support manager",
     "manager", "end_of_induction", "optional", False, None, True, False),
    ("G1", "CFWS: business support", "Stamp log", "cfws yos", "business_support", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("G2", "CFWS: business support", "First aid box monitoring", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G3", "CFWS: business support", "Daily, weekly and annual checks", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G4", "CFWS: business support", "Key holder log", "cfws yos", "business_support", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("G5", "CFWS: business support", "General housekeeping", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G6", "CFWS: business support", "CCTV and intruder alarm (ADT)", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G7", "CFWS: business support", "Invoices and delivery notes", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G8", "CFWS: business support", "Washroom services", "cfws yos", "business_support", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("G9", "CFWS: business support", "Facilities contractor (Servest)", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G10", "CFWS: business support", "Property services", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G11", "CFWS: business support", "Fridge monitoring", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G12", "CFWS: business support", "Toy cleaning", "cfws yos", "business_support", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("G13", "CFWS: business support", "Telephone protocols", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G14", "CFWS: business support", "Contact arrangements", "cfws yos", "business_support", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("G15", "CFWS: business support", "Capita", "cfws yos", "business_support", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("G16", "CFWS: business support", "All policies and procedures: overview and responsibilities", "cfws yos",
     "business_support", "manager", "end_of_induction", "required", False, None, True, False),
    ("H1", "CFWS: front-line workers", "Team champions", "cfws yos", "front_line", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("H2", "CFWS: front-line workers", "Case supervision", "cfws yos", "front_line", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("H3", "CFWS: front-line workers", "Local services", "cfws yos", "front_line", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("H4", "CFWS: front-line workers", "Internal referrals", "cfws yos", "front_line", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("H5", "CFWS: front-line workers", "Expected capacity", "cfws yos", "front_line", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("H6", "CFWS: front-line workers", "Management oversight", "cfws yos", "front_line", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("H7", "CFWS: front-line workers",
     "External partners, a visit or contact with: the borough/district council (housing, community safety, sports and "
     "leisure), police, education, health, the voluntary and community sector", "cfws yos", "front_line", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("H8", "CFWS: front-line workers", "Group work offer, including planning and evaluation", "cfws yos", "front_line",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("H9", "CFWS: front-line workers", "Group work observations", "cfws yos", "front_line", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("H10", "CFWS: front-line workers", "The audit cycle", "cfws yos", "front_line", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("H11", "CFWS: front-line workers", "Development opportunities", "cfws yos", "front_line", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("I1", "CFWS: managers", "HR tasks on Oracle", "cfws yos", "manager", "manager", "end_of_induction", "required",
     False, None, True, False),
    ("I2", "CFWS: managers", "Practice lead responsibilities", "cfws yos", "manager", "manager", "end_of_induction",
     "required", False, None, True, False),
    ("I3", "CFWS: managers", "Managers' meetings: details and dates", "cfws yos", "manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("I4", "CFWS: managers",
     "Policies and procedures for managers: disciplinary, attendance management, induction and probation, leave "
     "arrangements", "cfws yos", "manager", "manager", "end_of_induction", "required", False, None, True, False),
    ("J1", "New managers", "Attendance management workshop", "csc cfws yos", "manager", "manager", "within_6_weeks",
     "optional", False, None, True, False),
    ("J2", "New managers", "Management of health and safety", "csc cfws yos", "manager", "manager", "within_6_weeks",
     "optional", False, None, True, False),
    ("J3", "New managers", "Corporate manager induction checklist completed", "csc cfws yos", "manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("J4", "New managers", "Managing diversity mandatory training", "csc cfws yos", "manager", "manager",
     "within_6_weeks", "mandatory", False, None, True, False),
    ("J5", "New managers", "Managing diversity refresher e-learning", "csc cfws yos", "manager", "manager",
     "within_6_weeks", "optional", False, None, True, False),
    ("J6", "New managers", "People services manager induction", "csc cfws yos", "manager", "manager",
     "end_of_induction", "optional", False, None, True, False),
    ("J7", "New managers", "Leadership and management pages on the learning hub", "csc cfws yos", "manager", "manager",
     "end_of_induction", "optional", False, None, True, False),
    ("J8", "New managers", "HR and finance self-service: manager functions (leave, mileage, contract changes)",
     "csc cfws yos", "manager", "manager", "end_of_induction", "required", False, None, True, False),
    ("J9", "New managers", "Budget system access (only if you manage a budget; otherwise N/A)", "csc cfws yos",
     "manager", "manager", "end_of_induction", "required", False, None, True, False),
    ("J10", "New managers", "Team performance reports (Tableau) access", "csc cfws yos", "manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("J11", "New managers", "Critical incident response procedure", "csc cfws yos", "manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("J12", "New managers", "Equipment requests and fault reporting (self-service portal)", "csc cfws yos", "manager",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("J13", "New managers", "Corporate HR advice: how to reach it", "csc cfws yos", "manager", "manager",
     "end_of_induction", "optional", False, None, True, False),
    ("J14", "New managers", "Coaching for managers", "csc cfws yos", "manager", "manager", "end_of_induction",
     "optional", False, None, True, False),
    ("J15", "New managers",
     "Quarterly thematic audits: a buddy for your first audit (CFWS: with pre- and post-audit briefings)",
     "csc cfws yos", "manager", "manager", "end_of_induction", "required", False, None, True, False),
    ("J16", "New managers", "Monthly supervision return to QAIT by the first Friday", "csc cfws yos", "manager",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("J17", "New managers", "Monthly caseload report: add commentary within a week", "csc", "manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("J18", "New managers",
     "Supervision policy, procedure and guidance; supervision resources and training for managers", "csc", "manager",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("J19", "New managers", "Invited to the monthly childcare managers' meeting", "csc", "manager", "manager",
     "end_of_induction", "required", False, None, True, False),
    ("J20", "New managers", "Quality assurance activity, CFWS-wide and in your service area", "cfws yos", "manager",
     "manager", "end_of_induction", "required", False, None, True, False),
    ("K1", "Support", "New Starters Network", "csc cfws yos", "front_line business_support manager", "starter",
     "end_of_induction", "optional", False, None, True, False),
    ("K2", "Support", "The 24-hour staff support line and portal", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "optional", False, None, True, False),
    ("K3", "Support", "Staff networks and groups (attended in office hours, agency staff included)", "csc cfws yos",
     "front_line business_support manager", "starter", "end_of_induction", "optional", False, None, True, False),
)

SERVICE_FLAGS = ("csc", "cfws", "yos")
JOB_FLAGS = {"front_line": "for_front_line", "business_support": "for_business_support", "manager": "for_managers"}
# A service's checklist group, guessed from its name; an admin corrects it on the service's form.
GROUP_WORDS = (("social care", "csc"), ("wellbeing", "cfws"), ("youth", "yos"))


def upgrade():
    op.create_table('induction_checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('section', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('for_csc', sa.Boolean(), nullable=False),
    sa.Column('for_cfws', sa.Boolean(), nullable=False),
    sa.Column('for_yos', sa.Boolean(), nullable=False),
    sa.Column('for_front_line', sa.Boolean(), nullable=False),
    sa.Column('for_business_support', sa.Boolean(), nullable=False),
    sa.Column('for_managers', sa.Boolean(), nullable=False),
    sa.Column('confirmer', sa.String(length=20), nullable=False),
    sa.Column('deadline', sa.String(length=16), nullable=False),
    sa.Column('requirement', sa.String(length=10), nullable=False),
    sa.Column('gates_case_system', sa.Boolean(), nullable=False),
    sa.Column('automatic', sa.String(length=20), nullable=True),
    sa.Column('for_new_starters', sa.Boolean(), nullable=False),
    sa.Column('for_movers', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("automatic IS NULL OR automatic IN ('buddy_named', 'review_recorded')", name=op.f('ck_induction_checklist_items_automatic')),
    sa.CheckConstraint("confirmer IN ('starter', 'manager', 'business_support')", name=op.f('ck_induction_checklist_items_confirmer')),
    sa.CheckConstraint("deadline IN ('before_start', 'day_1', 'within_3_days', 'week_1', 'within_6_weeks', 'end_of_induction')", name=op.f('ck_induction_checklist_items_deadline')),
    sa.CheckConstraint("requirement IN ('mandatory', 'required', 'optional')", name=op.f('ck_induction_checklist_items_requirement')),
    sa.CheckConstraint('for_csc OR for_cfws OR for_yos', name=op.f('ck_induction_checklist_items_service')),
    sa.CheckConstraint('for_front_line OR for_business_support OR for_managers', name=op.f('ck_induction_checklist_items_job')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_induction_checklist_items')),
    sa.UniqueConstraint('code', name=op.f('uq_induction_checklist_items_code'))
    )
    op.create_table('induction_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('length_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('permanent', 'agency', 'mover')", name=op.f('ck_induction_templates_kind')),
    sa.CheckConstraint('length_days BETWEEN 1 AND 60', name=op.f('ck_induction_templates_length_days')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_induction_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_induction_templates_name'))
    )
    with op.batch_alter_table('induction_templates', schema=None) as batch_op:
        batch_op.create_index('uq_induction_templates_active_kind', ['kind'], unique=True, sqlite_where=sa.text("active AND kind IN ('permanent', 'agency')"), postgresql_where=sa.text("active AND kind IN ('permanent', 'agency')"))

    op.create_table('induction_template_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('day_number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('host_slot', sa.String(length=8), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("host_slot IS NULL OR host_slot IN ('manager', 'buddy', 'a', 'b')", name=op.f('ck_induction_template_days_host_slot')),
    sa.CheckConstraint("kind IN ('manager_meeting', 'buddy_checkin', 'team_meeting', 'shadowing', 'e_learning', 'reading', 'case_allocation', 'induction_review', 'other')", name=op.f('ck_induction_template_days_kind')),
    sa.CheckConstraint('day_number >= 1', name=op.f('ck_induction_template_days_day_number')),
    sa.ForeignKeyConstraint(['template_id'], ['induction_templates.id'], name=op.f('fk_induction_template_days_template_id_induction_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_induction_template_days'))
    )
    with op.batch_alter_table('induction_template_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_induction_template_days_template_id'), ['template_id'], unique=False)

    op.create_table('inductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('employment_type', sa.String(length=16), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('template_version', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('length_days', sa.Integer(), nullable=False),
    sa.Column('service_group', sa.String(length=8), nullable=False),
    sa.Column('job_group', sa.String(length=20), nullable=False),
    sa.Column('opened_via', sa.String(length=12), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('review_held_on', sa.Date(), nullable=True),
    sa.Column('review_notes', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_on', sa.Date(), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint("job_group IN ('front_line', 'business_support', 'manager')", name=op.f('ck_inductions_job_group')),
    sa.CheckConstraint("kind IN ('new_starter', 'mover')", name=op.f('ck_inductions_kind')),
    sa.CheckConstraint("opened_via IN ('staff_form', 'import', 'by_hand', 'demo')", name=op.f('ck_inductions_opened_via')),
    sa.CheckConstraint('(cancelled_at IS NULL) = (cancel_reason IS NULL)', name=op.f('ck_inductions_cancel_reason')),
    sa.CheckConstraint('length_days >= 1', name=op.f('ck_inductions_length_days')),
    sa.CheckConstraint('signed_off_at IS NULL OR cancelled_at IS NULL', name=op.f('ck_inductions_one_ending')),
    sa.CheckConstraint('signed_off_at IS NULL OR review_held_on IS NOT NULL', name=op.f('ck_inductions_reviewed')),
    sa.CheckConstraint('starts_on >= start_date AND ends_on >= starts_on', name=op.f('ck_inductions_dates')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['staff.id'], name=op.f('fk_inductions_cancelled_by_id_staff')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['staff.id'], name=op.f('fk_inductions_opened_by_id_staff')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['staff.id'], name=op.f('fk_inductions_reviewed_by_id_staff')),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['staff.id'], name=op.f('fk_inductions_signed_off_by_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_inductions_staff_id_staff')),
    sa.ForeignKeyConstraint(['template_id'], ['induction_templates.id'], name=op.f('fk_inductions_template_id_induction_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inductions')),
    sa.UniqueConstraint('staff_id', 'kind', 'start_date', name='uq_inductions_staff_id_kind_start_date')
    )
    with op.batch_alter_table('inductions', schema=None) as batch_op:
        batch_op.create_index('ix_inductions_staff_id_starts_on', ['staff_id', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_inductions_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index('uq_inductions_open_staff', ['staff_id'], unique=True, sqlite_where=sa.text('signed_off_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('signed_off_at IS NULL AND cancelled_at IS NULL'))

    op.create_table('induction_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('induction_id', sa.Integer(), nullable=False),
    sa.Column('day_number', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('host_slot', sa.String(length=8), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("host_slot IS NULL OR host_slot IN ('manager', 'buddy', 'a', 'b')", name=op.f('ck_induction_days_host_slot')),
    sa.CheckConstraint("kind IN ('manager_meeting', 'buddy_checkin', 'team_meeting', 'shadowing', 'e_learning', 'reading', 'case_allocation', 'induction_review', 'other')", name=op.f('ck_induction_days_kind')),
    sa.CheckConstraint('day_number >= 1', name=op.f('ck_induction_days_day_number')),
    sa.ForeignKeyConstraint(['induction_id'], ['inductions.id'], name=op.f('fk_induction_days_induction_id_inductions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_induction_days'))
    )
    with op.batch_alter_table('induction_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_induction_days_induction_id'), ['induction_id'], unique=False)

    op.create_table('induction_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('induction_id', sa.Integer(), nullable=False),
    sa.Column('source_item_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('section', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('confirmer', sa.String(length=20), nullable=False),
    sa.Column('deadline', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('requirement', sa.String(length=10), nullable=False),
    sa.Column('gates_case_system', sa.Boolean(), nullable=False),
    sa.Column('automatic', sa.String(length=20), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('na_reason', sa.String(length=300), nullable=True),
    sa.Column('na_by_id', sa.Integer(), nullable=True),
    sa.Column('na_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.CheckConstraint("confirmer IN ('starter', 'manager', 'business_support')", name=op.f('ck_induction_items_confirmer')),
    sa.CheckConstraint("deadline IN ('before_start', 'day_1', 'within_3_days', 'week_1', 'within_6_weeks', 'end_of_induction')", name=op.f('ck_induction_items_deadline')),
    sa.CheckConstraint("requirement IN ('mandatory', 'required', 'optional')", name=op.f('ck_induction_items_requirement')),
    sa.CheckConstraint('confirmed_on IS NULL OR done_on IS NOT NULL', name=op.f('ck_induction_items_confirmed_done')),
    sa.CheckConstraint('na_reason IS NULL OR done_on IS NULL', name=op.f('ck_induction_items_done_or_na')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['staff.id'], name=op.f('fk_induction_items_confirmed_by_id_staff')),
    sa.ForeignKeyConstraint(['done_by_id'], ['staff.id'], name=op.f('fk_induction_items_done_by_id_staff')),
    sa.ForeignKeyConstraint(['induction_id'], ['inductions.id'], name=op.f('fk_induction_items_induction_id_inductions')),
    sa.ForeignKeyConstraint(['na_by_id'], ['staff.id'], name=op.f('fk_induction_items_na_by_id_staff')),
    sa.ForeignKeyConstraint(['source_item_id'], ['induction_checklist_items.id'], name=op.f('fk_induction_items_source_item_id_induction_checklist_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_induction_items'))
    )
    with op.batch_alter_table('induction_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_induction_items_induction_id'), ['induction_id'], unique=False)

    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('induction_group', sa.String(length=8), nullable=False, server_default='other'))
        batch_op.create_check_constraint('induction_group', "induction_group IN ('csc', 'cfws', 'yos', 'other')")

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_weekday', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('business_support_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_teams_business_support_id_staff', 'staff', ['business_support_id'], ['id'])
        batch_op.create_check_constraint('meeting_weekday', 'meeting_weekday BETWEEN 0 AND 4')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.alter_column('induction_group', server_default=None)
    seed_templates(op.get_bind())



def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_teams_meeting_weekday'), type_='check')
        batch_op.drop_constraint('fk_teams_business_support_id_staff', type_='foreignkey')
        batch_op.drop_column('business_support_id')
        batch_op.drop_column('meeting_weekday')

    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_services_induction_group'), type_='check')
        batch_op.drop_column('induction_group')

    with op.batch_alter_table('induction_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_induction_items_induction_id'))

    op.drop_table('induction_items')
    with op.batch_alter_table('induction_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_induction_days_induction_id'))

    op.drop_table('induction_days')
    with op.batch_alter_table('inductions', schema=None) as batch_op:
        batch_op.drop_index('uq_inductions_open_staff', sqlite_where=sa.text('signed_off_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('signed_off_at IS NULL AND cancelled_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_inductions_starts_on'))
        batch_op.drop_index('ix_inductions_staff_id_starts_on')

    op.drop_table('inductions')
    with op.batch_alter_table('induction_template_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_induction_template_days_template_id'))

    op.drop_table('induction_template_days')
    with op.batch_alter_table('induction_templates', schema=None) as batch_op:
        batch_op.drop_index('uq_induction_templates_active_kind', sqlite_where=sa.text("active AND kind IN ('permanent', 'agency')"), postgresql_where=sa.text("active AND kind IN ('permanent', 'agency')"))

    op.drop_table('induction_templates')
    op.drop_table('induction_checklist_items')


def seed_templates(connection):
    """Inserts the seeded templates and checklist, and guesses each service's checklist group."""
    templates = sa.table("induction_templates", sa.column("id", sa.Integer), sa.column("name", sa.String),
                         sa.column("kind", sa.String), sa.column("length_days", sa.Integer),
                         sa.column("active", sa.Boolean), sa.column("version", sa.Integer),
                         sa.column("updated_at", teamops.types.UTCDateTime))
    days = sa.table("induction_template_days", *(sa.column(name) for name in (
        "template_id", "day_number", "kind", "host_slot", "description", "position")))
    items = sa.table("induction_checklist_items", *(sa.column(name) for name in (
        "code", "section", "title", "link", "for_csc", "for_cfws", "for_yos", "for_front_line",
        "for_business_support", "for_managers", "confirmer", "deadline", "requirement", "gates_case_system",
        "automatic", "for_new_starters", "for_movers", "position", "active", "version")))
    now = datetime.now(UTC)
    ids = {}
    for number, (name, kind, length) in enumerate(TEMPLATES, start=1):
        connection.execute(templates.insert().values(id=number, name=name, kind=kind, length_days=length,
                                                     active=True, version=1, updated_at=now))
        ids[kind] = number
    connection.execute(days.insert(), [
        {"template_id": ids[template], "day_number": number, "kind": kind, "host_slot": host,
         "description": text, "position": position}
        for position, (template, number, kind, host, text) in enumerate(TEMPLATE_DAYS)])
    rows = []
    for position, (code, section, title, services, jobs, confirmer, deadline, requirement, gates, automatic,
                   starters, movers) in enumerate(CHECKLIST):
        row = {"code": code, "section": section, "title": title, "link": None, "confirmer": confirmer,
               "deadline": deadline, "requirement": requirement, "gates_case_system": gates,
               "automatic": automatic, "for_new_starters": starters, "for_movers": movers,
               "position": position, "active": True, "version": 1}
        row.update({f"for_{flag}": flag in services.split() for flag in SERVICE_FLAGS})
        row.update({column: job in jobs.split() for job, column in JOB_FLAGS.items()})
        rows.append(row)
    connection.execute(items.insert(), rows)
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT setval('induction_templates_id_seq', (SELECT max(id) FROM induction_templates))"))
    services = sa.table("services", sa.column("id", sa.Integer), sa.column("name", sa.String),
                        sa.column("induction_group", sa.String))
    for service_id, name in connection.execute(sa.select(services.c.id, services.c.name)).all():
        group = next((code for words, code in GROUP_WORDS if words in name.lower()), "other")
        connection.execute(services.update().where(services.c.id == service_id).values(induction_group=group))
