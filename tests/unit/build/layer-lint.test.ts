import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The layer rule of docs/architecture.md, checked the way the model codebases test their own lint
// rules: lint a probe file that imports across every pair of folders and expect exactly the
// forbidden directions to fail. The expectations come from the doc's table, so the doc and the
// zones in eslint.config.mjs cannot drift apart.

const root = join(import.meta.dirname, '..', '..', '..');
const LAYERS = ['common', 'pki', 'planning', 'store', 'keychain', 'media', 'services', 'ipc', 'web', 'app', 'preload', 'cli'] as const;

function docTable(): Map<string, string[]> {
  const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  // Only the dependency table itself: other tables of the doc (the backup format's, say) look alike.
  const start = doc.indexOf('| folder | may import');
  if (start < 0) throw new Error('docs/architecture.md has no "| folder | may import" table');
  const end = doc.indexOf('\n\n', start);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const table = new Map<string, string[]>();
  for (const m of section.matchAll(/^\| ([a-z-]+) \| ([a-z, -]+) \|$/gm)) {
    const allowed = m[2]!.trim() === '-' ? [] : m[2]!.split(',').map((s) => s.trim());
    table.set(m[1]!, allowed);
  }
  return table;
}

/** A real module in each folder, so the probe's import resolves (an unresolved import never fires). */
function someModule(folder: string): string {
  const file = readdirSync(join(root, 'src-main', folder)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()[0];
  if (!file) throw new Error(`no module in src-main/${folder}`);
  return file.replace(/\.ts$/, '.js');
}

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    // Only the layer rule; the probes are not part of a TypeScript project, so no type information.
    ruleFilter: ({ ruleId }) => ruleId === 'import-x/no-restricted-paths',
    overrideConfig: [{ languageOptions: { parserOptions: { projectService: false, project: null } } }],
  });
});

async function layerErrors(probePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as probe from '${specifier}';\nexport { probe };\n`, { filePath: join(root, probePath) });
  const fatal = result!.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`probe did not parse: ${fatal.map((m) => m.message).join('; ')}`);
  return result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('the layer lint (docs/architecture.md)', () => {
  it('documents every folder of src-main and the renderer', () => {
    const table = docTable();
    expect([...table.keys()].sort()).toEqual([...LAYERS, 'src-renderer'].sort());
    for (const allowed of table.values()) for (const l of allowed) expect(LAYERS).toContain(l);
  });

  for (const from of LAYERS) {
    it(`src-main/${from} may import exactly what the table allows`, async () => {
      const allowed = docTable().get(from)!;
      const outcome: Record<string, boolean> = {};
      const expected: Record<string, boolean> = {};
      for (const to of LAYERS) {
        if (to === from) continue;
        const errors = await layerErrors(`src-main/${from}/zz-layer-probe.ts`, `../${to}/${someModule(to)}`);
        outcome[to] = errors.length === 0;
        expected[to] = allowed.includes(to);
      }
      expect(outcome).toEqual(expected);
    });
  }

  it('the renderer may import src-main/common and nothing else of src-main', async () => {
    const outcome: Record<string, boolean> = {};
    const expected: Record<string, boolean> = {};
    for (const to of LAYERS) {
      const errors = await layerErrors('src-renderer/lib/zz-layer-probe.ts', `../../src-main/${to}/${someModule(to)}`);
      outcome[to] = errors.length === 0;
      expected[to] = docTable().get('src-renderer')!.includes(to);
    }
    expect(outcome).toEqual(expected);
  });

  it('names the rule in the error so a breach explains itself', async () => {
    const errors = await layerErrors('src-main/pki/zz-layer-probe.ts', `../services/${someModule('services')}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('docs/architecture.md');
  });
});
