#!/usr/bin/env node
/**
 * Git's merge driver alone: `<node> dist/mergeDriver.js merge-driver %O %A %B %P`, the command the
 * extension's Set Up Git Merging registers. The extension's package carries this entry instead of
 * the whole CLI, whose other verbs a user runs from a checkout or npm (docs/cli.md).
 */
import { runProgram } from './program';
import { mergeDriverVerb } from './verbs/mergeDriver';

if (require.main === module) runProgram([mergeDriverVerb]);
