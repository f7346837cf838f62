"""The uplink to the provincial 好差评 service (uplink-api.md): signing, enrolment, sending, config,
heartbeat. Everything here runs on the uplink's own thread, never on the GUI thread."""
