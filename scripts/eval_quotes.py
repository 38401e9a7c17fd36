"""Score newsbot's quote extraction on the Gender Gap Tracker dev set or the bundled samples.

Runs exactly what `newsbot quotes --jsonl` prints (bot.textcli.run_quotes on the raw text,
offsets into the input) over `quotes/ggt_dev.jsonl` and scores it with the shared
`score_quotes.py`, so the figures are the ones the evaluation README defines. The data is read
from the shared evaluation folder and never copied into the repository.

    .venv/bin/python scripts/eval_quotes.py [--eval-dir ../shared/eval] [--indirect]
        [--split all|tune|check] [--errors N] [--samples]

`--split tune` / `check` score the even / odd documents only, so rules can be tuned on one
half and checked on the other. `--errors N` prints up to N misses, wrong speakers and false
positives (MISS there means no prediction overlaps the quote; the scorer's matching rule is
stricter, so a quote overlapped only by a too-long or too-short prediction is not listed).

`--samples` scores the project's own articles instead: the texts of `data/samples/*.json` with
the hand-annotated direct and mixed quotes of `scripts/sample_quotes_gold.json` (a list of
{"file", "quotes": [{"quote", "reference", "occurrence"?}]}, each quote a verbatim span of the
text, "occurrence" its 0-based index when the span occurs more than once), turned into rows in
the scorer's format with spans found in the text. The scorer is still loaded from --eval-dir;
--split applies to the samples as well.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from newsbot.bot.textcli import run_quotes

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "data" / "samples"
SAMPLES_GOLD = REPO_ROOT / "scripts" / "sample_quotes_gold.json"


def load_scorer(eval_dir: Path) -> ModuleType:
    """Import the shared scorer from the evaluation folder (it is not a package)."""
    spec = importlib.util.spec_from_file_location("score_quotes", eval_dir / "score_quotes.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {eval_dir / 'score_quotes.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sample_rows(
    gold_path: Path = SAMPLES_GOLD, samples_dir: Path = SAMPLES_DIR
) -> list[dict[str, Any]]:
    """Gold rows in the scorer's format from the samples and their hand-made annotation."""
    with gold_path.open(encoding="utf-8") as handle:
        annotated = json.load(handle)
    rows: list[dict[str, Any]] = []
    for entry in annotated:
        name = entry["file"]
        text = json.loads((samples_dir / name).read_text(encoding="utf-8"))["text"]
        quotes = []
        for quote in entry["quotes"]:
            start = -1
            for _ in range(quote.get("occurrence", 0) + 1):
                start = text.find(quote["quote"], start + 1)
                if start < 0:
                    raise SystemExit(f"{name}: quote not in text: {quote['quote']!r}")
            quotes.append(
                {
                    "quote": quote["quote"],
                    "reference": quote["reference"],
                    "quote_char_span": [start, start + len(quote["quote"])],
                }
            )
        rows.append({"doc_id": name, "text": text, "quotes": quotes})
    return rows


def select(rows: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    if split == "all":
        return rows
    parity = 0 if split == "tune" else 1
    return [row for k, row in enumerate(rows) if k % 2 == parity]


def predict(rows: list[dict[str, Any]], indirect: bool) -> dict[str, list[dict[str, Any]]]:
    """Run the CLI's batch mode on the rows and parse what it prints."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({"doc_id": row["doc_id"], "text": row["text"]}) + "\n")
        handle.flush()
        out = io.StringIO()
        run_quotes(handle.name, jsonl=True, as_json=False, indirect=indirect, out=out)
    predictions: dict[str, list[dict[str, Any]]] = {}
    for line in out.getvalue().splitlines():
        row = json.loads(line)
        predictions[str(row["doc_id"])] = row["quotes"]
    return predictions


def print_errors(
    scorer: ModuleType,
    rows: list[dict[str, Any]],
    preds: dict[str, list[dict[str, Any]]],
    limit: int,
) -> None:
    """Misses, false positives and wrong speakers, for reading rather than scoring."""
    shown = 0
    for row in rows:
        text = row["text"]
        got = preds.get(str(row["doc_id"]), [])
        for gold in row["quotes"]:
            span = gold.get("quote_char_span")
            if not span or not any(m in gold["quote"] for m in '"“”«»'):
                continue
            gs, ge = span
            hits = [p for p in got if p["start"] < ge and p["end"] > gs]
            if not hits:
                verdict = "MISS"
            else:
                full, _ = scorer.speaker_verdict(hits[0].get("speaker") or "", gold["reference"])
                if full:
                    continue
                verdict = f"SPEAKER got={hits[0].get('speaker')!r}"
            if shown < limit:
                mention = f" mention={gold['speaker']!r}" if "speaker" in gold else ""
                print(f"{verdict} ref={gold['reference']!r}{mention}")
                print(f"    {text[max(0, gs - 120) : ge + 80]!r}")
            shown += 1
        for p in got:
            inside = any(
                g.get("quote_char_span")
                and g["quote_char_span"][0] < p["end"]
                and g["quote_char_span"][1] > p["start"]
                for g in row["quotes"]
            )
            if not inside and shown < limit:
                print(f"FALSE-POSITIVE speaker={p.get('speaker')!r}")
                print(f"    {text[max(0, p['start'] - 80) : p['end'] + 60]!r}")
                shown += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--indirect", action="store_true", help="also emit indirect speech")
    parser.add_argument("--split", choices=("all", "tune", "check"), default="all")
    parser.add_argument("--errors", type=int, default=0, metavar="N")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--samples",
        action="store_true",
        help="score data/samples against scripts/sample_quotes_gold.json instead of ggt_dev",
    )
    args = parser.parse_args()
    if not (args.eval_dir / "score_quotes.py").is_file():
        print(f"missing {args.eval_dir / 'score_quotes.py'}; pass --eval-dir", file=sys.stderr)
        return 2
    if args.samples:
        rows = select(sample_rows(), args.split)
    else:
        gold_path = args.eval_dir / "quotes" / "ggt_dev.jsonl"
        if not gold_path.is_file():
            print(f"missing {gold_path}; pass --eval-dir", file=sys.stderr)
            return 2
        with gold_path.open(encoding="utf-8") as handle:
            rows = select([json.loads(line) for line in handle if line.strip()], args.split)
    scorer = load_scorer(args.eval_dir)
    preds = predict(rows, args.indirect)
    if args.errors:
        print_errors(scorer, rows, preds, args.errors)
    result = scorer.score(rows, preds, args.threshold)
    if args.json:
        print(json.dumps(result))
    else:
        data = "data=samples " if args.samples else ""
        print(f"{data}split={args.split} documents={len(rows)} threshold={args.threshold}")
        for key, value in result.items():
            print(f"{key:26s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
