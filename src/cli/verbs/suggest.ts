import { UsageError, Verb } from '../verb';

// Placeholder: implemented with its issue.
export const suggestVerb: Verb = {
  name: 'suggest',
  summary: '(not yet implemented)',
  help: 'Usage: misconduct-annotate suggest (not yet implemented)',
  options: {},
  async run() {
    throw new UsageError('not yet implemented');
  },
};
