"""Supervision: policy, cases, bookings, records, oversight, actions and the due-date rules."""
