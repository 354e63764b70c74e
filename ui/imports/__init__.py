"""Bringing data in and sending it out: the import dialog and the transfer pack dialogs."""
