"""The rating pad for the government-service 好差评 system."""

__version__ = "0.1.0"
