"""WSGI entry point: ``gunicorn wsgi:app``."""

from teamops import create_app

app = create_app()
