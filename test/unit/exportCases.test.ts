/**
 * The case model in every export, read back the way each format's consumer reads it: brat's
 * standoff grammar and annotation.conf constraints (a strict parser written here), Label Studio's
 * ids and labeling-config control names, the Web Annotation link targets, and the case table
 * through an RFC 4180 parser here and Python's csv module.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultDocumentFields, FieldDefinition } from '../../src/core/codebook';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { ExportFormat, ExportOptions, ExportTargetError, ExportWarning, exportDataset, labelStudioConfig, parseSplit } from '../../src/core/export';
import { cli, SAMPLES, tempDir } from './helpers';
import { buildCaseCorpus, CASE_ARTICLES, EXPECTED_LINKS } from './fixtures/export/caseCorpus';
import { cpSlice } from './fixtures/export/corpus';
import { parseCsv } from './fixtures/export/csv';

async function run(root: string, format: ExportFormat, extra: Partial<ExportOptions> = {}) {
  const outDir = tempDir('misconduct-cases-out-');
  const ext: Record<string, string> = { jsonl: '.jsonl', webanno: '.jsonld', labelstudio: '.json' };
  const out = path.join(outDir, format in ext ? `data${ext[format]}` : format);
  const warnings: ExportWarning[] = [];
  const summary = await exportDataset(nodeFileSystem, root, { format, out, onWarning: (w) => warnings.push(w), ...extra });
  return { out, outDir, summary, warnings };
}

describe('export: relations and forms in jsonl', () => {
  it('gives each line relations whose from/to index its spans, and the form as document', async () => {
    const root = buildCaseCorpus();
    const { out, summary } = await run(root, 'jsonl');
    const docs = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(docs.map((d) => d.id).sort(), ['form-only.txt', 'north/hearing.txt', 'orphan-end.txt', 'south/meeting.txt'], 'a form-only article is exported');
    const links: string[] = [];
    for (const d of docs) {
      for (const r of d.relations) {
        assert.ok(Number.isInteger(r.from) && Number.isInteger(r.to), 'from/to are indexes');
        const from = d.spans[r.from];
        const to = d.spans[r.to];
        assert.equal(cpSlice(d.text, from.start, from.end), from.text);
        links.push([d.id, r.label, from.text, to.text].join(' | '));
      }
    }
    assert.deepEqual(links.sort(), EXPECTED_LINKS);
    assert.equal(summary.relations, EXPECTED_LINKS.length);
    const hearing = docs.find((d) => d.id === 'north/hearing.txt');
    assert.deepEqual(hearing.document, CASE_ARTICLES[0].document);
    assert.equal(hearing.relations.find((r: { id: string }) => r.id === 'r2').note, 'found proven,\r\nthen "dismissed"');
    assert.deepEqual(docs.find((d) => d.id === 'south/meeting.txt').document, {});
    assert.deepEqual(docs.find((d) => d.id === 'orphan-end.txt').relations, [], 'a relation with an orphaned end is left out with it');
  });

  it('leaves out a relation whose end the label filter leaves out', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'jsonl', { labels: ['officer', 'force'] });
    const hearing = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)).find((d) => d.id === 'north/hearing.txt');
    assert.deepEqual(hearing.relations.map((r: { label: string; from: number; to: number }) => [r.label, hearing.spans[r.from].text, hearing.spans[r.to].text]), [
      ['member', 'PC Jane Doe', 'Kent Police'],
      ['member', 'A former sergeant, "Sgt Roe"', 'the Met'],
    ]);
  });
});

/** brat's standoff, parsed strictly as brat defines it (brat.nlplab.org/standoff.html). */
interface BratAnn {
  entities: Map<string, { type: string; fragments: number[][]; text: string }>;
  relations: Map<string, { type: string; arg1: string; arg2: string }>;
  notes: Map<string, string>;
}

function parseBratAnn(text: string, article: string): BratAnn {
  const ann: BratAnn = { entities: new Map(), relations: new Map(), notes: new Map() };
  assert.ok(text === '' || text.endsWith('\n'), 'every line ends with a line feed');
  for (const line of text.split('\n').slice(0, -1)) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^(T\d+)\t([A-Za-z0-9_-]+) (\d+ \d+(?:;\d+ \d+)*)\t([^\t\n]*)$/))) {
      assert.ok(!ann.entities.has(m[1]), `${m[1]} defined twice`);
      const fragments = m[3].split(';').map((f) => f.split(' ').map(Number));
      // brat: the text field is the fragments' text joined by a space
      assert.equal(m[4], fragments.map(([s, e]) => cpSlice(article, s, e)).join(' '), line);
      ann.entities.set(m[1], { type: m[2], fragments, text: m[4] });
    } else if ((m = line.match(/^(R\d+)\t([A-Za-z0-9_-]+) Arg1:(T\d+) Arg2:(T\d+)$/))) {
      assert.ok(!ann.relations.has(m[1]), `${m[1]} defined twice`);
      ann.relations.set(m[1], { type: m[2], arg1: m[3], arg2: m[4] });
    } else if ((m = line.match(/^#\d+\tAnnotatorNotes ([TR]\d+)\t([^\t\n]*)$/))) {
      ann.notes.set(m[1], m[2]);
    } else {
      assert.fail(`not a brat standoff line: ${JSON.stringify(line)}`);
    }
  }
  for (const [id, r] of ann.relations) {
    assert.ok(ann.entities.has(r.arg1) && ann.entities.has(r.arg2), `${id} refers to a text-bound annotation of its file`);
  }
  for (const id of ann.notes.keys()) assert.ok(ann.entities.has(id) || ann.relations.has(id), `the note on ${id} has its annotation`);
  return ann;
}

/** annotation.conf: entity types, and per relation type the types each argument may have. */
function parseBratConf(text: string): { entities: Set<string>; relations: Map<string, { arg1: string[]; arg2: string[] }> } {
  const sections = new Map<string, string[]>();
  let current = '';
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const header = line.match(/^\[(\w+)\]$/);
    if (header) {
      current = header[1];
      sections.set(current, []);
    } else {
      sections.get(current)!.push(line);
    }
  }
  assert.deepEqual([...sections.keys()], ['entities', 'relations', 'events', 'attributes']);
  const relations = new Map<string, { arg1: string[]; arg2: string[] }>();
  for (const line of sections.get('relations')!) {
    const m = line.match(/^([A-Za-z0-9_-]+) Arg1:([^,\s]+), Arg2:([^,\s]+)$/);
    assert.ok(m, `not a brat relation declaration: ${line}`);
    assert.ok(!relations.has(m[1]), `${m[1]} declared twice`);
    relations.set(m[1], { arg1: m[2].split('|'), arg2: m[3].split('|') });
  }
  return { entities: new Set(sections.get('entities')), relations };
}

function allowed(types: string[], type: string, entities: Set<string>): boolean {
  for (const t of types) assert.ok(t === '<ENTITY>' || entities.has(t), `${t} is a declared entity type`);
  return types.includes('<ENTITY>') || types.includes(type);
}

/** Reads a brat export back: every relation line must be one brat would load with this conf. */
function readBrat(out: string): { links: string[]; conf: ReturnType<typeof parseBratConf>; notes: string[] } {
  const conf = parseBratConf(fs.readFileSync(path.join(out, 'annotation.conf'), 'utf8'));
  const links: string[] = [];
  const notes: string[] = [];
  for (const name of fs.readdirSync(out).filter((n) => n.endsWith('.ann'))) {
    const article = fs.readFileSync(path.join(out, name.replace(/\.ann$/, '.txt')), 'utf8');
    const ann = parseBratAnn(fs.readFileSync(path.join(out, name), 'utf8'), article);
    for (const [id, r] of ann.relations) {
      const declared = conf.relations.get(r.type);
      assert.ok(declared, `relation type ${r.type} is declared in annotation.conf`);
      const from = ann.entities.get(r.arg1)!;
      const to = ann.entities.get(r.arg2)!;
      assert.ok(allowed(declared.arg1, from.type, conf.entities), `${name} ${id}: Arg1 ${from.type} allowed by ${declared.arg1}`);
      assert.ok(allowed(declared.arg2, to.type, conf.entities), `${name} ${id}: Arg2 ${to.type} allowed by ${declared.arg2}`);
      links.push([name.replace(/\.ann$/, '').replace(/__/g, '/'), r.type, from.text, to.text].join(' | '));
      if (ann.notes.has(id)) notes.push(ann.notes.get(id)!);
    }
  }
  return { links: links.sort(), conf, notes };
}

describe('export: relations in brat', () => {
  it('writes R lines brat can load, and declares every relation type with its argument types', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'brat');
    const { links, conf, notes } = readBrat(out);
    assert.deepEqual(links, EXPECTED_LINKS);
    assert.deepEqual(notes, ['found proven, then "dismissed"']);
    assert.deepEqual(Object.fromEntries(conf.relations), {
      outcome: { arg1: ['allegation'], arg2: ['sanction'] },
      subject: { arg1: ['officer'], arg2: ['allegation'] },
      member: { arg1: ['officer'], arg2: ['force'] },
      // not configured, still declared, with the types it joins
      sanctioned: { arg1: ['officer'], arg2: ['sanction'] },
    });
    const ann = fs.readFileSync(path.join(out, 'north__hearing.txt.ann'), 'utf8');
    assert.match(ann, /^R2\toutcome Arg1:T4 Arg2:T3$/m, 'the ends are the T ids of the allegation and the sanction');
  });

  it('uses the configured relation types, widened to the labels the exported relations join', async () => {
    const root = buildCaseCorpus();
    const relationTypes = [
      { name: 'outcome', from: [], to: ['sanction'] },
      { name: 'member', from: ['officer'], to: ['body'] },
    ];
    const { out } = await run(root, 'brat', { relationTypes });
    const { links, conf } = readBrat(out);
    assert.deepEqual(links, EXPECTED_LINKS);
    assert.deepEqual(Object.fromEntries(conf.relations), {
      outcome: { arg1: ['<ENTITY>'], arg2: ['sanction'] },
      member: { arg1: ['officer'], arg2: ['body', 'force'] },
      sanctioned: { arg1: ['officer'], arg2: ['sanction'] },
      subject: { arg1: ['officer'], arg2: ['allegation'] },
    });
    assert.ok(conf.entities.has('body'), 'a label a relation type names is declared as an entity type');
  });

  it('with --labels, declares only those labels and the relation types that can join them', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'brat', { labels: ['officer', 'force'] });
    const { links, conf } = readBrat(out);
    assert.deepEqual([...conf.entities].sort(), ['force', 'officer']);
    assert.deepEqual(Object.fromEntries(conf.relations), { member: { arg1: ['officer'], arg2: ['force'] } });
    assert.equal(links.length, 2);
  });
});

interface LsResult {
  id?: string;
  type: string;
  from_name?: string;
  to_name?: string;
  from_id?: string;
  to_id?: string;
  direction?: string;
  labels?: string[];
  value?: { start?: number; end?: number; text?: string | string[]; labels?: string[]; choices?: string[] };
}

describe('export: relations and forms in Label Studio', () => {
  const fields: FieldDefinition[] = [
    ...defaultDocumentFields(),
    { name: 'officers_named', type: 'number' },
    { name: 'summary', type: 'text' },
  ];

  it("gives relation results whose from_id/to_id are region ids of the same task, and the form as region-less results its config names", async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'labelstudio', { documentFields: fields });
    const tasks: Array<{ data: { text: string; file: string }; annotations: Array<{ result: LsResult[] }> }> = JSON.parse(fs.readFileSync(out, 'utf8'));
    const config = labelStudioConfig(['allegation', 'force', 'officer', 'sanction'], { relationTypes: [{ name: 'outcome' }, { name: 'subject' }, { name: 'member' }, { name: 'sanctioned' }], fields });
    // the controls of the labeling config, by name, as Label Studio matches results to them
    const controls = new Map([...config.matchAll(/<(Labels|Choices|TextArea) name="([^"]+)" toName="text"/g)].map((m) => [m[2], m[1].toLowerCase()]));
    const relationValues = new Set([...config.matchAll(/<Relation value="([^"]+)"\/>/g)].map((m) => m[1]));
    const links: string[] = [];
    const forms = new Map<string, LsResult[]>();
    for (const task of tasks) {
      const results = task.annotations.flatMap((a) => a.result);
      const regions = new Map(results.filter((r) => r.type === 'labels').map((r) => [r.id!, r]));
      assert.equal(new Set(results.filter((r) => r.id).map((r) => r.id)).size, results.filter((r) => r.id).length, 'result ids are unique in a task');
      for (const r of results) {
        if (r.type === 'relation') {
          assert.equal(r.direction, 'right');
          const from = regions.get(r.from_id!);
          const to = regions.get(r.to_id!);
          assert.ok(from && to, `relation ${r.from_id} → ${r.to_id} joins two regions of ${task.data.file}`);
          assert.ok(relationValues.has(r.labels![0]), `${r.labels![0]} is a Relation of the config`);
          links.push([task.data.file, r.labels![0], from.value!.text, to.value!.text].join(' | '));
        } else {
          assert.equal(controls.get(r.from_name!), r.type, `${r.from_name} is a ${r.type} control of the config`);
          assert.equal(r.to_name, 'text');
          if (r.type !== 'labels') {
            assert.equal(r.value!.start, undefined, 'a form result has no region');
            forms.set(task.data.file, [...(forms.get(task.data.file) ?? []), r]);
          }
        }
      }
    }
    assert.deepEqual(links.sort(), EXPECTED_LINKS);
    const hearing = new Map((forms.get('north/hearing.txt') ?? []).map((r) => [r.from_name!, r]));
    assert.deepEqual(hearing.get('standards')!.value, { choices: ['discreditable_conduct', 'honesty_and_integrity'] });
    assert.deepEqual(hearing.get('proceeding')!.value, { choices: ['misconduct_hearing'] });
    assert.deepEqual(hearing.get('barred_list')!.value, { choices: ['true'] });
    assert.deepEqual(hearing.get('hearing_date'), { id: 'document/hearing_date', type: 'textarea', from_name: 'hearing_date', to_name: 'text', origin: 'manual', value: { text: ['2026-03-01'] } });
    assert.deepEqual(hearing.get('officers_named')!.value, { text: ['2'] });
    assert.deepEqual(hearing.get('summary')!.value, { text: ['Two officers, one "case",\nbarred'] });
    assert.ok(!hearing.has('finding'), 'an unanswered (null) field has no result');
    const formOnly = tasks.find((t) => t.data.file === 'form-only.txt')!;
    assert.deepEqual(
      formOnly.annotations[0].result.map((r) => [r.from_name, r.type, r.value]),
      [
        ['barred_list', 'choices', { choices: ['false'] }],
        ['officer_status', 'choices', { choices: ['former'] }],
      ],
    );
  });

  it('without the codebook, a list or boolean is a choice and anything else a textarea', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'labelstudio', { documentFields: [] });
    const tasks: Array<{ data: { file: string }; annotations: Array<{ result: LsResult[] }> }> = JSON.parse(fs.readFileSync(out, 'utf8'));
    const results = tasks.find((t) => t.data.file === 'north/hearing.txt')!.annotations[0].result;
    const type = (name: string) => results.find((r) => r.from_name === name)!.type;
    assert.deepEqual(['standards', 'barred_list', 'proceeding', 'officers_named'].map(type), ['choices', 'choices', 'textarea', 'textarea']);
  });

  it('writes the labeling config with relations and one control per field', () => {
    assert.equal(
      labelStudioConfig(['force'], { relationTypes: [{ name: 'member' }], fields: [{ name: 'barred_list', type: 'boolean' }, { name: 'note', type: 'text' }, { name: 'standards', type: 'multi', options: ['a&b'] }] }),
      [
        '<View>',
        '  <Labels name="label" toName="text">',
        '    <Label value="force"/>',
        '  </Labels>',
        '  <Text name="text" value="$text"/>',
        '  <Relations>',
        '    <Relation value="member"/>',
        '  </Relations>',
        '  <Choices name="barred_list" toName="text" choice="single" showInline="true">',
        '    <Choice value="true"/>',
        '    <Choice value="false"/>',
        '  </Choices>',
        '  <TextArea name="note" toName="text" maxSubmissions="1"/>',
        '  <Choices name="standards" toName="text" choice="multiple" showInline="true">',
        '    <Choice value="a&amp;b"/>',
        '  </Choices>',
        '</View>',
      ].join('\n'),
    );
  });
});

describe('export: relations in Web Annotation', () => {
  it('writes each relation as a linking annotation whose target is the two span annotations, start first', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'webanno');
    const c = JSON.parse(fs.readFileSync(out, 'utf8'));
    type Item = { id: string; motivation: string; body: Array<{ purpose: string; value: string }>; target: unknown };
    const items: Item[] = c.first.items;
    assert.equal(c.total, items.length);
    const spans = new Map(items.filter((i) => i.motivation === 'tagging').map((i) => [i.id, i]));
    const links = items.filter((i) => i.motivation === 'linking');
    const read = links.map((l) => {
      assert.ok(Array.isArray(l.target) && l.target.length === 2);
      const [from, to] = (l.target as string[]).map((id) => spans.get(id));
      assert.ok(from && to, `${l.id} targets two span annotations of the collection`);
      const file = decodeURIComponent((from.target as { source: string }).source.replace('urn:misconduct-annotator:article:', ''));
      const quote = (a: Item) => (a.target as { selector: Array<{ type: string; exact: string }> }).selector.find((s) => s.type === 'TextQuoteSelector')!.exact;
      return [file, l.body.find((b) => b.purpose === 'tagging')!.value, quote(from), quote(to)].join(' | ');
    });
    assert.deepEqual(read.sort(), EXPECTED_LINKS);
    assert.ok(links.some((l) => l.body.some((b) => b.purpose === 'commenting' && b.value === 'found proven,\r\nthen "dismissed"')));
  });
});

/** The table as a list of objects keyed by header (rows of unequal length fail). */
function table(text: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [header, ...rows] = parseCsv(text);
  return {
    header,
    rows: rows.map((r) => {
      assert.equal(r.length, header.length, `a row has one cell per column: ${r.join(',')}`);
      return Object.fromEntries(header.map((h, i) => [h, r[i]]));
    }),
  };
}

const CASES_HEADER = [
  'file',
  'force',
  'officer_status',
  'officer_rank',
  'proceeding',
  'finding',
  'outcome',
  'standards',
  'barred_list',
  'hearing_date',
  'officers_named',
  'summary',
  'n_force',
  'n_allegation',
  'n_sanction',
  'n_officer',
  'force_ids',
  // the article's source, at the end so the columns before keep their places
  'url',
  'outlet',
  'published',
];

const HEARING_ROW: Record<string, string> = {
  file: 'north/hearing.txt',
  force: 'kent',
  officer_status: 'serving',
  officer_rank: '',
  proceeding: 'misconduct_hearing',
  finding: '',
  outcome: 'dismissal_without_notice',
  standards: 'discreditable_conduct; honesty_and_integrity',
  barred_list: 'true',
  hearing_date: '2026-03-01',
  officers_named: '2',
  summary: 'Two officers, one "case",\nbarred',
  n_force: '2',
  n_allegation: '1',
  n_sanction: '2',
  n_officer: '2',
  force_ids: 'kent; metropolitan',
  url: '',
  outlet: '',
  published: '',
};

const RELATIONS_HEADER = ['file', 'id', 'label', 'from_id', 'from_label', 'from_text', 'to_id', 'to_label', 'to_text'];

describe('export: cases', () => {
  it('writes cases.csv (one row per article: form fields, counts, force ids) and relations.csv', async () => {
    const root = buildCaseCorpus();
    const { out, summary } = await run(root, 'cases');
    // case_records.csv and case_evidence.csv are always written (a header alone without case records: issue 31)
    assert.deepEqual(fs.readdirSync(out).sort(), ['.misconduct-export.json', 'case_evidence.csv', 'case_records.csv', 'cases.csv', 'relations.csv']);
    const cases = table(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8'));
    assert.deepEqual(cases.header, CASES_HEADER);
    assert.equal(cases.rows.length, summary.articles);
    assert.deepEqual(cases.rows.map((r) => r.file), ['form-only.txt', 'north/hearing.txt', 'orphan-end.txt', 'south/meeting.txt']);
    assert.deepEqual(cases.rows[1], HEARING_ROW);
    assert.deepEqual(cases.rows[0], { ...Object.fromEntries(CASES_HEADER.map((h) => [h, ''])), file: 'form-only.txt', officer_status: 'former', barred_list: 'false', n_force: '0', n_allegation: '0', n_sanction: '0', n_officer: '0' });
    assert.equal(cases.rows[2].n_sanction, '0', 'an orphaned span is not counted');
    assert.equal(cases.rows[3].force_ids, 'sussex');

    const relations = table(fs.readFileSync(path.join(out, 'relations.csv'), 'utf8'));
    assert.deepEqual(relations.header, RELATIONS_HEADER);
    assert.deepEqual(relations.rows.map((r) => [r.file, r.label, r.from_text, r.to_text].join(' | ')).sort(), EXPECTED_LINKS);
    assert.deepEqual(relations.rows.find((r) => r.id === 'r4'), {
      file: 'north/hearing.txt',
      id: 'r4',
      label: 'member',
      from_id: 'o2',
      from_label: 'officer',
      from_text: 'A former sergeant, "Sgt Roe"',
      to_id: 'f2',
      to_label: 'force',
      to_text: 'the Met',
    });
  });

  it('takes its field columns from the configured form and its counts from --labels', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'cases', { documentFields: [{ name: 'outcome', type: 'choice' }, { name: 'barred_list', type: 'boolean' }], labels: ['sanction', 'force'] });
    const cases = table(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8'));
    assert.deepEqual(cases.header, [
      'file',
      'outcome',
      'barred_list',
      // then every other field found (null values too), by name
      'finding',
      'force',
      'hearing_date',
      'officer_status',
      'officers_named',
      'proceeding',
      'standards',
      'summary',
      'n_sanction',
      'n_force',
      'force_ids',
      'url',
      'outlet',
      'published',
    ]);
    assert.equal(table(fs.readFileSync(path.join(out, 'relations.csv'), 'utf8')).rows.length, 0, 'no relation joins a sanction and a force');
  });

  it('warns when a form field has the name of another column', async () => {
    const root = buildCaseCorpus();
    const { warnings } = await run(root, 'cases', { documentFields: [{ name: 'n_force', type: 'number' }] });
    assert.ok(warnings.some((w) => w.kind === 'name-collision' && w.message.includes('"n_force"')));
  });

  it('follows the folder rules: refuses a non-empty folder, with force replaces only its own files, never writes among the articles', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'cases');
    fs.writeFileSync(path.join(out, 'mine.csv'), 'kept\r\n');
    fs.writeFileSync(path.join(out, 'cases.csv'), 'edited by hand');
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'cases', out }), ExportTargetError);
    assert.equal(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8'), 'edited by hand', 'refused before anything was written');
    await exportDataset(nodeFileSystem, root, { format: 'cases', out, force: true });
    assert.equal(fs.readFileSync(path.join(out, 'mine.csv'), 'utf8'), 'kept\r\n', 'a file the export did not write stays');
    assert.match(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8'), /^file,force,/);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['cases'], 'no temp folder left');

    // a file we did not write, where ours would go, stops the export
    const other = tempDir();
    fs.writeFileSync(path.join(other, 'cases.csv'), 'someone else\'s');
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'cases', out: other, force: true }), /was not written by an earlier export/);
    assert.equal(fs.readFileSync(path.join(other, 'cases.csv'), 'utf8'), 'someone else\'s');

    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'cases', out: path.join(root, 'north') }), ExportTargetError);
    assert.deepEqual(fs.readdirSync(path.join(root, 'north')).sort(), ['hearing.txt', 'hearing.txt.annotations.json']);
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'cases', out: root }), ExportTargetError);
    // an export-<date> folder in the corpus is allowed: corpus walks skip it
    await exportDataset(nodeFileSystem, root, { format: 'cases', out: path.join(root, 'export-2026-11-30', 'cases') });
    assert.ok(fs.existsSync(path.join(root, 'export-2026-11-30', 'cases', 'cases.csv')));
  });

  it('writes one table pair per split part', async () => {
    const root = buildCaseCorpus();
    const { out } = await run(root, 'cases', { split: parseSplit('50,50'), seed: 7 });
    let rows = 0;
    for (const part of ['train', 'test']) {
      assert.ok(fs.existsSync(path.join(out, part, 'relations.csv')));
      const cases = table(fs.readFileSync(path.join(out, part, 'cases.csv'), 'utf8'));
      // the configured fields in every part; a field the codebook does not know only where it occurs
      const extra = cases.rows.some((r) => r.file === 'north/hearing.txt') ? [] : ['officers_named', 'summary'];
      assert.deepEqual(cases.header, CASES_HEADER.filter((h) => !extra.includes(h)));
      rows += cases.rows.length;
    }
    assert.equal(rows, 4);
  });

  it('an empty export writes the headers', async () => {
    const { out } = await run(tempDir(), 'cases');
    assert.deepEqual(parseCsv(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8')), [CASES_HEADER.filter((h) => h !== 'officers_named' && h !== 'summary')]);
    assert.deepEqual(parseCsv(fs.readFileSync(path.join(out, 'relations.csv'), 'utf8')), [RELATIONS_HEADER]);
  });

  it("reads back through Python's csv module", async function () {
    const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    if (python.error || python.status !== 0) {
      console.log(`      (skipped: no python3 on PATH to read the case table with its csv module: ${python.error?.message ?? python.stderr})`);
      this.skip();
    }
    const root = buildCaseCorpus();
    const { out } = await run(root, 'cases');
    const script = [
      'import csv, json, sys',
      'out = {}',
      'for name in ("cases.csv", "relations.csv"):',
      '    with open(sys.argv[1] + "/" + name, newline="", encoding="utf-8") as f:',
      '        r = csv.DictReader(f, strict=True)',
      '        out[name] = {"header": r.fieldnames, "rows": list(r)}',
      'json.dump(out, sys.stdout)',
    ].join('\n');
    const read = spawnSync('python3', ['-c', script, out], { encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
    assert.equal(read.status, 0, read.stderr);
    const back = JSON.parse(read.stdout) as Record<string, { header: string[]; rows: Array<Record<string, string>> }>;
    assert.deepEqual(back['cases.csv'].header, CASES_HEADER);
    assert.equal(back['cases.csv'].rows.length, 4);
    assert.deepEqual(back['cases.csv'].rows.find((r) => r.file === 'north/hearing.txt'), HEARING_ROW);
    assert.deepEqual(back['relations.csv'].header, RELATIONS_HEADER);
    assert.deepEqual(back['relations.csv'].rows.map((r) => [r.file, r.label, r.from_text, r.to_text].join(' | ')).sort(), EXPECTED_LINKS);
    const r5 = back['relations.csv'].rows.find((r) => r.id === 'r5')!;
    assert.equal(r5.to_text, 'barred 😀');
  });
});

describe('CLI: export --format cases, and validate on relations', () => {
  it('writes the samples as a case table with one row per annotated article', async () => {
    const out = path.join(tempDir(), 'cases');
    const run = await cli('export', SAMPLES, '--format', 'cases', '--out', out);
    assert.equal(run.code, 0, run.err);
    const sidecars = fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.annotations.json')).map((n) => n.replace(/\.annotations\.json$/, ''));
    const cases = table(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8'));
    assert.deepEqual(cases.rows.map((r) => r.file).sort(), sidecars.sort());
    assert.deepEqual(cases.header.slice(0, 10), ['file', ...defaultDocumentFields().map((f) => f.name)]);
    assert.ok(cases.rows.every((r) => Number(r.n_force) > 0 && r.force_ids !== ''), 'every sample names a force');
    assert.deepEqual(parseCsv(fs.readFileSync(path.join(out, 'relations.csv'), 'utf8'))[0], RELATIONS_HEADER);
    assert.match(run.err, new RegExp(`exported ${sidecars.length} article\\(s\\), \\d+ span\\(s\\) as cases to `));
    // a second run into the same folder needs --force
    const again = await cli('export', SAMPLES, '--format', 'cases', '--out', out);
    assert.equal(again.code, 2);
    assert.match(again.err, /not empty.*--force/);
    assert.equal((await cli('export', SAMPLES, '--format', 'cases', '--out', out, '--force')).code, 0);

    // with --include-unannotated, one row per article of the samples, coded or not
    const all = path.join(tempDir(), 'cases');
    assert.equal((await cli('export', SAMPLES, '--format', 'cases', '--out', all, '--include-unannotated')).code, 0);
    const articles = fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.txt'));
    assert.equal(articles.length, 7);
    assert.deepEqual(table(fs.readFileSync(path.join(all, 'cases.csv'), 'utf8')).rows.map((r) => r.file), articles.sort());
  });

  it('validate exits 1 on a dangling relation end and on a repeated relation id, naming the relation', async () => {
    const root = buildCaseCorpus();
    const file = path.join(root, 'north', 'hearing.txt.annotations.json');
    const sidecar = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal((await cli('validate', root)).code, 0, 'the fixture is valid');

    sidecar.relations[0].to = 'gone';
    fs.writeFileSync(file, JSON.stringify(sidecar));
    let run = await cli('validate', root);
    assert.equal(run.code, 1);
    assert.match(run.out, /hearing\.txt\.annotations\.json.*\(id r1\).*"to" end gone is not an annotation/);

    sidecar.relations[0].to = 'a1';
    sidecar.relations[1].id = 'r1';
    fs.writeFileSync(file, JSON.stringify(sidecar));
    run = await cli('validate', root);
    assert.equal(run.code, 1);
    assert.match(run.out, /hearing\.txt\.annotations\.json.*\(id r1\): has the same id as an earlier relation/);
  });
});
