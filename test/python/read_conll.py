#!/usr/bin/env python3
"""Reads an exported CoNLL file with NLTK, the way a researcher would:

    ConllCorpusReader(root, [file], ('words', 'pos', 'ignore', 'chunk')).iob_sents()

Usage: read_conll.py FOLDER FILE. Prints the sentences as JSON lists of [word, tag] (the empty
sentences NLTK makes of -DOCSTART- blocks are dropped) and the chunks decoded from the IOB2 tags
with NLTK's own conlltags2tree.
"""
import json
import sys

from nltk.chunk import conlltags2tree
from nltk.corpus.reader import ConllCorpusReader


def main():
    root, fileid = sys.argv[1], sys.argv[2]
    reader = ConllCorpusReader(root, [fileid], ('words', 'pos', 'ignore', 'chunk'), encoding='utf-8')
    sents = [s for s in reader.iob_sents() if s]
    chunks = []
    for s in sents:
        tree = conlltags2tree(s)
        for sub in tree:
            if hasattr(sub, 'label'):
                chunks.append([sub.label(), [w for w, _ in sub.leaves()]])
    out = dict(sentences=[[[w, t] for w, _, t in s] for s in sents], chunks=chunks)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    main()
