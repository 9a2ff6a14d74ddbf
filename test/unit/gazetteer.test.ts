import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';
import { CATEGORIES, ID_PATTERN, aliasKey, aliasText, bundledGazetteers, gazetteerTerms } from '../../src/core/detect/gazetteer';
import { conductSchema, gazetteerSchema, overlapsSchema, wordlistsSchema } from '../../src/core/detect/dataSchemas';
import { isWordCode } from '../../src/core/detect/chars';

const DIR = path.join(REPO, 'data', 'gazetteers');

describe('gazetteers (data/gazetteers)', () => {
  const data = bundledGazetteers();

  it('has one well-formed file per category', () => {
    for (const file of ['forces', 'bodies', 'ranks', 'allegations', 'sanctions']) {
      const parsed = gazetteerSchema.safeParse(JSON.parse(fs.readFileSync(path.join(DIR, `${file}.json`), 'utf8')));
      assert.ok(parsed.success, `${file}.json: ${parsed.error?.message}`);
    }
    assert.deepEqual(data.gazetteers.map((g) => g.category).sort(), [...CATEGORIES].sort());
  });

  it('has valid overlap rules, word lists and conduct lexicon (the detector reads them without checking)', () => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, `${file}.json`), 'utf8'));
    for (const [file, schema] of [['overlaps', overlapsSchema], ['wordlists', wordlistsSchema], ['conduct', conductSchema]] as const) {
      const parsed = schema.safeParse(read(file));
      assert.ok(parsed.success, `${file}.json: ${parsed.error?.message}`);
    }
  });

  it('gives every entry a snake_case id unique in its category, a name and aliases', () => {
    for (const g of data.gazetteers) {
      const ids = new Set<string>();
      for (const e of g.entries) {
        assert.match(e.id, ID_PATTERN);
        assert.ok(!ids.has(e.id), `${g.category}: duplicate id ${e.id}`);
        ids.add(e.id);
        assert.ok(e.name.trim(), `${g.category} ${e.id}: no name`);
        assert.ok(e.aliases.length > 0, `${g.category} ${e.id}: no aliases`);
      }
    }
  });

  it('writes every alias so the matcher can find it', () => {
    for (const g of data.gazetteers) {
      for (const e of g.entries) {
        for (const a of e.aliases) {
          const text = aliasText(a);
          assert.equal(text, text.trim(), `${g.category} ${e.id}: "${text}" has outer spaces`);
          assert.ok(isWordCode(text.charCodeAt(0)), `${g.category} ${e.id}: "${text}" must start with a letter or digit`);
          assert.ok(!/[\u{10000}-\u{10ffff}]/u.test(text), `${g.category} ${e.id}: "${text}" has a character outside the BMP`);
          if (typeof a !== 'string' && a.followedBy) assert.ok(data.wordlists[a.followedBy], `${e.id}: unknown word list ${a.followedBy}`);
        }
      }
    }
  });

  it('never gives one alias to two entries of a category', () => {
    for (const g of data.gazetteers) {
      const owner = new Map<string, string>();
      for (const e of g.entries) {
        for (const a of e.aliases) {
          const key = aliasKey(aliasText(a));
          const prev = owner.get(key);
          assert.ok(prev === undefined || prev === e.id, `${g.category}: "${aliasText(a)}" is an alias of both ${prev} and ${e.id}`);
          owner.set(key, e.id);
        }
      }
    }
  });

  it('lets an alias appear in two categories only under an explicit overlap rule', () => {
    const categoriesOf = new Map<string, Set<string>>();
    for (const g of data.gazetteers) {
      for (const e of g.entries) for (const a of e.aliases) {
        const key = aliasKey(aliasText(a));
        categoriesOf.set(key, (categoriesOf.get(key) ?? new Set()).add(g.category));
      }
    }
    const ruled = new Map<string, string[]>();
    for (const rule of data.overlaps.rules) for (const a of rule.aliases) ruled.set(aliasKey(a), [...rule.categories].sort());
    for (const [key, cats] of categoriesOf) {
      if (cats.size < 2) continue;
      assert.deepEqual(ruled.get(key), [...cats].sort(), `"${key}" is in ${[...cats].join(' and ')} without an overlap rule naming exactly those categories`);
    }
    // and no rule is stale
    for (const [key, cats] of ruled) assert.deepEqual([...(categoriesOf.get(key) ?? [])].sort(), cats, `overlap rule for "${key}" does not match the data`);
    // the rule is applied: DPP stays a body only
    assert.deepEqual(gazetteerTerms().filter((t) => t.folded === 'dpp').map((t) => t.category), ['body']);
  });

  it('lists every UK police force with its press aliases', () => {
    const forces = data.gazetteers.find((g) => g.category === 'force')!.entries;
    const territorialEW = forces.filter((f) => f.kind === 'territorial' && !f.historic && (f.nation === 'England' || f.nation === 'Wales'));
    assert.equal(territorialEW.length, 43);
    const byId = new Map(forces.map((f) => [f.id, f]));
    for (const id of ['police_scotland', 'psni', 'british_transport_police', 'city_of_london', 'ministry_of_defence_police', 'civil_nuclear_constabulary']) {
      assert.ok(byId.has(id), `missing ${id}`);
    }
    const aliases = (id: string) => byId.get(id)!.aliases.map(aliasText);
    for (const a of ['Metropolitan Police Service', 'Metropolitan Police', 'Met', 'Scotland Yard']) assert.ok(aliases('metropolitan').includes(a), a);
    assert.ok(aliases('greater_manchester').includes('GMP'));
    // historic forces point at a real successor
    for (const f of forces) if (f.successor) assert.ok(byId.has(f.successor as string), `${f.id}: unknown successor ${f.successor}`);
  });

  it('covers the sanctions and allegation types of the spec', () => {
    const ids = (c: string) => new Set(data.gazetteers.find((g) => g.category === c)!.entries.map((e) => e.id));
    const sanctions = ids('sanction');
    for (const id of ['dismissal_without_notice', 'would_have_been_dismissed', 'final_written_warning', 'written_warning', 'reduction_in_rank', 'management_action', 'reflective_practice', 'police_barred_list', 'resigned', 'suspended', 'restricted_duties', 'no_case_to_answer', 'allegations_proven', 'not_proven']) {
      assert.ok(sanctions.has(id), id);
    }
    const allegations = ids('allegation');
    for (const id of ['abuse_of_position_sexual_purpose', 'using_sex_workers', 'inappropriate_relationship', 'offensive_messages', 'dishonesty', 'std_use_of_force', 'discrimination_other', 'breach_of_standards']) {
      assert.ok(allegations.has(id), id);
    }
  });
});
