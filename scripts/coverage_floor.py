"""Every module of the integration at or above the coverage floor, not only the total.

Home Assistant's test-coverage rule asks it of each module; run after the suite has written
`.coverage` (scripts/test does). Exit 1 naming each module below the floor.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys
import tempfile

import coverage

FLOOR = 95.0


def modules_below(floor: float = FLOOR) -> dict[str, float]:
    """Each measured module under the floor, with its line-and-branch percentage."""
    measured = coverage.Coverage()
    measured.load()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "coverage.json"
        measured.json_report(outfile=str(report))
        files = json.loads(report.read_text())["files"]
    return {
        path: found["summary"]["percent_covered"]
        for path, found in sorted(files.items())
        if found["summary"]["num_statements"] and found["summary"]["percent_covered"] < floor
    }


def main() -> int:
    """Print the modules under the floor; 1 when there is any."""
    below = modules_below()
    for path, percent in below.items():
        print(f"coverage floor: {path} at {percent:.1f} % (floor {FLOOR:.0f} %)", file=sys.stderr)
    if below:
        return 1
    print(f"coverage floor: every module at or above {FLOOR:.0f} %", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
