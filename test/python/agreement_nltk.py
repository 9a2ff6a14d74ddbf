"""Independent reference for test/unit/agreeNltk.test.ts: NLTK's AnnotationTask on token data.

Reads JSON from stdin: {"cases": [{"items": [[category of set 0, of set 1, ...], ...]}]}, one row
per token. Writes JSON: per case, the statistics on all categories ("overall") and on each
category against the rest ("binary": {category: {...}}). A statistic NLTK cannot compute
(division by zero: one category only) is null.

Which NLTK call is which of ours:
  kappa()        mean of pairwise Cohen's kappa (Cohen's kappa itself for two sets)
  multi_kappa()  Davies & Fleiss 1982 (equals Cohen's kappa for two sets; not reported by us)
  pi()           multi-pi = Fleiss' kappa (Fleiss 1971), what we report for three or more sets
  alpha()        Krippendorff's alpha with binary_distance = nominal alpha
"""
import json
import sys

from nltk.metrics.agreement import AnnotationTask


def stats(items):
    triples = [(str(c), str(i), cat) for i, row in enumerate(items) for c, cat in enumerate(row)]
    task = AnnotationTask(data=triples)
    out = {}
    for name in ("kappa", "multi_kappa", "pi", "alpha"):
        try:
            out[name] = float(getattr(task, name)())
        except ZeroDivisionError:
            out[name] = None
    # NLTK returns alpha = 1 when only one category occurs; we report null (0/0), so say so
    out["categories"] = len({cat for row in items for cat in row})
    return out


def main():
    cases = json.load(sys.stdin)["cases"]
    results = []
    for case in cases:
        items = case["items"]
        categories = sorted({cat for row in items for cat in row} | set(case.get("labels", [])))
        binary = {}
        for cat in categories:
            if cat == "O":
                continue
            binary[cat] = stats([["yes" if v == cat else "no" for v in row] for row in items])
        results.append({"overall": stats(items), "binary": binary})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
