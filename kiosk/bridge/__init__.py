"""The counter bridge: the case system's HTTP face of the Pad (counter-bridge-api.md)."""
