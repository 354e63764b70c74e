"""Printed documents (reportlab): each builder returns PDF bytes; nothing touches the disk."""
