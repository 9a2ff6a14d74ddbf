#!/usr/bin/env python3
"""Validates a Web Annotation export against the W3C Web Annotation test suite's JSON schemas
(web-annotation-tests: annotations/, collections/, definitions/), with Debian's python3-jsonschema.

Usage: validate_webanno.py TESTS_FOLDER EXPORT_FILE

The suite's *.test files list assertion schemas. Every assertion of annotationMusts.test must hold
for every annotation (each inherits the collection's @context, as embedded annotations do in
JSON-LD), and those of collectionMusts.test and pageMusts.test for the collection (the page tests
accept "a Collection with an embedded Page"). The optional features this export claims to
implement are checked too: CLAIMED_BY_EVERY for every annotation of a span (motivation tagging),
LINK_CLAIMS for every relation (motivation linking, whose target must be the ids of two span
annotations of the same collection), CLAIMED_BY_SOME for at least one.
Prints {"checked": n, "failures": [...]} as JSON; exit 1 on any failure.
"""
import datetime
import json
import os
import re
import sys

import jsonschema

CLAIMED_BY_EVERY = [
    'annotations/specificResource/4.2.4-textQuoteSelector.json',
    'annotations/specificResource/4.2.5-textPositionSelector.json',
    'annotations/3.3.1-annotationCreatedImplemented.json',
    'annotations/3.3.5-annotationMotivationImplemented.json',
    'annotations/3.1-bodyKeyFound.json',
]
LINK_CLAIMS = [
    'annotations/3.3.1-annotationCreatedImplemented.json',
    'annotations/3.3.5-annotationMotivationImplemented.json',
    'annotations/3.1-bodyKeyFound.json',
]
CLAIMED_BY_SOME = [
    'annotations/specificResource/4.2.4-prefix.json',
    'annotations/specificResource/4.2.4-suffix.json',
    'annotations/3.3.1-annotationCreatorImplemented.json',
]
COLLECTION_CLAIMS = [
    'collections/5.1-collectionLabelImplemented.json',
    'collections/5.1-collectionTotalImplemented.json',
    'collections/5.1-collectionFirstImplemented.json',
]

# jsonschema checks "uri" and "date-time" only with optional packages; check them here instead
formats = jsonschema.FormatChecker()


@formats.checks('uri')
def is_uri(value):
    return isinstance(value, str) and re.match(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$', value) is not None


@formats.checks('date-time', raises=ValueError)
def is_date_time(value):
    if not isinstance(value, str) or not re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$', value):
        raise ValueError('not an RFC 3339 date-time: %r' % value)
    datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
    return True


def load(root, rel):
    with open(os.path.join(root, rel), encoding='utf-8') as f:
        return json.load(f)


def main():
    root, export = sys.argv[1], sys.argv[2]
    store = {}
    for name in os.listdir(os.path.join(root, 'definitions')):
        schema = load(root, os.path.join('definitions', name))
        store[schema['id']] = schema

    def validator(rel):
        schema = load(root, rel)
        resolver = jsonschema.RefResolver(base_uri=schema.get('id', ''), referrer=schema, store=store)
        return jsonschema.Draft4Validator(schema, resolver=resolver, format_checker=formats), schema

    def assertions(test):
        listed = load(root, test)['assertions']
        return [a for a in listed if load(root, a).get('expectedResult', 'valid') == 'valid']

    with open(export, encoding='utf-8') as f:
        collection = json.load(f)
    items = collection['first']['items']
    failures = []
    checked = 0

    def run(rel, instance, what):
        nonlocal checked
        checked += 1
        v, schema = validator(rel)
        errors = list(v.iter_errors(instance))
        if errors:
            failures.append('%s: %s: %s (%s)' % (what, rel, schema.get('errorMessage', ''), errors[0].message[:300]))
        return not errors

    for rel in assertions('collections/collectionMusts.test') + assertions('collections/pages/pageMusts.test') + COLLECTION_CLAIMS:
        run(rel, collection, 'collection')

    annotation_musts = assertions('annotations/annotationMusts.test')
    span_ids = set(i.get('id') for i in items if i.get('motivation') != 'linking')
    links = 0
    for item in items:
        annotation = dict(item)
        annotation.setdefault('@context', collection['@context'])
        linking = item.get('motivation') == 'linking'
        for rel in annotation_musts + (LINK_CLAIMS if linking else CLAIMED_BY_EVERY):
            run(rel, annotation, item.get('id'))
        if linking:
            links += 1
            target = item.get('target')
            if not (isinstance(target, list) and len(target) == 2 and all(t in span_ids for t in target)):
                failures.append('%s: a linking annotation\'s target is not two span annotations of the collection: %r' % (item.get('id'), target))

    for rel in CLAIMED_BY_SOME:
        v, schema = validator(rel)
        if items and not any(v.is_valid(dict(i, **{'@context': collection['@context']})) for i in items):
            failures.append('no annotation implements %s' % rel)

    json.dump(dict(checked=checked, annotations=len(items), links=links, failures=failures), sys.stdout)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
