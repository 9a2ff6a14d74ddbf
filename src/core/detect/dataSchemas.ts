/**
 * The zod schemas of the detector's data files (data/gazetteers/*.json). The files are bundled
 * with the code; the unit tests (test/unit/gazetteer.test.ts) validate each against its schema, so
 * the detector itself reads them without zod (which then stays out of the activation path).
 */
import { z } from 'zod';
import { CATEGORIES, ID_PATTERN } from './gazetteer';

const aliasSchema = z.union([
  z.string().min(1),
  z.strictObject({
    text: z.string().min(1),
    caseSensitive: z.boolean().optional(),
    ambiguous: z.boolean().optional(),
    followedBy: z.string().regex(ID_PATTERN).optional(),
  }),
]);

const entrySchema = z.looseObject({
  id: z.string().regex(ID_PATTERN),
  name: z.string().min(1),
  aliases: z.array(aliasSchema).min(1),
});

export const gazetteerSchema = z.strictObject({
  category: z.enum(CATEGORIES),
  caseSensitive: z.boolean(),
  entries: z.array(entrySchema).min(1),
});

export const overlapsSchema = z.strictObject({
  rules: z.array(
    z.strictObject({
      aliases: z.array(z.string().min(1)).min(1),
      categories: z.array(z.enum(CATEGORIES)).min(2),
      keep: z.array(z.enum(CATEGORIES)).min(1),
      why: z.string().min(1),
    }),
  ),
});

export const wordlistsSchema = z.record(z.string().regex(ID_PATTERN), z.array(z.string().min(1)).min(1));

export type Alias = z.infer<typeof aliasSchema>;
export type GazetteerEntry = z.infer<typeof entrySchema>;
export type Gazetteer = z.infer<typeof gazetteerSchema>;
export type OverlapRules = z.infer<typeof overlapsSchema>;

export const conductSchema = z.strictObject({
  standardNames: z.array(z.strictObject({ type: z.string(), names: z.array(z.string().min(1)).min(1) })),
  standardCues: z.array(z.string().min(1)),
  /** Cues that may introduce a Standard but speak of other things too ("lack of", "relating to"): looked for only in a sentence the rules read anyway. */
  weakCues: z.array(z.string().min(1)),
  categories: z.array(z.strictObject({ type: z.string(), words: z.array(z.string().min(1)).min(1) })),
  fallback: z.string(),
});
export type ConductData = z.infer<typeof conductSchema>;
