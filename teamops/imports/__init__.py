"""CSV imports: the upload page with preview; the CLI command lives in teamops.cli."""
