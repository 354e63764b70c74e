"""Bringing records in from spreadsheets: sources, column mapping, dry run, all-or-nothing import."""
