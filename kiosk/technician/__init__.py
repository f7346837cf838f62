"""The technician's tools without Qt widgets: the PIN, the doctor's checks, settings, the diagnostics bundle.

The console's screens (kiosk/ui/technician) and the `kiosk pin set` / `kiosk doctor` commands share them.
"""
