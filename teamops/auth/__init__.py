"""Accounts: sign-in, sign-out, passwords."""
