"""Score summaries.sentences.split_sentences on the English "Golden Rules" (pySBD's set).

Usage: python scripts/eval_sentences.py [--eval-dir ../shared/eval] [--verbose]

A case passes when the list of split sentence texts, each stripped, equals the expected
list exactly. Prints the failures (with --verbose also the passes) and "score: N/48".
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsbot.summaries.sentences import split_sentences

_REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=_REPO.parent / "shared" / "eval")
    parser.add_argument("--verbose", action="store_true", help="also print passing cases")
    args = parser.parse_args()
    path = args.eval_dir / "sentences" / "golden_rules_en.json"
    cases = json.loads(path.read_text(encoding="utf-8"))
    passed = 0
    for number, case in enumerate(cases, 1):
        got = [s.text.strip() for s in split_sentences(case["text"])]
        expected = [s.strip() for s in case["expected"]]
        ok = got == expected
        passed += ok
        if not ok or args.verbose:
            print(f"{'PASS' if ok else 'FAIL'} {number}: {case['text']!r}")
            if not ok:
                print(f"  expected {expected}\n  got      {got}")
    print(f"score: {passed}/{len(cases)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
