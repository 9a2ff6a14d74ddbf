/** Suggestions from a language model: the answer contract, alignment, windows, prompt, and the loop over windows. */
import { defaultDocumentFields, DEFAULT_RELATION_TYPES } from '../codebook';
import { DEFAULT_LABEL_DEFINITIONS } from '../labels';
import { GUIDELINES_MARKDOWN } from './guidelines.generated';
import { FewShotExample, PromptSpec } from './prompt';

export * from './answer';
export * from './align';
export * from './windows';
export * from './prompt';
export * from './suggest';
export * from './examples';

/** The prompt of the default configuration: the bundled guidelines, default labels, relation types and form. */
export function defaultPromptSpec(examples: readonly FewShotExample[] = []): PromptSpec {
  return {
    guidelines: GUIDELINES_MARKDOWN,
    labels: DEFAULT_LABEL_DEFINITIONS,
    relationTypes: DEFAULT_RELATION_TYPES,
    fields: defaultDocumentFields(),
    examples,
  };
}
