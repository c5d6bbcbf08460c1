"""Letterboxd both ways: the export files its importer takes, and its exports imported."""
