"""The technician's console (kiosk/technician holds what it shares with the `kiosk` command)."""

from kiosk.ui.technician.console import TechnicianConsole

__all__ = ["TechnicianConsole"]
