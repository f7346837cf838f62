"""Logging to `DIR/logs/` (rotating) and stderr. Nothing personal is ever logged in clear: callers log
masked values only, and this module adds no request bodies."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(
    data_dir: Path | None, level: int = logging.INFO, stderr_level: int = logging.WARNING
) -> None:
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler.get_name() == "kiosk":
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler()
    console.setLevel(stderr_level)
    console.setFormatter(logging.Formatter(LOG_FORMAT))
    console.set_name("kiosk")
    root.addHandler(console)
    if data_dir is not None:
        logs = data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            logs / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        file_handler.setLevel(level)
        file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
        file_handler.set_name("kiosk")
        root.addHandler(file_handler)
    # Third-party loggers that could echo URLs with query strings or bodies stay quiet.
    for name in ("urllib3", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).setLevel(logging.WARNING)


# Qt's own warnings that say nothing about the pad: the offscreen platform's note on every shown window,
# and QtMultimedia's complaints on a machine without a sound card.
_QT_NOISE = ("This plugin does not support propagateSizeHints", "PulseAudio", "pa_context_connect")


def route_qt_messages() -> None:
    """Sends Qt's messages to Python logging (so to the log files), without its known noise."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if any(noise in message for noise in _QT_NOISE):
            return
        qt_log.log(levels.get(kind, logging.WARNING), "%s: %s", context.category or "qt", message)

    qInstallMessageHandler(handler)
