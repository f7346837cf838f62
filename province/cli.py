"""`kiosk sandbox …` (cli.md): serve the sandbox, or issue an enrolment code.

    kiosk sandbox [--host 127.0.0.1] [--port 8700] [--db FILE] [--faults SPEC] [--tls DIR]
    kiosk sandbox issue-code [--db FILE] --hall H --window W
    kiosk sandbox issue-app [--db FILE] --hall H --window W

Exit codes: 0 success, 1 the work failed, 2 bad usage (with a message naming the flag). stdout carries only
the ready line (or the code, or the app's two TOML lines); logs go to stderr.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import NoReturn

from province.errors import UnknownWindowError
from province.faults import FaultPlan
from province.server import SandboxServer
from province.store import DEFAULT_DB, issue_app, issue_code
from province.tls import make_server_tls, server_hosts

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a message naming the flag (cli.md exit codes)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0..65535, got {text!r}")
    return int(text)


def _faults(text: str) -> FaultPlan:
    try:
        return FaultPlan.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _serve_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kiosk sandbox", description="The provincial 好差评 sandbox service (uplink-api.md)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8700, help="port; 0 for a free one (default 8700)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file (default ./sandbox.sqlite3)")
    parser.add_argument(
        "--faults",
        type=_faults,
        default=None,
        metavar="SPEC",
        help="e.g. error=0.2,drop=0.1,delay=0.5,token_expiry=20",
    )
    parser.add_argument(
        "--tls",
        type=Path,
        default=None,
        metavar="DIR",
        help="serve HTTPS with a throwaway CA kept in DIR (made when missing); the ready line names DIR/ca.pem",
    )
    return parser


def _issue_code_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk sandbox issue-code", description="Print a single-use enrolment code.")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file (default ./sandbox.sqlite3)")
    parser.add_argument("--hall", required=True, help="hall code, e.g. 350102-ZWFW")
    parser.add_argument("--window", required=True, help="window number, e.g. A07")
    return parser


def _issue_app_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kiosk sandbox issue-app",
        description="Print a Fujian gateway app (app_key and app_code) for a window, as [uplink.fujian] lines.",
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file (default ./sandbox.sqlite3)")
    parser.add_argument("--hall", required=True, help="hall code, e.g. 350102-ZWFW")
    parser.add_argument("--window", required=True, help="window number, e.g. A07")
    return parser


def _check_db_dir(parser: argparse.ArgumentParser, db: Path) -> None:
    if not db.parent.is_dir():
        parser.error(f"argument --db: directory {str(db.parent)!r} does not exist")


def main(argv: list[str]) -> int:
    """Runs `kiosk sandbox` with the arguments after `sandbox`.

    Args:
        argv: e.g. `["--port", "0"]` or `["issue-code", "--hall", "350102-ZWFW", "--window", "A07"]`.

    Returns:
        The exit code.
    """
    if argv[:1] == ["issue-code"]:
        return _issue_code(argv[1:])
    if argv[:1] == ["issue-app"]:
        return _issue_app(argv[1:])
    return _serve(argv)


def _issue_code(argv: list[str]) -> int:
    parser = _issue_code_parser()
    args = parser.parse_args(argv)
    _check_db_dir(parser, args.db)
    try:
        code = issue_code(args.db, args.hall, args.window)
    except UnknownWindowError as exc:
        print(f"kiosk sandbox issue-code: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(code, flush=True)
    return EXIT_OK


def _issue_app(argv: list[str]) -> int:
    parser = _issue_app_parser()
    args = parser.parse_args(argv)
    _check_db_dir(parser, args.db)
    try:
        app = issue_app(args.db, args.hall, args.window)
    except UnknownWindowError as exc:
        print(f"kiosk sandbox issue-app: {exc}", file=sys.stderr)
        return EXIT_FAILED
    # TOML, so that a technician can paste the two lines under [uplink.fujian]; both are plain hex.
    print(f'app_key = "{app.app_key}"\napp_code = "{app.app_code}"', flush=True)
    return EXIT_OK


def _serve(argv: list[str]) -> int:
    parser = _serve_parser()
    args = parser.parse_args(argv)
    _check_db_dir(parser, args.db)
    _log_to_stderr()
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        tls = None
        if args.tls is not None:
            try:
                tls = make_server_tls(args.tls, server_hosts(args.host))
            except OSError as exc:
                print(
                    f"kiosk sandbox: cannot write the certificates in {str(args.tls)!r}: {exc}",
                    file=sys.stderr,
                )
                return EXIT_FAILED
        try:
            server = SandboxServer(args.db, args.host, args.port, args.faults, tls=tls)
        except OSError as exc:
            print(f"kiosk sandbox: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
            return EXIT_FAILED
        try:
            url = server.start()
            # With --tls the pad (and curl) must be told to trust the CA: the ready line names it.
            ca = f" ca={tls.ca.resolve()}" if tls is not None else ""
            print(f"sandbox: ready url={url}{ca}", flush=True)
            # A timed wait, so that the signal handler gets to run on the main thread promptly.
            while not stop.wait(0.5):
                pass
        finally:
            server.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("province", "uvicorn"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
