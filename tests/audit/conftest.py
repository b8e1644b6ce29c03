"""The record fixtures, for the tests that write records and then read the audit trail."""

from tests.records.conftest import booking_for, case_of, saved_record

__all__ = ["booking_for", "case_of", "saved_record"]
