"""The import tests' fixtures, for the case tests that import a file (the ASYE warning)."""

from tests.imports.conftest import import_cli, write_csv  # noqa: F401 - fixtures
