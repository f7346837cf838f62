"""`make bench` / `python -m bench [name …]`: runs the benchmarks and records them in docs/benchmarks.md.

Each module's section sits between `<!-- bench:NAME -->` markers, so running one benchmark replaces only
its own section.
"""

from __future__ import annotations

import importlib
import os
import platform
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    disk = subprocess.run(
        ["df", "-h", str(ROOT)], capture_output=True, text=True, check=False
    ).stdout.splitlines()[-1:]
    return (
        f"{platform.node() or 'host'}: {os.cpu_count()} cores ({cpu}){mem}, {platform.platform()}, "
        f"Python {platform.python_version()}; disk `{disk[0] if disk else '?'}`"
    )


def main(names: list[str]) -> int:
    available = sorted(p.stem.removeprefix("bench_") for p in (ROOT / "bench").glob("bench_*.py"))
    chosen = names or available
    unknown = set(chosen) - set(available)
    if unknown:
        print(f"bench: unknown benchmark(s) {sorted(unknown)}; available: {available}", file=sys.stderr)
        return 2
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    for name in chosen:
        print(f"bench: running {name} …", flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        section = module.run().strip()
        stamp = f"_Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %z} on {machine()}._"
        block = f"<!-- bench:{name} -->\n{section}\n\n{stamp}\n<!-- /bench:{name} -->"
        print(section, flush=True)
        pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.DOTALL)
        text = (
            pattern.sub(block.replace("\\", "\\\\"), text)
            if pattern.search(text)
            else text.rstrip() + "\n\n" + block + "\n"
        )
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"bench: results in {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
