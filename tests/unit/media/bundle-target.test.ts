import { describe, expect, it } from 'vitest';
import { nodeBundleFs } from '../../../src-main/media/bundle-fs.js';
import { writeBundleFolder } from '../../../src-main/media/bundle-writer.js';

// bundle --to with targets that are not a drive's folder, on the real file system: the error names
// the real reason (the hostile run got "the drive is full" for /proc, whose statfs reports 0 blocks).
describe('bundle --to a place that takes no files', () => {
  const files = [{ name: 'README.txt', data: new TextEncoder().encode('x') }];

  it('/proc: not "full", the reason the system gives', async () => {
    const e = (await writeBundleFolder(nodeBundleFs, '/proc', 'Certdesk-probe', files).catch((err: unknown) => err)) as Error;
    expect(e.message).not.toMatch(/full/);
    // root gets ENOENT from /proc, everyone else EACCES.
    expect(e.message).toMatch(/^\/proc does not accept new files \(the system says: no such file or folder\)|^permission denied writing to \/proc$/);
  });

  it('a file: "is not a folder"', async () => {
    await expect(writeBundleFolder(nodeBundleFs, '/dev/null', 'Certdesk-probe', files)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: '/dev/null is not a folder' });
  });

});
