"""Linking: judge and resolve what reports mention against the vocabularies."""
