"""Time mailing the booklet to 2,000 people through a local SMTP server:
`python bench/bench_mail.py`.

Builds content/'s programme.pdf once (not timed), writes 2,000 synthetic attendees with
addresses, starts an aiosmtpd server on 127.0.0.1 in this process (it counts what it
receives and keeps nothing), then runs `booklet mail --send` as a child process and prints
its wall-clock time, messages a second, its CPU time, peak memory (RSS) and the bytes the
server received.
`--preview` times writing the .eml previews instead. Nothing leaves 127.0.0.1. Not a test:
it reports, never fails on a number.
"""

from __future__ import annotations

import argparse
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_badges import FAMILY, GIVEN  # noqa: E402


class Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.bytes += len(envelope.content)
        return "250 OK"


def write_attendees(path: Path, n: int, seed: int = 2025) -> None:
    rng = random.Random(seed)
    given, family = GIVEN.split(), FAMILY.split()
    lines = ["name,email"]
    for i in range(n):
        lines.append(f"{rng.choice(given)} {rng.choice(family)},person{i}@example.org")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    from aiosmtpd.controller import Controller

    from booklet.build import build

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="recipients (default 2000)")
    parser.add_argument("--preview", action="store_true", help="write previews, send nothing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        pdf = build(ROOT / "content", tmp_path / "pdf", only=("booklet",), run_preflight=False)
        pdf_path = pdf.outputs["booklet"]
        people = tmp_path / "attendees.csv"
        write_attendees(people, args.n)
        handler, port = Counter(), free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, data_size_limit=None)
        controller.start()
        command = [
            sys.executable, "-m", "booklet", "-q", "mail", str(ROOT / "content"),
            "--to", str(people), "--from", "Bench <bench@example.org>",
            "--pdf", str(pdf_path), "--out", str(tmp_path / "out"),
        ]  # fmt: skip
        if not args.preview:
            command += ["--send", "--yes", "--smtp", f"127.0.0.1:{port}", "--security", "none"]
        try:
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            seconds = time.perf_counter() - start
        finally:
            controller.stop()
        if done.returncode != 0:
            print(done.stdout, done.stderr, sep="\n")
            raise SystemExit(f"booklet mail exited with {done.returncode}")
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = child.ru_maxrss / 1024  # kB -> MB
        cpu = child.ru_utime + child.ru_stime  # the rest is waiting for the server and disk
        what = (
            f"{args.n} previews written"
            if args.preview
            else f"{handler.messages} messages sent, {handler.bytes / 1e6:.0f} MB received"
        )
        print(
            f"{what} with a {pdf_path.stat().st_size / 1e6:.2f} MB programme.pdf: "
            f"{seconds:.1f} s ({args.n / seconds:.0f} messages a second; booklet mail used "
            f"{cpu:.1f} s of CPU), peak memory {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
