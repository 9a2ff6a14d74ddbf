#!/usr/bin/env node
/**
 * `misconduct-annotate <verb>`: the command-line face of the pure core.
 * Exit codes: 0 success, 1 the data has problems, 2 usage error.
 */
import { parseArgs } from 'node:util';
import { nodeFileSystem } from '../core/fileSystem';
import { CliIO, EXIT_USAGE, UsageError, Verb } from './verb';
import { validateVerb } from './verbs/validate';
import { statsVerb } from './verbs/stats';
import { exportVerb } from './verbs/export';
import { suggestVerb } from './verbs/suggest';
import { evaluateVerb } from './verbs/evaluate';
import { agreeVerb } from './verbs/agree';
import { mergeDriverVerb } from './verbs/mergeDriver';
import { gitSetupVerb } from './verbs/gitSetup';
import { importVerb } from './verbs/import';

const VERBS: Verb[] = [validateVerb, statsVerb, exportVerb, suggestVerb, evaluateVerb, agreeVerb, importVerb, mergeDriverVerb, gitSetupVerb];

function toolHelp(): string {
  const width = Math.max(...VERBS.map((v) => v.name.length));
  return [
    'Usage: misconduct-annotate <verb> [options]',
    '',
    'Work with Misconduct Annotator sidecars (<article>.annotations.json) from the command line.',
    '',
    'Verbs:',
    ...VERBS.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    'Run `misconduct-annotate <verb> --help` for a verb\'s options.',
    'Exit codes: 0 success, 1 problems found in the data, 2 usage error.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(toolHelp());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.out(typeof __VERSION__ === 'string' ? __VERSION__ : 'dev');
    return 0;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (!verb) {
    io.err(`misconduct-annotate: unknown verb "${name}"\n\n${toolHelp()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(verb.help);
    return 0;
  }
  try {
    const parsed = parseArgs({ args: rest, options: verb.options, allowPositionals: true, strict: true });
    return await verb.run(parsed as never, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // the message and a pointer, not 25 lines of help burying it
      const hint = err instanceof UsageError && !err.hint ? '' : ` (see misconduct-annotate ${verb.name} --help)`;
      io.err(`misconduct-annotate ${verb.name}: ${(err as Error).message}${hint}`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

declare const __VERSION__: string | undefined;

/** Output closed early (`… | head`): the reader has what it wanted; stop quietly. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

if (require.main === module) {
  quietOnClosedPipe(process.stdout);
  const io: CliIO = {
    fs: nodeFileSystem,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    cwd: process.cwd(),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      if ((err as NodeJS.ErrnoException)?.code === 'EPIPE') process.exit(0);
      // one line for the user; the stack only when asked for
      const e = err as Error;
      process.stderr.write(`misconduct-annotate: ${process.env.MISCONDUCT_DEBUG ? (e.stack ?? e) : (e?.message ?? e)}\n`);
      process.exitCode = 1;
    },
  );
}
