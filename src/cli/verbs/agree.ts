import { UsageError, Verb } from '../verb';

// Placeholder: implemented with its issue.
export const agreeVerb: Verb = {
  name: 'agree',
  summary: '(not yet implemented)',
  help: 'Usage: misconduct-annotate agree (not yet implemented)',
  options: {},
  async run() {
    throw new UsageError('not yet implemented');
  },
};
