"""Logging to `DIR/logs/` (rotating) and stderr. Nothing personal is ever logged in clear: callers log
masked values only, this module adds no request bodies, and every handler masks what slips through."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType

from kiosk.domain.masking import redact

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PersonalDataFilter(logging.Filter):
    """The last line of defence for rules.md R3: masks ID numbers (18 and 15 digits), mobile numbers and
    bank-card-like digit runs in every record a handler writes, its arguments and traceback included.

    Callers never log personal data on purpose; this catches what comes from outside (a province's
    message quoted in an exception, a library's error text).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call must not take the caller down, nor leak its arguments
            message = f"{record.msg!s} (unformattable arguments)"
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _add_handler(root: logging.Logger, handler: logging.Handler, level: int) -> None:
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(PersonalDataFilter())
    handler.set_name("kiosk")
    root.addHandler(handler)


def setup_logging(
    data_dir: Path | None, level: int = logging.INFO, stderr_level: int = logging.WARNING
) -> None:
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler.get_name() == "kiosk":
            root.removeHandler(handler)
            handler.close()
    _add_handler(root, logging.StreamHandler(), stderr_level)
    if data_dir is not None:
        logs = data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            logs / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        _add_handler(root, file_handler, level)
    # Third-party loggers that could echo URLs with query strings or bodies stay quiet.
    for name in ("urllib3", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).setLevel(logging.WARNING)


def log_uncaught_exceptions() -> None:
    """Sends an uncaught exception's report (any thread's) through logging, so that it is masked like every
    other line, instead of Python's printing it raw to stderr."""
    crash = logging.getLogger("kiosk.crash")

    def on_main(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        crash.critical("uncaught exception", exc_info=(kind, value, tb))

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        crash.critical(
            "uncaught exception in thread %s",
            name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    sys.excepthook = on_main
    threading.excepthook = on_thread


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
