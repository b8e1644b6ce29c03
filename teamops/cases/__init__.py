"""Cases: the list with due dates, a case's page, and the manager's changes (create, allocate, close,
oversight). A case is only its case-system reference: never a child's name."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
