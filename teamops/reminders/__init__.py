"""Reminders that really arrive (issue 15): e-mail through the configured relay (``mail``), and the daily
``send-reminders`` run (``run``) that gathers what is due for each person (``sources``) into one digest, claimed
in the database before it is sent (``models.ReminderSend``) so that no run sends anything twice."""
