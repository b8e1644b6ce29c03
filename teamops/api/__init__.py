"""The read-only reporting API (CONTRACT.md "Reporting API")."""
