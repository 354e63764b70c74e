"""What the panel does: domain, scoring, rules, services, documents and audit (no Qt)."""

__version__ = "0.1.0"
