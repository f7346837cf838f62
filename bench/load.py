"""A load generator in its own process: `python -m bench.load URL TOKEN KIND REQUESTS CLIENTS`.

Prints one JSON list of per-request latencies (seconds). KIND is `sessions` (POST a session with
replace: true) or `trivial` (GET the trivial endpoint the bridge benchmark adds).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import datetime

import requests

from kiosk.domain.validation import id_check_character


def body(n: int) -> dict[str, object]:
    first17 = f"350102199001{n % 28 + 1:02d}{n % 1000:03d}"
    now = datetime.now().astimezone().replace(microsecond=0).isoformat()
    return {
        "projectNo": f"LOAD{time.time_ns()}{n}",
        "acceptTime": now,
        "replace": True,
        "applicant": {
            "name": "陈明",
            "userProp": "1",
            "certType": "111",
            "certNo": first17 + id_check_character(first17),
        },
    }


def main(url: str, token: str, kind: str, requests_total: int, clients: int) -> None:
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests_total))

    def client() -> None:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            start = time.perf_counter()
            if kind == "sessions":
                answer = http.post(f"{url}/api/v1/sessions", json=body(n), timeout=30)
                ok = answer.status_code == 201
            else:
                answer = http.get(f"{url}/bench/trivial", timeout=30)
                ok = answer.status_code == 200
            elapsed = time.perf_counter() - start
            if not ok:
                raise SystemExit(f"{kind}: HTTP {answer.status_code} {answer.text[:200]}")
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(latencies))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
