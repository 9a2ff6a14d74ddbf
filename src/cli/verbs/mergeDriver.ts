import { CASE_SUFFIX, caseConflictName, runCaseMergeDriver } from '../../core/cases';
import { runMergeDriver } from '../../core/gitMerge';
import { conflictName } from '../../core/merge';
import { formatProblem } from '../../core/sidecar';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

export const mergeDriverVerb: Verb = {
  name: 'merge-driver',
  summary: 'git merge driver for sidecars and case records: merges by id and by field (set up with git-setup)',
  help: [
    'Usage: misconduct-annotate merge-driver <base> <ours> <theirs> <path>',
    '',
    "Git's merge driver for *.annotations.json (git passes %O %A %B %P; `git-setup` registers it).",
    'Merges three ways by annotation id, relation id and form field: added on either side is kept;',
    'removed on one side and unchanged on the other is removed; changed on one side takes that',
    'change. A relation never loses an end: an annotation one side removed and the other linked',
    'stays (recorded as a conflict). Rejected suggestions merge as a set; status like an annotation.',
    'Changed differently on both sides: ours stays and',
    'theirs is recorded in the file\'s "conflicts" list (the file stays a valid sidecar; resolve',
    'with Accept Theirs / Keep Mine in the Annotations view, then git add).',
    '',
    'When the branches annotated different texts, the result names our article text and every span',
    'in it is on that text: theirs are re-anchored onto ours by quote (orphaned when not found).',
    '',
    "Each side must pass validate's rules (unique ids, spans inside the article, relations between",
    'two different annotations of the file); one line per problem names the side\'s file.',
    'The result is written atomically over <ours>. Never writes conflict markers.',
    'Exit 0 when merged cleanly, 1 when conflicts were recorded (git then reports the path as',
    'conflicted) or a side is not a readable, valid sidecar (<ours> is left as it was), 2 on usage errors.',
    '',
    'Case records (*.case.json, docs/cases.md) merge by field name and by evidence id, the title, note',
    'and author as single values, by the same rules; conflicts are recorded in the record\'s "conflicts"',
    '(the file stays a valid case record). Same exit statuses.',
  ].join('\n'),
  options: {},
  async run({ positionals }, io) {
    if (positionals.length !== 4) throw new UsageError('takes four arguments: <base> <ours> <theirs> <path> (git\'s %O %A %B %P)');
    const [base, ours, theirs, path] = positionals;
    if (path.endsWith(CASE_SUFFIX)) {
      const merged = await runCaseMergeDriver({ base, ours, theirs, path, cwd: io.cwd });
      if (merged.kind === 'invalid') {
        for (const p of merged.problems) io.err(p);
        io.err(`misconduct-annotate merge-driver: ${path}: not merged (${merged.problems.length} problem(s) above); kept ours unmerged, resolve by hand`);
        return EXIT_FAILED;
      }
      if (!merged.fresh.length) return EXIT_OK;
      io.err(`${path}: ${merged.fresh.length} conflict(s) recorded (${merged.fresh.map(caseConflictName).join(', ')}): ours kept, theirs in "conflicts"; resolve by editing the case record, then git add`);
      return EXIT_FAILED;
    }
    const outcome = await runMergeDriver({ base, ours, theirs, path, cwd: io.cwd });
    if (outcome.kind === 'unreadable') {
      io.err(`misconduct-annotate merge-driver: ${outcome.message}; kept ours unmerged, resolve by hand`);
      return EXIT_FAILED;
    }
    if (outcome.kind === 'invalid') {
      for (const p of outcome.problems) io.err(formatProblem(p));
      io.err(`misconduct-annotate merge-driver: ${path}: not merged (${outcome.problems.length} problem(s) above); kept ours unmerged, resolve by hand`);
      return EXIT_FAILED;
    }
    if (outcome.reanchored) {
      const lost = outcome.orphaned ? ` (${outcome.orphaned} orphaned: their quote is not in this text)` : '';
      io.err(`${path}: ${outcome.reanchored} annotation(s) from the other side re-anchored onto this article's text${lost}`);
    }
    if (!outcome.fresh) return EXIT_OK;
    const what = outcome.freshConflicts.map(conflictName);
    io.err(`${path}: ${outcome.fresh} conflict(s) recorded (${what.join(', ')}): ours kept, theirs in "conflicts"; resolve with Accept Theirs / Keep Mine in the Annotations view, then git add`);
    return EXIT_FAILED;
  },
};
