import { UsageError, Verb } from '../verb';

// Placeholder: implemented with its issue.
export const exportVerb: Verb = {
  name: 'export',
  summary: '(not yet implemented)',
  help: 'Usage: misconduct-annotate export (not yet implemented)',
  options: {},
  async run() {
    throw new UsageError('not yet implemented');
  },
};
