"""Controlled vocabularies: NUTS regions, UN SDGs and Wikidata names, downloaded or loaded."""
