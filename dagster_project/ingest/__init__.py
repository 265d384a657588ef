"""Plain logic of the ingest stage: the inbox by document, and the plan of a refresh run."""
