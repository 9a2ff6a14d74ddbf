import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { bundledGazetteers, conductLexicon, suggestTerms } from '../../src/core/detect';
import { entityType } from '../../src/core/normalise';
import { REPO } from './helpers';

/** [text, type, source] of the suggestions of one label. */
function of(text: string, label: string): Array<[string, string, string]> {
  return suggestTerms(text)
    .filter((m) => m.category === label)
    .map((m) => [m.text, m.type, m.source]);
}

describe('suggestion rules: allegations', () => {
  it('takes the conduct clause after a trigger, to the end of the clause', () => {
    assert.deepEqual(of('He was sacked after being found to have had relationships with vulnerable women he met during his police work, and had misused their contact details in doing so.', 'allegation'), [
      ['had relationships with vulnerable women he met during his police work', 'inappropriate_relationship', 'rule'],
      ['misused their contact details', 'data_misuse', 'rule'],
    ]);
    assert.deepEqual(of('He was also accused of trying to set up a date with a woman he met at an incident.', 'allegation'), [
      ['trying to set up a date with a woman he met at an incident', 'inappropriate_relationship', 'rule'],
    ]);
    assert.deepEqual(of('It was alleged that the officer had abused his position by engaging in sexualised conversations with a member of the public.', 'allegation'), [
      ['abused his position', 'abuse_of_position_sexual_purpose', 'rule'],
      ['engaging in sexualised conversations with a member of the public', 'sexual_misconduct', 'rule'],
    ]);
  });

  it('gives one span per predicate and per offence in a list', () => {
    assert.deepEqual(
      of('Both men pleaded guilty to theft and misconduct in public office.', 'allegation').map(([t]) => t),
      ['theft', 'misconduct in public office'],
    );
    assert.deepEqual(
      of('The court heard that the constable punched the man in the face, and then wrote a false statement.', 'allegation').map(([t]) => t),
      ['punched the man in the face', 'wrote a false statement'],
    );
  });

  it('names the Standards in a list, in full or in part, each with its type', () => {
    assert.deepEqual(of('He had a case to answer for breaching professional standards of authority, respect and courtesy; confidentiality, and discreditable conduct.', 'allegation'), [
      ['authority, respect and courtesy', 'std_authority_respect_and_courtesy', 'rule'],
      ['confidentiality', 'std_confidentiality', 'rule'],
      ['discreditable conduct', 'std_discreditable_conduct', 'rule'],
    ]);
    assert.deepEqual(of('The panel found he breached the standards of honesty and integrity and orders and instructions.', 'allegation').map(([t, type]) => [t, type]), [
      ['standards of honesty and integrity', 'std_honesty_and_integrity'], // a gazetteer term, the longer
      ['orders and instructions', 'std_orders_and_instructions'],
    ]);
  });

  it('does not take the generic breach of the standards, or a mere level, as an allegation', () => {
    assert.deepEqual(of('A hearing found he would have been dismissed for a breach of the standards of professional behaviour.', 'allegation'), []);
    assert.deepEqual(of('The officer was accused of gross misconduct.', 'allegation'), []);
  });

  it('finds nothing inside a longer name (issue 16: "Corruption" in the Anti-Corruption and Abuse Command)', () => {
    assert.deepEqual(of("Commander James Harman, head of the Met's Anti-Corruption and Abuse Command, warned officers.", 'allegation'), []);
    assert.deepEqual(of('The inquiry, known as Operation Sexual Misconduct, began in May.', 'allegation'), []);
    assert.deepEqual(of('An anti-corruption unit is looking at it.', 'allegation'), []);
  });

  it('leaves out general statements and classifications', () => {
    assert.deepEqual(of("'A police officer who uses sex workers is highly likely to be exploiting a vulnerable person,' he said.", 'allegation'), []);
    assert.deepEqual(of('The IOPC said he abused his position for a sexual purpose, a form of serious corruption.', 'allegation').map(([t]) => t), ['abused his position for a sexual purpose']);
  });
});

describe('suggestion rules: sanctions and forces', () => {
  it('does not offer investigations and probes as sanctions (issue 16)', () => {
    assert.deepEqual(of('Two serving Met Police officers are still in their jobs despite facing misconduct probe for using prostitutes.', 'sanction'), []);
    assert.deepEqual(of('Two officers are still in their jobs despite being investigated for using prostitutes.', 'sanction'), []);
    assert.deepEqual(of('Two officers are still in their jobs despite being investigated for using prostitutes.', 'allegation'), [['using prostitutes', 'using_sex_workers', 'rule']]);
  });

  it('leaves out counterfactual, prospective and process mentions, and keeps the condition of "would have been dismissed"', () => {
    assert.deepEqual(of('They receive management advice instead of being fired.', 'sanction').map(([t]) => t), ['management advice']);
    assert.deepEqual(of('About 60 officers could face the sack, with 30 gross incompetence hearings.', 'sanction'), []);
    assert.deepEqual(of('He would have been dismissed without notice if he had not resigned.', 'sanction').map(([t]) => t), ['would have been dismissed without notice if he had not resigned']);
  });

  it('never gives a second force span inside another (issue 16: "Met" in "Met Police")', () => {
    assert.deepEqual(of('Two serving Met Police officers and a Met officer.', 'force').map(([t]) => t), ['Met Police', 'Met']);
  });
});

describe('the conduct lexicon', () => {
  it('names only allegation types of the gazetteer', () => {
    const ids = new Set(bundledGazetteers().gazetteers.find((g) => g.category === 'allegation')!.entries.map((e) => e.id));
    const lex = conductLexicon().data;
    for (const t of [...lex.standardNames.map((s) => s.type), ...lex.categories.map((c) => c.type), lex.fallback]) assert.ok(ids.has(t), t);
  });
});

describe('normalisation in context', () => {
  it('types a county name by the words after it, as the detector did; a county the annotator labelled force is its force', () => {
    assert.equal(entityType('force', 'Hampshire', ' police officer has been sacked'), 'hampshire_and_isle_of_wight');
    assert.equal(entityType('force', 'Nottinghamshire', ' Chief Constable Craig Guildford'), 'nottinghamshire');
    assert.equal(entityType('force', 'Wiltshire', "'s chief constable said"), 'wiltshire');
    // the label is the evidence the detector looks for in the words after it
    assert.equal(entityType('force', 'Hampshire'), 'hampshire_and_isle_of_wight');
    // not a force by any other label
    assert.equal(entityType('sanction', 'Hampshire', ' is a county'), undefined);
  });

  it('types a described conduct by its words', () => {
    assert.equal(entityType('allegation', 'had relationships with vulnerable women'), 'inappropriate_relationship');
    assert.equal(entityType('allegation', 'misused their contact details'), 'data_misuse');
  });
});

describe('development set', () => {
  it('the fixtures and the sample sidecars are what npm run devset builds from test/fixtures/devset/src', function () {
    this.timeout(60_000);
    const out = path.join(REPO, 'out', 'devset-check.cjs');
    esbuild.buildSync({ entryPoints: [path.join(REPO, 'scripts', 'devset.ts')], bundle: true, platform: 'node', outfile: out, logLevel: 'error' });
    execFileSync(process.execPath, [out, '--check'], { cwd: REPO, stdio: 'pipe' });
  });
});

describe('suggestion rules: phrasing the first rules were not written for (issue 32)', () => {
  it('takes the conduct an article narrates of the officer', () => {
    assert.deepEqual(of('The officer, who joined the force in 2015, copied restricted intelligence reports onto a memory stick.', 'allegation').map(([t]) => t), [
      'copied restricted intelligence reports onto a memory stick',
    ]);
    assert.deepEqual(of("PC Amy Rhodes drove a marked car to her partner's house while on a night shift.", 'allegation').map(([t]) => t), ["drove a marked car to her partner's house"]);
    assert.deepEqual(of('The panel heard that during a six-month period the sergeant claimed expenses for journeys he never made.', 'allegation').map(([t]) => t), [
      'claimed expenses for journeys he never made',
    ]);
    assert.deepEqual(of('The judge said he had "treated the victims with contempt".', 'allegation').map(([t]) => t), ['treated the victims with contempt']);
  });

  it('splits a list of offences at a named one, and reads a sentence that names a breach of policy', () => {
    assert.deepEqual(of('She pleaded guilty to failing to provide a specimen for analysis and dangerous driving.', 'allegation').map(([t]) => t), [
      'failing to provide a specimen for analysis',
      'dangerous driving',
    ]);
    assert.deepEqual(of('The IOPC found that the second officer had switched off his camera during the search, in breach of force policy.', 'allegation').map(([t]) => t).slice(0, 1), [
      'switched off his camera during the search',
    ]);
  });

  it('gives one span to each predicate of a list joined by commas', () => {
    assert.deepEqual(of('The officer had shouted at the driver, refused to let her leave and threatened to arrest her.', 'allegation').map(([t]) => t), [
      'shouted at the driver',
      'refused to let her leave',
      'threatened to arrest',
    ]);
  });

  it('takes no procedure, reply, finding for the officer or bare verb for conduct', () => {
    for (const text of [
      'Having considered the evidence, the panel found the allegations proven. After analysing the footage, it found no case to answer.',
      'The panel found his actions caused distress. The officer accepted the findings and apologised.',
      'The IOPC said the officer had acted in self-defence.',
      'Drug use has no place in policing, the chief constable said.',
    ])
      assert.deepEqual(of(text, 'allegation'), [], text);
  });

  it('names a Standard after "lack of", "in relation to" and the full title of the Standards', () => {
    assert.deepEqual(
      of('The chair found a clear lack of integrity and said the officer had breached the standards of professional behaviour in relation to respect and courtesy.', 'allegation').map(([t, type]) => [t, type]),
      [
        ['lack of integrity', 'std_honesty_and_integrity'],
        ['respect and courtesy', 'std_authority_respect_and_courtesy'],
      ],
    );
    // the Standards named are the allegations; the breach is not also a finding
    assert.deepEqual(of('She accepted that she had breached the standards of professional behaviour relating to confidentiality.', 'sanction'), []);
  });

  it('reads a misspelt outcome as the outcome meant, and leaves a misspelt word alone', () => {
    assert.deepEqual(of('He admitted grss misconduct and was dismised without notice after a hearing.', 'sanction').map(([t, type]) => [t, type]), [
      ['admitted grss misconduct', 'gross_misconduct_proven'],
      ['was dismised without notice', 'dismissal_without_notice'],
    ]);
    assert.deepEqual(of('The dog bared its teeth at the officer.', 'sanction'), []);
  });
});
