"""Open-data dumps of the whole store: RDF files, CSV tables, and their DCAT-AP description."""
