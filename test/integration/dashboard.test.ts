import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DashboardApi } from '../../src/extension/dashboard';
import type { CorpusStats } from '../../src/core/stats';
import { api, closeAll, workspaceDir } from './helpers';

/** Articles and annotations on disk, counted independently of the extension. */
function countOnDisk(dir: string): { articles: number; annotations: number } {
  let articles = 0;
  let annotations = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const file = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = countOnDisk(file);
      articles += sub.articles;
      annotations += sub.annotations;
    } else if (/\.(txt|md)$/i.test(e.name)) {
      articles++;
      if (fs.existsSync(file + '.annotations.json')) annotations += JSON.parse(fs.readFileSync(file + '.annotations.json', 'utf8')).annotations.length;
    }
  }
  return { articles, annotations };
}

describe('dashboard', () => {
  after(closeAll);

  it('opens a webview panel over the workspace corpus with the numbers of `stats`', async () => {
    const dashboard = ((await api()) as unknown as { dashboard: DashboardApi }).dashboard;
    const returned = await vscode.commands.executeCommand<CorpusStats>('misconduct.showDashboard');
    const panel = dashboard.panel();
    assert.ok(panel, 'a panel is open');
    assert.equal(panel.title, 'Misconduct Dashboard');
    assert.equal(panel.viewType, 'misconduct.dashboard');
    const stats = dashboard.lastStats() as CorpusStats;
    assert.equal(stats, returned);
    const disk = countOnDisk(workspaceDir());
    assert.equal(stats.articles, disk.articles);
    assert.equal(stats.annotations, disk.annotations);
    if (disk.articles === 5) {
      // the untouched sample corpus (the usual case with --grep dashboard)
      assert.equal(stats.articles, 5);
      assert.equal(stats.annotations, 44);
      assert.equal(stats.forces.staffordshire, 4);
      assert.equal(stats.allegationSanction.data_misuse?.police_barred_list, 1);
    }
    assert.equal(Object.values(stats.forces).reduce((a, b) => a + b, 0), stats.labels.force ?? 0);
  });

  it('reuses the open panel and recounts on a second run', async () => {
    const dashboard = ((await api()) as unknown as { dashboard: DashboardApi }).dashboard;
    const first = dashboard.panel();
    const before = dashboard.lastStats();
    await vscode.commands.executeCommand('misconduct.showDashboard');
    assert.equal(dashboard.panel(), first);
    assert.notEqual(dashboard.lastStats(), before, 'fresh numbers');
    assert.deepEqual(dashboard.lastStats(), before);
  });
});
