"""One module per import kind (CONTRACT.md "CSV imports"), each planning its changes for run_import."""
