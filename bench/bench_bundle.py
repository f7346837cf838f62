"""The bundle: the pad's start to its ready line and its idle memory, bundled (dist/kiosk) against the source
tree's `kiosk run`, measured in the same run, interleaved."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench.stats import median, verdict

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "kiosk"
SOURCE_KIOSK = ROOT / ".venv" / "bin" / "kiosk"
PYINSTALLER = ROOT / ".venv" / "bin" / "pyinstaller"
STARTS = 5
IDLE_S = 3.0
READY = re.compile(r"^kiosk: ready bridge=")
RUN_ARGS = ["run", "--headless", "--set", "bridge.port=0", "--set", "evaluator.protocol=none"]


def _env(home: Path) -> dict[str, str]:
    # The same small environment for both, as systemd gives the pad: no venv activation, no PYTHON* variables.
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def start_once(exe: Path, data: Path, home: Path) -> tuple[float, int]:
    """One start: seconds from exec to the ready line, and the resident memory after IDLE_S idle."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(exe), *RUN_ARGS, "--data-dir", str(data)],
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            assert proc.stdout is not None
            selector = selectors.DefaultSelector()
            selector.register(proc.stdout, selectors.EVENT_READ)
            deadline = t0 + 60
            while True:
                if time.perf_counter() > deadline or proc.poll() is not None:
                    err.seek(0)
                    raise RuntimeError(f"{exe} did not get ready: {err.read()[-2000:]!r}")
                if selector.select(0.05) and READY.search(proc.stdout.readline()):
                    break
            ready_s = time.perf_counter() - t0
            selector.close()
            time.sleep(IDLE_S)
            rss = _rss_kib(proc.pid)
            proc.send_signal(signal.SIGTERM)
            if proc.wait(15) != 0:
                raise RuntimeError(f"{exe} exited {proc.returncode} after SIGTERM")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return ready_s, rss


def _tree_size(path: Path) -> tuple[int, int]:
    total = files = 0
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            p = Path(dirpath) / name
            if not p.is_symlink():
                total += p.stat().st_size
                files += 1
    return total, files


def _build() -> str:
    """Builds dist/kiosk when it is missing; returns a note for the report, or raises FileNotFoundError."""
    if (BUNDLE / "kiosk").exists():
        return ""
    if not PYINSTALLER.exists():
        raise FileNotFoundError("no dist/kiosk and no PyInstaller in .venv (pip install -e '.[bundle]')")
    t0 = time.perf_counter()
    subprocess.run(
        [str(PYINSTALLER), "--noconfirm", "--clean", str(ROOT / "packaging" / "kiosk.spec")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return f"dist/kiosk was missing: built for this run ({time.perf_counter() - t0:.0f} s).\n\n"


def run() -> str:
    try:
        note = _build()
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        return f"## Bundle\n\nSkipped: {exc}.\n"
    size, files = _tree_size(BUNDLE)
    variants = {"bundle (dist/kiosk/kiosk)": BUNDLE / "kiosk", "source tree (.venv/bin/kiosk)": SOURCE_KIOSK}
    starts: dict[str, list[float]] = {name: [] for name in variants}
    rss: dict[str, list[int]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        for name, exe in variants.items():
            start_once(exe, Path(tmp) / name[:6], home)  # first start: makes the ledger and key; not counted
        for _ in range(STARTS):
            # Interleaved, so that the machine's moods weigh on both alike.
            for name, exe in variants.items():
                ready_s, rss_kib = start_once(exe, Path(tmp) / name[:6], home)
                starts[name].append(ready_s)
                rss[name].append(rss_kib)
    bundle_name, source_name = variants
    start_ratio = median(starts[bundle_name]) / median(starts[source_name])
    rss_ratio = median(rss[bundle_name]) / median(rss[source_name])
    rows = "".join(
        f"| {name} | {median(starts[name]) * 1000:.0f} ms | {min(starts[name]) * 1000:.0f}-"
        f"{max(starts[name]) * 1000:.0f} ms | {median(rss[name]) / 1024:.0f} MiB |\n"
        for name in variants
    )
    return (
        "## Bundle\n\n"
        + note
        + f"The PyInstaller one-directory bundle: {size / 2**20:.0f} MiB in {files} files. "
        f"`kiosk run --headless` (bridge on a free port, no evaluator, an existing data directory) from exec to "
        f"its ready line, then its resident memory (VmRSS) after {IDLE_S:.0f} s idle; {STARTS} starts each, "
        "bundle and source tree interleaved, in the same small environment, medians.\n\n"
        "| | start to ready | range | idle RSS |\n|---|---|---|---|\n"
        + rows
        + f"\nbundle / source: start {start_ratio:.2f}×, RSS {rss_ratio:.2f}× "
        f"(goal: the bundle costs nothing at run time, ≤ 1.2× on both): "
        f"**{verdict(start_ratio <= 1.2 and rss_ratio <= 1.2)}**\n"
    )


if __name__ == "__main__":
    print(run())
