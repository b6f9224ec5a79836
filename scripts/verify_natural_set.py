#!/usr/bin/env python3
"""Check the natural-discrepancy gold set against the corpora it points into.

The set (briefing/evaluation/data/natural_*.jsonl, one file per annotation batch, plus
natural_events*.json listing every event read, with its part) holds offsets and the
sha256 of each quoted passage, never the text: corpus text stays out of the
repository. This script re-reads every passage from ../shared and checks its
hash, prints the set's size by kind and part, and exits 1 on any mismatch.

    python scripts/verify_natural_set.py [--shared ../shared]
    python scripts/verify_natural_set.py --import-from /path/natural.jsonl --batch basil2017  # add a batch
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "briefing" / "evaluation" / "data"
FOLDERS = {"basil": Path("corpora/basil/clusters_txt"), "allsides": Path("corpora/allsides/clusters")}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _passages(record: dict[str, object]) -> list[dict[str, object]]:
    also = record.get("also") or []
    return [record["a"], record["b"], *also]  # type: ignore[list-item]  # JSON records, checked below


def import_from(path: Path, batch: str) -> int:
    """Write one annotation batch from a file with verbatim quotes: quotes become hashes.

    The batch ``B`` becomes ``natural_B.jsonl`` and ``natural_events_B.json`` (every event read,
    from ``events_checked.json`` beside the annotation file), so batches never overwrite each other.
    """
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        record.pop("note", None)  # annotators' notes quote the articles; they stay outside the repository
        record.setdefault("corpus", "basil")
        for passage in _passages(record):
            passage["quote_sha256"] = _sha(str(passage.pop("quote")))
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    gold = DATA / f"natural_{batch}.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} records to {gold.relative_to(ROOT)}")
    checked = json.loads((path.parent / "events_checked.json").read_text(encoding="utf-8"))
    events = [
        {"corpus": corpus, "event": e["event"], "part": e["part"]}
        for corpus in ("basil", "allsides")
        for e in checked.get(corpus, [])
    ]
    target = DATA / f"natural_events_{batch}.json"
    target.write_text(json.dumps(events, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(events)} events to {target.relative_to(ROOT)}")
    return 0


def verify(shared: Path) -> int:
    errors: list[str] = []
    by_kind: collections.Counter[tuple[str, str]] = collections.Counter()
    texts: dict[Path, str] = {}
    records = [
        json.loads(line)
        for gold in sorted(DATA.glob("natural_*.jsonl"))
        for line in gold.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for r in records:
        folder = shared / FOLDERS[r.get("corpus", "basil")] / r["event"]
        by_kind[(r["kind"], r["part"])] += 1
        for p in _passages(r):
            path = folder / str(p["file"])
            if path not in texts:
                try:
                    texts[path] = path.read_text(encoding="utf-8")
                except OSError as exc:
                    errors.append(f"{r['id']}: cannot read {path}: {exc.strerror}")
                    texts[path] = ""
            start, end = int(p["start"]), int(p["end"])  # type: ignore[call-overload]  # JSON ints
            if _sha(texts[path][start:end]) != p["quote_sha256"]:
                errors.append(f"{r['id']}: {p['file']}[{start}:{end}] does not match its hash")
    print(f"{len(records)} records, {sum(r['conflict'] for r in records)} conflicts")
    print(f"{'kind':<34} {'tune':>5} {'heldout':>8}")
    for kind in sorted({k for k, _ in by_kind}):
        print(f"{kind:<34} {by_kind[(kind, 'tune')]:>5} {by_kind[(kind, 'heldout')]:>8}")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    print("all offsets and hashes match" if not errors else f"{len(errors)} mismatches")
    return 1 if errors else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    ap.add_argument("--import-from", type=Path, help="annotation file with quotes to import")
    ap.add_argument("--batch", default="", help="with --import-from: the batch name, e.g. basil2017")
    args = ap.parse_args()
    if args.import_from:
        if not args.batch:
            ap.error("--import-from needs --batch NAME")
        return import_from(args.import_from, args.batch)
    return verify(args.shared)


if __name__ == "__main__":
    sys.exit(main())
