#!/usr/bin/env python3
"""An independent reader of the Misconduct Annotator export formats, in plain Python (stdlib).

Usage: read_export.py FORMAT OUTPUT [CORPUS]
  FORMAT  jsonl | csv | webanno | labelstudio | brat
  OUTPUT  the exported file (the folder for brat)
  CORPUS  the exported corpus folder (csv and webanno carry no article text)

Prints {"spans": [{"file", "start", "end", "label", "text"}...], "links": [[file, label, from text,
to text]...], "errors": [...]} as JSON. An error is any span whose text is not article[start:end]
with Python's (code point) indexing, which is the whole point: these offsets must work in Python as
they are; and any relation whose ends are not spans of the same article (jsonl: indexes into its
spans; labelstudio: region ids of its task; webanno: annotation ids of the collection; brat: T ids
of its .ann). Exit 1 when there are errors.
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


def link(links, errors, where, label, ends):
    if None in ends:
        errors.append('%s: relation %s does not join two spans' % (where, label))
    else:
        links.append([where, label, ends[0], ends[1]])


def read_jsonl(path, corpus, spans, errors, links):
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
            n_spans = len(doc['spans'])
            for r in doc.get('relations', []):
                ends = [doc['spans'][i]['text'] if isinstance(i, int) and 0 <= i < n_spans else None for i in (r['from'], r['to'])]
                link(links, errors, doc['id'], r['label'], ends)


def read_csv(path, corpus, spans, errors, links):
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


def read_webanno(path, corpus, spans, errors, links):
    with open(path, encoding='utf-8') as f:
        coll = json.load(f)
    items = coll['first']['items']
    if coll['total'] != len(items):
        errors.append('total %d but %d items' % (coll['total'], len(items)))
    quotes = {}
    for item in items:
        if item.get('motivation') == 'linking':
            continue
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
        quotes[item['id']] = (file_id, quote['exact'])
    for item in items:
        if item.get('motivation') != 'linking':
            continue
        ends = [quotes.get(t) for t in item['target']] if isinstance(item['target'], list) and len(item['target']) == 2 else [None, None]
        files = set(e[0] for e in ends if e)
        label = [b['value'] for b in item['body'] if b.get('purpose') == 'tagging'][0]
        link(links, errors, files.pop() if len(files) == 1 else item['id'], label, [e[1] if e else None for e in ends])


def read_labelstudio(path, corpus, spans, errors, links):
    with open(path, encoding='utf-8') as f:
        tasks = json.load(f)
    for task in tasks:
        data = task['data']
        if corpus and data['text'] != read_article(corpus, data['file']):
            errors.append('task %s: text is not the article' % data['file'])
        for ann in task['annotations']:
            regions = dict((r['id'], r['value']['text']) for r in ann['result'] if r['type'] == 'labels')
            for r in ann['result']:
                if r['type'] == 'relation':
                    if r.get('direction') != 'right':
                        errors.append('relation %r' % r)
                    link(links, errors, data['file'], r['labels'][0], [regions.get(r['from_id']), regions.get(r['to_id'])])
                    continue
                if r['type'] in ('choices', 'textarea') and r['to_name'] == 'text' and 'start' not in r['value']:
                    continue
                if (r['type'], r['from_name'], r['to_name']) != ('labels', 'label', 'text'):
                    errors.append('result %r' % r)
                v = r['value']
                check(errors, data['file'], data['text'], v['start'], v['end'], v['text'])
                spans.append(dict(file=data['file'], start=v['start'], end=v['end'], label=v['labels'][0], text=v['text']))


T_LINE = re.compile(r'^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$')
R_LINE = re.compile(r'^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)$')


def read_brat(folder, corpus, spans, errors, links):
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
            texts, rels = {}, []
            for line in lines:
                if not line or line.startswith('#'):
                    continue
                r = R_LINE.match(line)
                if r:
                    rels.append(r)
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
                texts[m.group(1)] = m.group(4)
            # brat does not order lines: resolve the relations once every T line is read
            for r in rels:
                link(links, errors, doc, r.group(2), [texts.get(r.group(3)), texts.get(r.group(4))])


READERS = dict(jsonl=read_jsonl, csv=read_csv, webanno=read_webanno, labelstudio=read_labelstudio, brat=read_brat)


def main():
    fmt, output = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else None
    spans, errors, links = [], [], []
    READERS[fmt](output, corpus, spans, errors, links)
    json.dump(dict(spans=spans, links=links, errors=errors), sys.stdout, ensure_ascii=False)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
