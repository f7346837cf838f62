"""The pad as a service on its machine: systemd's notify and watchdog protocol, one pad per data directory,
and a screen that stays awake. None of it is needed in a test or a demo; all of it is a no-op there."""
