"""Check a published lottery draw (抽签验证): re-run it from the file the app publishes and compare.

After a lottery event's draw, the app publishes one JSON file with the seed, the applicant list (工号, unit,
priority tier), the places, the unit quotas and the result. Anyone can re-run the draw from it::

    python -m devtools.verify_lottery draw.json
    python -m devtools.verify_lottery draw.json --commitment 3f5a...   # as shown on the event page before the draw
    python -m devtools.verify_lottery - < draw.json                    # read the file from standard input

Give ``--commitment`` the SHA-256 the event page showed before the draw: only then do you know the seed was
fixed before anyone applied. Without it the seed is checked against the commitment written in the file itself.

Exit status: 0 the draw checks out, 1 it does not (each problem is printed), 2 the file cannot be read as a draw.
"""

from __future__ import annotations

import argparse
import json
import string
import sys
from pathlib import Path
from typing import Any

from chalicelib.domain.lottery import verify_draw

VERIFIED, NOT_VERIFIED, UNREADABLE = 0, 1, 2


def _commitment(text: str) -> str:
    value = text.strip().lower()
    if len(value) != 64 or not set(value) <= set(string.hexdigits):
        raise argparse.ArgumentTypeError("expected 64 hexadecimal characters (a SHA-256)")
    return value


def _read(source: str) -> Any:
    # Bytes, so json detects the encoding (and a byte-order mark, as Windows editors write) by itself.
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    return json.loads(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.verify_lottery",
        description="Re-run a published lottery draw and check its result (抽签验证).",
    )
    parser.add_argument("draw", help="the published draw, a JSON file ('-' for standard input)")
    parser.add_argument(
        "--commitment", type=_commitment, help="the SHA-256 commitment published on the event page before the draw"
    )
    args = parser.parse_args(argv)

    try:
        published = _read(args.draw)
    except (OSError, ValueError) as error:  # ValueError: bad JSON or bad text encoding
        source = "standard input" if args.draw == "-" else args.draw
        print(f"无法读取文件 / cannot read {source}: {error}", file=sys.stderr)
        return UNREADABLE
    try:
        if not isinstance(published, dict):
            raise TypeError("expected a JSON object")
        problems = verify_draw(published, args.commitment)
        applicants, places, winners = len(published["applicants"]), published["capacity"], len(published["winners"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        reason = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        print(f"不是抽签结果文件 / not a published draw: {reason}", file=sys.stderr)
        return UNREADABLE

    print(f"活动 / event: {published.get('event_id', '?')}")
    print(f"报名人数 / applicants: {applicants}")
    print(f"名额 / places: {places}")
    print(f"中签人数 / winners: {winners}")
    if args.commitment is None:
        print("提示 / note: 未给出 --commitment，只与文件内的承诺值核对")
        print("  without --commitment the seed is only checked against the commitment in the file")
    if not problems:
        print("验证通过 / verified")
        return VERIFIED
    print("验证未通过 / NOT verified:")
    for problem in problems:
        print(f"  - {problem}")
    return NOT_VERIFIED


if __name__ == "__main__":
    sys.exit(main())
