"""Time 2,000 badges in the a7-8up layout (250 A4 sheets): `python bench/bench_badges.py`.

Attendees are synthetic (names drawn from fixed lists with a fixed seed, some long, some in
Greek or Cyrillic), the event is content/. Prints the wall-clock and CPU time to render and
write the PDF (fonts, QR codes, fitting included; loading content/ excluded), and the time
per badge. Not a test: the target is under 6 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from booklet.attendees import make_attendee  # noqa: E402
from booklet.render.badges import build_badges  # noqa: E402
from booklet.validate import load_programme  # noqa: E402

GIVEN = "Ada Alan Grace Edsger Barbara Donald Frances Niklaus Radia Maria-Magdalena Jean-Baptiste"
GIVEN += " Ελένη Дмитрий Zoë Łukasz Søren Nguyễn Bo Wolfgang-Amadeus Chidimma"
FAMILY = "Lovelace Turing Hopper Dijkstra Liskov Knuth Allen Wirth Perlman Ångström Müller"
FAMILY += " Παπαδοπούλου Менделеев Wolfeschlegelsteinhausenbergerdorff O'Neil Okonkwo Li"
AFFILIATIONS = [
    "University of Edinburgh",
    "INRIA",
    "Max-Planck-Institut für Informatik",
    "Université Paris-Saclay & École Polytechnique, Laboratoire d'Informatique (LIX)",
    None,
    "NVIDIA",
]
ROLES = ["attendee"] * 6 + ["speaker", "organizer", "staff", "volunteer"]


def attendees(n: int, seed: int = 2025):
    rng = random.Random(seed)
    given, family = GIVEN.split(), FAMILY.split()
    return [
        make_attendee(
            None,
            rng.choice(given),
            rng.choice(family),
            affiliation=rng.choice(AFFILIATIONS),
            role=rng.choice(ROLES),
            pronouns=rng.choice([None, None, "she/her", "he/him", "they/them"]),
        )
        for _ in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="number of badges (default 2000)")
    parser.add_argument("--layout", default="a7-8up")
    parser.add_argument("--duplex", action="store_true")
    args = parser.parse_args()
    programme = load_programme(ROOT / "content").programme
    people = attendees(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "badges.pdf"
        start, cpu = time.perf_counter(), time.process_time()
        rendered, warnings = build_badges(programme, people, out, args.layout, duplex=args.duplex)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = out.stat().st_size
    print(
        f"{args.n} badges, {args.layout}{' duplex' if args.duplex else ''}: "
        f"{rendered.pages} pages, {size / 1e6:.1f} MB, {seconds:.2f} s "
        f"({cpu:.2f} s CPU, {seconds / args.n * 1000:.2f} ms a badge), {len(warnings)} warnings"
    )


if __name__ == "__main__":
    main()
