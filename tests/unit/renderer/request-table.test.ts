import { describe, expect, it } from 'vitest';
import type { RequestRecord, RequestStatus } from '../../../src-main/common/requests.js';
import { filterRows, nextRowIndex, paginate, sortRows, toRows } from '../../../src-renderer/lib/request-table.js';

function record(i: number, over: Partial<RequestRecord> = {}): RequestRecord {
  const statuses: RequestStatus[] = ['pending', 'issued', 'exported', 'deployed', 'revoked'];
  const subject = `host${i}.contoso.com`;
  return {
    schemaVersion: 1,
    id: `req-${String(i).padStart(5, '0')}`,
    friendlyName: `Listener ${i}`,
    description: i % 7 === 0 ? 'Edge and reverse proxy combined' : '',
    subject,
    subjectFields: { commonName: subject },
    distinguishedName: `CN=${subject}`,
    sans: [subject, ...Array.from({ length: i % 5 }, (_, k) => `alt${k}.${subject}`)],
    keyAlgorithm: 'RSA',
    keySize: 2048,
    exportable: true,
    keySpec: 'exchange',
    windowsAttributes: true,
    status: statuses[i % statuses.length] as RequestStatus,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    publicKeySha256: 'ab'.repeat(32),
    csrSha256: 'cd'.repeat(32),
    findings: [],
    history: [],
    ...over,
  };
}

describe('requests table logic', () => {
  it('matches every search word against names, SANs, description and id, case-insensitively', () => {
    const rows = toRows([record(1), record(7), record(14, { sans: ['host14.contoso.com', 'MEET.fabrikam.com'] })]);
    expect(filterRows(rows, 'meet.FABRIKAM', 'all').map((r) => r.id)).toEqual(['req-00014']);
    expect(filterRows(rows, 'edge combined', 'all').map((r) => r.id)).toEqual(['req-00007', 'req-00014']);
    expect(filterRows(rows, 'edge nothing-like-this', 'all')).toEqual([]);
    expect(filterRows(rows, '  ', 'all')).toHaveLength(3);
    expect(filterRows(rows, 'req-00001', 'all').map((r) => r.id)).toEqual(['req-00001']);
  });

  it('filters by status', () => {
    const rows = toRows(Array.from({ length: 10 }, (_, i) => record(i)));
    expect(filterRows(rows, '', 'issued').every((r) => r.status === 'issued')).toBe(true);
    expect(filterRows(rows, '', 'issued')).toHaveLength(2);
  });

  it('sorts by each column, puts pending (no expiry) last in ascending order, and breaks ties by id', () => {
    const issued = record(2, { certificate: { notAfter: '2026-06-01T00:00:00.000Z' } as RequestRecord['certificate'] & object });
    const later = record(3, { certificate: { notAfter: '2027-01-01T00:00:00.000Z' } as RequestRecord['certificate'] & object });
    const rows = toRows([record(1), later, issued]);
    expect(sortRows(rows, 'expires', 'asc').map((r) => r.id)).toEqual(['req-00002', 'req-00003', 'req-00001']);
    expect(sortRows(rows, 'expires', 'desc').map((r) => r.id)).toEqual(['req-00001', 'req-00003', 'req-00002']);
    expect(sortRows(rows, 'sanCount', 'desc').map((r) => r.sanCount)).toEqual([4, 3, 2]);
    expect(sortRows(rows, 'createdAt', 'desc').map((r) => r.id)).toEqual(['req-00003', 'req-00002', 'req-00001']);
    const same = toRows([record(9, { friendlyName: 'Same' }), record(4, { friendlyName: 'same' })]);
    expect(sortRows(same, 'friendlyName', 'asc').map((r) => r.id)).toEqual(['req-00004', 'req-00009']);
  });

  it('orders friendly names numerically (Listener 2 before Listener 10)', () => {
    const rows = toRows([record(10), record(2)]);
    expect(sortRows(rows, 'friendlyName', 'asc').map((r) => r.friendlyName)).toEqual(['Listener 2', 'Listener 10']);
  });

  it('pages rows and clamps a page that the filter made out of range', () => {
    const rows = Array.from({ length: 120 }, (_, i) => i);
    expect(paginate(rows, 0, 50)).toMatchObject({ page: 0, pageCount: 3, total: 120, from: 1, to: 50 });
    expect(paginate(rows, 2, 50).items).toEqual(rows.slice(100));
    expect(paginate(rows, 9, 50)).toMatchObject({ page: 2, from: 101, to: 120 });
    expect(paginate([], 3, 50)).toMatchObject({ page: 0, pageCount: 1, total: 0, from: 0, to: 0, items: [] });
  });

  it('moves the row focus with the arrow, Home and End keys and ignores other keys', () => {
    expect(nextRowIndex('ArrowDown', 0, 5, 5)).toBe(1);
    expect(nextRowIndex('ArrowDown', 4, 5, 5)).toBe(4);
    expect(nextRowIndex('ArrowUp', 0, 5, 5)).toBe(0);
    expect(nextRowIndex('End', 1, 5, 5)).toBe(4);
    expect(nextRowIndex('Home', 3, 5, 5)).toBe(0);
    expect(nextRowIndex('a', 3, 5, 5)).toBeNull();
    expect(nextRowIndex('ArrowDown', 0, 0, 5)).toBeNull();
  });

  it('filters and sorts 20,000 requests fast enough for every keystroke', () => {
    const rows = toRows(Array.from({ length: 20_000 }, (_, i) => record(i)));
    const start = performance.now();
    const found = sortRows(filterRows(rows, 'alt3 contoso', 'all'), 'subject', 'asc');
    const page = paginate(found, 0, 50);
    const ms = performance.now() - start;
    expect(found.length).toBe(4000);
    expect(page.items).toHaveLength(50);
    // Generous for a shared 2-core machine; typically a few milliseconds.
    expect(ms).toBeLessThan(3000);
  });
});
