"""The bundle's entry point: the `kiosk` command, as kiosk/__main__.py is in the source tree.

A script of its own, outside the package, so that PyInstaller does not put kiosk/ itself on the module path
(where kiosk/config.py or kiosk/logs.py would shadow any top-level `config` or `logs`).
"""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
