"""Meeting mode: agenda builder, chair console, projector window."""
