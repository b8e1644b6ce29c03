"""Cases (case-system references only) and management oversight."""
