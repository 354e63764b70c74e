"""The live scoring widget, laid out like the paper form."""
