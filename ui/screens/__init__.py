"""One module per main screen."""
