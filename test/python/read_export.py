#!/usr/bin/env python3
"""An independent reader of the Misconduct Annotator export formats, in plain Python (stdlib).

Usage: read_export.py FORMAT OUTPUT [CORPUS]
  FORMAT  jsonl | csv | webanno | labelstudio | brat
  OUTPUT  the exported file (the folder for brat)
  CORPUS  the exported corpus folder (csv and webanno carry no article text)

Prints {"spans": [{"file", "start", "end", "label", "text"}...], "errors": [...]} as JSON. An
error is any span whose text is not article[start:end] with Python's (code point) indexing, which
is the whole point: these offsets must work in Python as they are. Exit 1 when there are errors.
"""
import csv
import json
import os
import re
import sys
from urllib.parse import unquote

CONTEXT = 32
ARTICLE_BASE = 'urn:misconduct-annotator:article:'


def read_article(corpus, file_id):
    # utf-8-sig drops a BOM; newline='' keeps CRLF as on disk, which offsets count
    with open(os.path.join(corpus, *file_id.split('/')), encoding='utf-8-sig', newline='') as f:
        return f.read()


def check(errors, where, article, start, end, text):
    if article[start:end] != text:
        errors.append('%s: %r at %d-%d, but the article has %r' % (where, text, start, end, article[start:end]))


def read_jsonl(path, corpus, spans, errors):
    with open(path, encoding='utf-8', newline='') as f:
        for n, line in enumerate(f, 1):
            doc = json.loads(line)
            if doc['meta']['file'] != doc['id']:
                errors.append('line %d: meta.file %r is not the id %r' % (n, doc['meta']['file'], doc['id']))
            if corpus and doc['text'] != read_article(corpus, doc['id']):
                errors.append('line %d: text is not the article %s' % (n, doc['id']))
            for s in doc['spans']:
                check(errors, doc['id'], doc['text'], s['start'], s['end'], s['text'])
                spans.append(dict(file=doc['id'], start=s['start'], end=s['end'], label=s['label'], text=s['text']))


def read_csv(path, corpus, spans, errors):
    with open(path, 'rb') as f:
        raw = f.read()
    if raw and not raw.endswith(b'\r\n'):
        errors.append('the file does not end with CRLF')
    if re.search(rb'(?<!\r)\n', raw.split(b'"')[0]):
        errors.append('the header row does not end with CRLF')
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f))
    header = ['file', 'start', 'end', 'label', 'text', 'note', 'author', 'source']
    if rows[0] != header:
        errors.append('header %r' % rows[0])
    cache = {}
    for row in rows[1:]:
        rec = dict(zip(header, row))
        article = cache.setdefault(rec['file'], read_article(corpus, rec['file']))
        start, end = int(rec['start']), int(rec['end'])
        check(errors, rec['file'], article, start, end, rec['text'])
        spans.append(dict(file=rec['file'], start=start, end=end, label=rec['label'], text=rec['text'], note=rec['note']))


def read_webanno(path, corpus, spans, errors):
    with open(path, encoding='utf-8') as f:
        coll = json.load(f)
    items = coll['first']['items']
    if coll['total'] != len(items):
        errors.append('total %d but %d items' % (coll['total'], len(items)))
    for item in items:
        source = item['target']['source']
        file_id = unquote(source[len(ARTICLE_BASE):])
        article = read_article(corpus, file_id)
        sel = {s['type']: s for s in item['target']['selector']}
        quote, pos = sel['TextQuoteSelector'], sel['TextPositionSelector']
        start, end = pos['start'], pos['end']
        check(errors, file_id, article, start, end, quote['exact'])
        if quote.get('prefix', '') != article[max(0, start - CONTEXT):start]:
            errors.append('%s: prefix %r' % (item['id'], quote.get('prefix')))
        if quote.get('suffix', '') != article[end:end + CONTEXT]:
            errors.append('%s: suffix %r' % (item['id'], quote.get('suffix')))
        tags = [b['value'] for b in item['body'] if b.get('purpose') == 'tagging']
        notes = [b['value'] for b in item['body'] if b.get('purpose') == 'commenting']
        spans.append(dict(file=file_id, start=start, end=end, label=tags[0], text=quote['exact'], note=notes[0] if notes else ''))


def read_labelstudio(path, corpus, spans, errors):
    with open(path, encoding='utf-8') as f:
        tasks = json.load(f)
    for task in tasks:
        data = task['data']
        if corpus and data['text'] != read_article(corpus, data['file']):
            errors.append('task %s: text is not the article' % data['file'])
        for ann in task['annotations']:
            for r in ann['result']:
                if (r['type'], r['from_name'], r['to_name']) != ('labels', 'label', 'text'):
                    errors.append('result %r' % r)
                v = r['value']
                check(errors, data['file'], data['text'], v['start'], v['end'], v['text'])
                spans.append(dict(file=data['file'], start=v['start'], end=v['end'], label=v['labels'][0], text=v['text']))


T_LINE = re.compile(r'^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$')


def read_brat(folder, corpus, spans, errors):
    for dirpath, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            if not name.endswith('.ann'):
                continue
            base = os.path.join(dirpath, name[:-4])
            with open(base + '.txt', encoding='utf-8', newline='') as f:
                article = f.read()
            with open(base + '.ann', encoding='utf-8', newline='') as f:
                lines = f.read().split('\n')
            doc = os.path.relpath(base, folder).replace(os.sep, '/')
            for line in lines:
                if not line or line.startswith('#'):
                    continue
                m = T_LINE.match(line)
                if not m:
                    errors.append('%s: bad line %r' % (doc, line))
                    continue
                frags = [tuple(map(int, f.split(' '))) for f in m.group(3).split(';')]
                for s, e in frags:
                    if '\n' in article[s:e] or '\r' in article[s:e]:
                        errors.append('%s: fragment %d-%d crosses a line break' % (doc, s, e))
                if ' '.join(article[s:e] for s, e in frags) != m.group(4):
                    errors.append('%s: %r is not the text at %s' % (doc, m.group(4), m.group(3)))
                spans.append(dict(file=doc, start=frags[0][0], end=frags[-1][1], label=m.group(2),
                                  text=article[frags[0][0]:frags[-1][1]], fragments=frags))


READERS = dict(jsonl=read_jsonl, csv=read_csv, webanno=read_webanno, labelstudio=read_labelstudio, brat=read_brat)


def main():
    fmt, output = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else None
    spans, errors = [], []
    READERS[fmt](output, corpus, spans, errors)
    json.dump(dict(spans=spans, errors=errors), sys.stdout, ensure_ascii=False)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
