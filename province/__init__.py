"""The provincial 好差评 sandbox: an independent implementation of the province's side of the uplink.

It stands for the real provincial service (shared/specs/uplink-api.md) in development, demos, tests and a
technician's connection check, so it never imports `kiosk`: tests that drive both sides catch each side's
bugs. Entry points:

- `province.store.SandboxStore`: the sandbox's SQLite state (halls, devices, ratings, chains, fault counts).
- `province.server.SandboxServer`: the HTTP service on a background thread, for in-process use.
- `province.cli.main`: `kiosk sandbox …` (shared/specs/cli.md).
"""
