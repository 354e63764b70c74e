"""The panel's rules: review dates, de-selection prompts, amber list, capacity, ranking."""
