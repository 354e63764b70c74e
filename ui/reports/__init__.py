"""Reports: build, preview (from memory), print and save documents."""
