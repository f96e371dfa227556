import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_RULES } from '../../../src-main/common/plan.js';
import { IMPORT_RULES } from '../../../src-main/common/topology-import.js';
import { NAME_RULES } from '../../../src-main/pki/names.js';

const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
const section = /<!-- section:plan -->([\s\S]*?)<!-- \/section:plan -->/.exec(readme)?.[1] ?? '';

describe('README section plan', () => {
  it('documents every finding code with its severity (the codes are a public contract)', () => {
    for (const [code, rule] of [...Object.entries(NAME_RULES), ...Object.entries(PLAN_RULES), ...Object.entries(IMPORT_RULES)]) {
      expect(section, code).toContain(`| \`${code}\` | ${rule.severity} |`);
    }
  });

  it('documents the JSON fields the issue names', () => {
    for (const field of ['plans[]', 'sans[].name', 'sans[].reasons', 'findings[]', '`code`', '`severity`', '`message`', 'publishingRules[]']) {
      expect(section, field).toContain(field);
    }
  });
});
