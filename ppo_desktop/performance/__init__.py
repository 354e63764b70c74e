"""Scheme performance: the re-offending ceiling, cohort trends, capacity and equality (003 §2, 000 §9)."""
