"""The `kiosk` command (cli.md). Each subcommand imports what it needs only when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from kiosk import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a message naming the flag, as cli.md's exit codes say."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"kiosk: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _button_map(text: str) -> dict[int, int]:
    """`--map 1=5,2=4,…` as a button map."""
    mapping: dict[int, int] = {}
    for item in filter(None, text.split(",")):
        button, sep, level = item.partition("=")
        if not sep or not button.strip().isdigit() or level.strip() not in {"1", "2", "3", "4", "5"}:
            raise argparse.ArgumentTypeError(f"--map takes B=L pairs with L in 1..5, got {item!r}")
        mapping[int(button)] = int(level)
    if not mapping:
        raise argparse.ArgumentTypeError("--map is empty")
    return mapping


def _address(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 8:
        raise argparse.ArgumentTypeError(f"--address must be 1..8, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="The 好差评 rating pad.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = commands.add_parser("run", help="run the pad")
    run.add_argument("--data-dir", type=Path)
    run.add_argument("--config", type=Path)
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    run.add_argument("--headless", action="store_true")
    run.set_defaults(handler=_run)

    demo = commands.add_parser("demo", help="the whole system on one machine")
    demo.add_argument("--headless", action="store_true")
    demo.add_argument("--ratings", type=int, default=5)
    demo.add_argument(
        "--role",
        choices=("counter", "terminal"),
        default="counter",
        help="a window pad or a self-service terminal",
    )
    demo.add_argument("--data-dir", type=Path)
    demo.add_argument("--profile", choices=("json", "fujian-gateway"), default="json")
    demo.set_defaults(handler=_demo)

    _add_device_commands(commands)

    store = commands.add_parser("store", help="ledger tools")
    store_tools = store.add_subparsers(dest="tool", required=True, parser_class=_Parser)
    verify = store_tools.add_parser("verify", help="check the ledger's integrity and chain")
    verify.add_argument("--data-dir", type=Path)
    verify.set_defaults(handler=_store_verify)

    # The sandbox parses its own arguments (province/cli.py): it is a separate program that the kiosk
    # command only starts.
    commands.add_parser("sandbox", help="the provincial sandbox service", add_help=False)

    pin = commands.add_parser("pin", help="the technician console's PIN")
    pin_tools = pin.add_subparsers(dest="tool", required=True, parser_class=_Parser)
    pin_set = pin_tools.add_parser("set", help="ask for the PIN twice and store only its salted hash")
    pin_set.add_argument("--data-dir", type=Path)
    pin_set.set_defaults(handler=_pin_set)

    doctor = commands.add_parser("doctor", help="diagnostics a technician can read over the phone")
    doctor.add_argument("--data-dir", type=Path)
    doctor.set_defaults(handler=_doctor)

    shots = commands.add_parser("screenshots", help="render every citizen screen to PNG")
    shots.add_argument("--out", type=Path, required=True)
    shots.add_argument("--size", dest="sizes", action="append", default=[], metavar="WxH")
    shots.set_defaults(handler=_screenshots)
    return parser


def _add_device_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The evaluator's, the ID card reader's and the scanner's simulators and monitors."""
    evaluator = commands.add_parser("evaluator", help="evaluator tools")
    tools = evaluator.add_subparsers(dest="tool", required=True, parser_class=_Parser)
    simulate = tools.add_parser("simulate", help="a virtual evaluator on a new pseudo-terminal")
    simulate.add_argument("--protocol", choices=("frame", "ascii"), default="frame")
    simulate.add_argument("--address", type=_address, default=1)
    simulate.add_argument("--link", type=Path)
    simulate.set_defaults(handler=_evaluator_simulate)
    monitor = tools.add_parser("monitor", help="print each press of an evaluator as a JSON line")
    monitor.add_argument("--port", required=True)
    monitor.add_argument("--protocol", choices=("frame", "ascii"), default="frame")
    monitor.add_argument("--baud", type=int, default=9600)
    monitor.add_argument("--address", type=_address, default=1)
    monitor.add_argument("--map", dest="buttons", type=_button_map, default=None)
    monitor.set_defaults(handler=_evaluator_monitor)

    idcard = commands.add_parser("idcard", help="ID card reader tools (self-service terminals)")
    idcard_tools = idcard.add_subparsers(dest="tool", required=True, parser_class=_Parser)
    idcard_simulate = idcard_tools.add_parser(
        "simulate", help="a virtual SAM reader on a new pseudo-terminal"
    )
    idcard_simulate.add_argument("--link", type=Path)
    idcard_simulate.set_defaults(handler=_idcard_simulate)
    idcard_monitor = idcard_tools.add_parser("monitor", help="print each card read, masked, as a JSON line")
    idcard_monitor.add_argument("--port", required=True)
    idcard_monitor.set_defaults(handler=_idcard_monitor)

    scanner = commands.add_parser("scanner", help="barcode scanner tools (self-service terminals)")
    scanner_tools = scanner.add_subparsers(dest="tool", required=True, parser_class=_Parser)
    scanner_simulate = scanner_tools.add_parser(
        "simulate", help="a virtual serial scanner on a new pseudo-terminal"
    )
    scanner_simulate.add_argument("--link", type=Path)
    scanner_simulate.set_defaults(handler=_scanner_simulate)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["sandbox"]:
        from province.cli import main as sandbox_main

        return sandbox_main(args_list[1:])
    args = build_parser().parse_args(args_list)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


# Each command imports what it needs only when it runs.


def _run(args: argparse.Namespace) -> int:
    from kiosk.app import run_pad

    return run_pad(args.data_dir, args.config, args.overrides, headless=args.headless)


def _demo(args: argparse.Namespace) -> int:
    from kiosk.demo import run_demo

    if args.role == "terminal":
        if args.profile != "json":
            print(
                "kiosk: the terminal demo needs the JSON uplink: Fujian's gateway cannot look cases up",
                file=sys.stderr,
            )
            return 2
        from kiosk.demo_terminal import run_terminal_demo

        return run_terminal_demo(args.data_dir, ratings=args.ratings, headless=args.headless)
    return run_demo(args.data_dir, ratings=args.ratings, headless=args.headless, profile=args.profile)


def _evaluator_simulate(args: argparse.Namespace) -> int:
    from kiosk.devices.evaluator_simulator import run_simulate

    return run_simulate(args.protocol, args.address, args.link)


def _evaluator_monitor(args: argparse.Namespace) -> int:
    from kiosk.devices.evaluator_monitor import run_monitor

    return run_monitor(args.port, args.protocol, args.baud, args.address, args.buttons)


def _idcard_simulate(args: argparse.Namespace) -> int:
    from kiosk.devices.card_reader_simulator import run_idcard_simulate

    return run_idcard_simulate(args.link)


def _idcard_monitor(args: argparse.Namespace) -> int:
    from kiosk.devices.card_reader_monitor import run_idcard_monitor

    return run_idcard_monitor(args.port)


def _scanner_simulate(args: argparse.Namespace) -> int:
    from kiosk.devices.scanner_simulator import run_scanner_simulate

    return run_scanner_simulate(args.link)


def _store_verify(args: argparse.Namespace) -> int:
    """`ok: N records` (exit 0) or the first problem (exit 1)."""
    from kiosk.config import default_data_dir
    from kiosk.store.verify import verify

    verification = verify(args.data_dir or default_data_dir())
    print(verification, flush=True)
    return EXIT_OK if verification.ok else EXIT_FAILED


def _pin_set(args: argparse.Namespace) -> int:
    from kiosk.technician.pinset import run_pin_set

    return run_pin_set(args.data_dir)


def _doctor(args: argparse.Namespace) -> int:
    from kiosk.technician.doctor import run_doctor

    return run_doctor(args.data_dir)


def _screenshots(args: argparse.Namespace) -> int:
    from kiosk.screenshots import run_screenshots

    return run_screenshots(args.out, args.sizes)


if __name__ == "__main__":
    sys.exit(main())
