"""The Pad: the heart of the product, and the collaborators it is a facade over.

`Pad` (pad.py) owns the current session and takes every event on the Qt thread. What it does is done by
small collaborators, each testable alone: the counter's sessions (session_flow), presses (presses, R8),
the reason picker (picker, R4), recording (recording), the R6 default watch (default_watch), alerts and
the storage probe (alerts, storage), who speaks (speaker), the QR codes (qr_codes), the settings in force
(settings), and what the screens show (screen_model, a pure function).
"""

from kiosk.pad.pad import Pad
from kiosk.pad.session_flow import SessionRefused
from kiosk.pad.settings import PadSettings
from kiosk.pad.status import PadStatus

__all__ = ["Pad", "PadSettings", "PadStatus", "SessionRefused"]
