"""Performance: the dashboard, its charts and the convictions of a cohort year."""
