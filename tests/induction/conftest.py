"""The import tests' fixtures, for the tests of opening an induction by import."""

from tests.imports.conftest import import_cli, write_csv  # noqa: F401 - fixtures
