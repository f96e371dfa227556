import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertOutsideStore } from '../../../src-main/store/paths.js';
import { tempDir } from './fixtures.js';

let root: string;
let store: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('certdesk-paths-'));
  store = join(root, 'store');
  await mkdir(join(store, 'requests'), { recursive: true });
  await writeFile(join(store, 'store.json'), '{}');
  await mkdir(join(root, 'out'));
  await symlink(store, join(root, 'link-to-store'));
  await symlink(join(store, 'store.json'), join(root, 'out', 'meta-link.pfx'));
  await symlink(join(root, 'out'), join(store, 'link-out'));
});
afterAll(async () => {
  await cleanup();
});

const INSIDE = /is inside the Certdesk store folder .*: write it somewhere else$/;
const refused = async (storeDir: string, target: string) => {
  const e: unknown = await assertOutsideStore(storeDir, target).then(() => null, (x: unknown) => x);
  expect(e).toMatchObject({ code: 'INVALID_INPUT' });
  expect((e as Error).message).toMatch(INSIDE);
};

describe('assertOutsideStore', () => {
  it('refuses the store folder itself, its files and anything below it, existing or not', async () => {
    await refused(store, store);
    await refused(store, join(store, 'store.json'));
    await refused(store, join(store, 'requests', '20260101-abcdefgh', 'key.enc'));
    await refused(store, join(store, 'new', 'deeper', 'file.pfx'));
    await refused(store, join(root, 'out', '..', 'store', 'x.pfx'));
  });

  it('sees through symlinks: a linked parent, a linked store path, a link to a store file, a link kept in the store', async () => {
    await refused(store, join(root, 'link-to-store', 'store.json'));
    await refused(join(root, 'link-to-store'), join(store, 'audit.log'));
    await refused(store, join(root, 'out', 'meta-link.pfx'));
    await refused(store, join(store, 'link-out', 'x.pfx'));
  });

  it('accepts paths outside, including a sibling whose name starts with the store name', async () => {
    await expect(assertOutsideStore(store, join(root, 'out', 'webext.pfx'))).resolves.toBeUndefined();
    await expect(assertOutsideStore(store, join(root, 'store-backup', 'x.pfx'))).resolves.toBeUndefined();
    await expect(assertOutsideStore(store, root)).resolves.toBeUndefined();
    await expect(assertOutsideStore(join(root, 'not-yet'), join(root, 'out', 'x.pfx'))).resolves.toBeUndefined();
  });
});
