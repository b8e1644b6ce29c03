"""The supervision policy: case-type intervals and caps, edited by admins."""
