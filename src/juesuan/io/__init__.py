"""Reading datasets from files: YAML with source positions, problems as findings."""
