"""Models of the inquiry flow arrive with the inquiries issue."""
