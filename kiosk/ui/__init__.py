"""The Pad's face for people: the citizen's screens and the technician's console. Only this package
imports QtWidgets."""
