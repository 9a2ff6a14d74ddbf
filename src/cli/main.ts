#!/usr/bin/env node
/**
 * `misconduct-annotate <verb>`: the command-line face of the pure core.
 * Exit codes: 0 success, 1 the data has problems, 2 usage error.
 */
import { runProgram, runVerbs } from './program';
import { CliIO, Verb } from './verb';
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

export function runCli(argv: string[], io: CliIO): Promise<number> {
  return runVerbs(VERBS, argv, io);
}

if (require.main === module) runProgram(VERBS);
