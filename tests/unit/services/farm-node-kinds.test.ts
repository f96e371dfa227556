/**
 * Farm nodes carry the reverse proxy they run: `--node HOST[:VERSION[:KIND]]`, KIND one of tmg,
 * iis-arr, nginx, haproxy, other; without one, the OS decides (TMG on 2008 R2, IIS ARR on later
 * Windows, other otherwise). A third part that is no kind stays the node's notes, as before.
 */
import { describe, expect, it } from 'vitest';
import { nodeKindOf } from '../../../src-main/common/farms.js';
import { parseNodeSpec } from '../../../src-main/cli/commands/farm.js';
import { checkNodes } from '../../../src-main/services/farms.js';

describe('farm node kinds', () => {
  it('parses KIND after the Windows version, case-insensitively, with notes after it', () => {
    expect(parseNodeSpec('rp1.contoso.com:other:NGINX')).toEqual({ host: 'rp1.contoso.com', windowsVersion: 'other', kind: 'nginx' });
    expect(parseNodeSpec('rp2.contoso.com:2019:iis-arr:rack 4')).toEqual({ host: 'rp2.contoso.com', windowsVersion: '2019', kind: 'iis-arr', notes: 'rack 4' });
    expect(parseNodeSpec('rp3.contoso.com:2008r2:DMZ west')).toEqual({ host: 'rp3.contoso.com', windowsVersion: '2008R2', notes: 'DMZ west' });
  });

  it('stores the kind, defaulting from the OS', () => {
    const nodes = checkNodes([
      { host: 'a.contoso.com', windowsVersion: '2008R2' },
      { host: 'b.contoso.com', windowsVersion: '2016' },
      { host: 'c.contoso.com', windowsVersion: 'other' },
      { host: 'd.contoso.com', windowsVersion: 'other', kind: 'haproxy' },
    ]);
    expect(nodes.map((n) => n.kind)).toEqual(['tmg', 'iis-arr', 'other', 'haproxy']);
  });

  it('refuses an unknown kind', () => {
    expect(() => checkNodes([{ host: 'a.contoso.com', windowsVersion: 'other', kind: 'squid' as never }])).toThrow(/"squid" is not a node kind: use one of tmg|nginx/);
  });

  it('reads farms stored before kinds: the OS decides', () => {
    expect(nodeKindOf({ windowsVersion: '2008R2' })).toBe('tmg');
    expect(nodeKindOf({ windowsVersion: '2022' })).toBe('iis-arr');
    expect(nodeKindOf({ windowsVersion: 'other', kind: 'nginx' })).toBe('nginx');
  });
});
