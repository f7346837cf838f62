"""The technician's console (kiosk/console holds what it shares with the `kiosk` command)."""

from kiosk.ui.console.console import TechnicianConsole

__all__ = ["TechnicianConsole"]
