import * as nodePath from 'node:path';
import { driverCommand, GitSetupRefused, NotAGitRepository, setUpGitMerging } from '../../core/gitMerge';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

/**
 * The tool's own entry: dist/cli.js when bundled (this code is inside it), so the driver runs the
 * very same tool; out/src/cli/main.js when run from the compiled sources (tests).
 */
function thisCli(): string {
  const here = __filename;
  return /[\\/]verbs[\\/]gitSetup\.js$/.test(here) ? nodePath.join(__dirname, '..', 'main.js') : here;
}

export const gitSetupVerb: Verb = {
  name: 'git-setup',
  summary: 'make git merge sidecars and case records by id in the repository holding a folder',
  help: [
    'Usage: misconduct-annotate git-setup [folder]',
    '',
    'In the git repository holding [folder] (default: the current folder):',
    `  - adds "*.annotations.json merge=misconduct-annotations" and "*.case.json merge=misconduct-annotations"`,
    "    to the top folder's .gitattributes (commit it: every clone then routes sidecars and case records",
    '    to the driver);',
    "  - registers the driver in this clone's .git/config: the Node running this command and the",
    '    absolute path of this tool, with "merge-driver %O %A %B %P".',
    'Idempotent: running it again changes nothing, or only updates the driver when the tool moved',
    '(run it again after moving or reinstalling the tool). Prints what it did.',
    '',
    'A .gitattributes or git config that is a symbolic link or not a regular file is refused (one',
    'line naming it; nothing is written through a link).',
    '',
    'Exit 0 when done, 1 when a file is refused or cannot be written (one line naming it), 2 outside',
    'a git repository or on usage errors.',
  ].join('\n'),
  options: {},
  async run({ positionals }, io) {
    if (positionals.length > 1) throw new UsageError('takes at most one folder');
    const folder = nodePath.resolve(io.cwd, positionals[0] ?? '.');
    if ((await io.fs.stat(folder))?.type !== 'directory') throw new UsageError(`${positionals[0]}: not a folder`);
    try {
      const report = await setUpGitMerging(folder, driverCommand(process.execPath, thisCli()));
      io.out(`git repository: ${report.root}`);
      report.actions.forEach((a) => io.out(`  ${a}`));
      return EXIT_OK;
    } catch (err) {
      if (err instanceof NotAGitRepository) throw new UsageError(err.message, false);
      if (err instanceof GitSetupRefused) {
        io.err(`misconduct-annotate git-setup: ${err.message}`);
        return EXIT_FAILED;
      }
      const e = err as NodeJS.ErrnoException;
      if (typeof e.code === 'string' && e.path) {
        io.err(`misconduct-annotate git-setup: ${e.path}: cannot be read or written (${e.code})`);
        return EXIT_FAILED;
      }
      throw err;
    }
  },
};
