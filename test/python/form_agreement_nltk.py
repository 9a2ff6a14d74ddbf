"""Independent reference for test/unit/agreeFormNltk.test.ts: NLTK's AnnotationTask on form fields.

Reads JSON from stdin: {"cases": [{"rows": [[value of coder 0 or null, of coder 1, ...], ...]}]},
one row per article (unit), null where that coder left the field empty. Writes JSON: per case,
"pairs": Cohen's kappa for every pair of coders (0-1, 0-2, ..., 1-2, ...) over the units both
coded (NLTK's kappa() assumes every coder rated every unit, so each pair gets its own task of just
those units; null when they share none or NLTK divides by zero), "alpha": Krippendorff's alpha over
all units with the missing values left out (NLTK's alpha() ignores units with fewer than two
values, as Krippendorff does), and "categories": how many distinct values occur in pairable units.
"""
import json
import sys

from nltk.metrics.agreement import AnnotationTask


def kappa(rows, a, b):
    triples = []
    for i, row in enumerate(rows):
        if row[a] is None or row[b] is None:
            continue
        triples.append(("a", str(i), row[a]))
        triples.append(("b", str(i), row[b]))
    if not triples:
        return None
    try:
        return float(AnnotationTask(data=triples).kappa())
    except ZeroDivisionError:
        return None


def alpha(rows):
    triples = [(str(c), str(i), v) for i, row in enumerate(rows) for c, v in enumerate(row) if v is not None]
    pairable = [row for row in rows if sum(v is not None for v in row) >= 2]
    categories = len({v for row in pairable for v in row if v is not None})
    if not pairable:
        return None, categories
    try:
        return float(AnnotationTask(data=triples).alpha()), categories
    except (ZeroDivisionError, ValueError):
        return None, categories


def main():
    results = []
    for case in json.load(sys.stdin)["cases"]:
        rows = case["rows"]
        coders = max((len(r) for r in rows), default=0)
        pairs = [kappa(rows, a, b) for a in range(coders) for b in range(a + 1, coders)]
        a, categories = alpha(rows)
        results.append({"pairs": pairs, "alpha": a, "categories": categories})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
