import { describe, expect, it } from 'vitest';
import type { RequestRecord, RequestStatus } from '../../../src-main/common/requests.js';
import { narrowRows, nextRowIndex, paginate, sortRows, toRows, type Filtered, type RequestRow } from '../../../src-renderer/lib/request-table.js';

/** A search without a previous one to narrow from: every row is scanned. */
const filterRows = (rows: readonly RequestRow[], search: string, status: RequestStatus | 'all'): RequestRow[] => narrowRows(null, rows, search, status).rows;

/**
 * The oracle, independent of the summaries' search text: every word (lowercased, whitespace-split)
 * occurs, ignoring case, in one of the fields the search box covers.
 */
function expected(records: readonly RequestRecord[], search: string, status: RequestStatus | 'all'): string[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return records
    .filter((r) => (status === 'all' || r.status === status) && words.every((w) => [r.friendlyName, r.subject, r.description, r.id, ...r.sans].some((f) => f.toLowerCase().includes(w))))
    .map((r) => r.id);
}

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

  it('narrows from the previous keystroke to exactly the rows a full filter finds: typing on, deleting, pasting, other words, status and sort changes, zh-TW and any case', () => {
    const names = ['外部 Web 服務 憑證', 'WebExt 外部服務', '會議簡易 URL', 'Listener', 'webext 舊的'];
    const records = Array.from({ length: 60 }, (_, i) =>
      record(i, {
        friendlyName: `${names[i % names.length]} ${i}`,
        description: i % 3 === 0 ? '反向 Proxy 的 WEBEXT 憑證' : i % 3 === 1 ? 'Edge 伺服器' : '',
        sans: [`host${i}.contoso.com`, i % 4 === 0 ? `WebExt${i}.Contoso.com` : `meet${i}.fabrikam.com`],
      }),
    );
    const rows = toRows(records);
    const byName = sortRows(rows, 'friendlyName', 'asc');
    const steps: [string, RequestStatus | 'all', readonly RequestRow[]][] = [
      ...['', 'W', 'WE', 'WEB', 'WEBe', 'webeX', 'webext', 'webext ', 'webext 外', 'webext 外部', 'webext 外部服'].map((s): [string, 'all', readonly RequestRow[]] => [s, 'all', rows]),
      // Deleting characters, then a pasted search in another case and with the words swapped.
      ...['webext 外部', 'webext 外', 'webext ', 'webext', 'webe', 'w', '', 'WEBEXT 外部服務', '外部服務 webext', '外部服務 webext.contoso'].map((s): [string, 'all', readonly RequestRow[]] => [s, 'all', rows]),
      // A status narrows from 'all'; another status, or 'all' again, does not.
      ['外部服務 webext', 'issued', rows],
      ['外部服務 webext', 'pending', rows],
      ['外部服務', 'pending', rows],
      ['外部服務', 'all', rows],
      // A new sort is another source: its own order, never the previous one's rows.
      ['外部服務 w', 'all', byName],
      ['外部服務 we', 'all', byName],
      ['反向 proxy', 'all', byName],
      ['反向 proxy 憑', 'all', byName],
    ];
    let previous: Filtered | null = null;
    for (const [search, status, source] of steps) {
      const next: Filtered = narrowRows(previous, source, search, status);
      const order = new Map(source.map((r, k) => [r.id, k]));
      const want = expected(records, search, status).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      expect(next.rows.map((r) => r.id), `"${search}" ${status}`).toEqual(want);
      expect(next.rows).toEqual(filterRows(source, search, status));
      previous = next;
    }
    // The steps are not vacuous: some searches keep a few rows, some none, some all.
    expect(filterRows(rows, 'webext 外部', 'all').length).toBeGreaterThan(0);
    expect(filterRows(rows, 'webext 外部', 'all').length).toBeLessThan(rows.length);
    expect(filterRows(rows, '外部服務 webext.contoso', 'all')).toEqual([]);
  });

  it('scans only the previous rows when the search extends the previous one, and every row otherwise', () => {
    const rows = toRows(Array.from({ length: 10 }, (_, i) => record(i)));
    // A previous result that kept one row only (it stands for a filtering of these rows): a search
    // that extends its word can only find rows among it, one that does not starts over.
    const previous: Filtered = { source: rows, words: ['listener'], status: 'all', rows: [rows[3] as RequestRow] };
    expect(narrowRows(previous, rows, 'Listener ', 'all').rows.map((r) => r.id)).toEqual(['req-00003']);
    expect(narrowRows(previous, rows, 'host', 'all').rows).toHaveLength(10);
    expect(narrowRows(previous, [...rows], 'listener', 'all').rows).toHaveLength(10);
    expect(narrowRows({ ...previous, status: 'issued' }, rows, 'listener', 'all').rows).toHaveLength(10);
  });

  it('does not narrow where lowercasing the longer search changes the shorter one (Greek final sigma)', () => {
    // 'ΟΔΟΣ' lowercases to 'οδος' (final sigma), 'ΟΔΟΣΑ' to 'οδοσα': the second does not contain the
    // first, so rows found by the second may be rows the first did not find.
    const rows = toRows([record(1, { description: 'ΟΔΟΣΑ' }), record(2, { description: 'ΟΔΟΣ' })]);
    const first = narrowRows(null, rows, 'ΟΔΟΣ', 'all');
    expect(first.rows.map((r) => r.id)).toEqual(['req-00002']);
    expect(narrowRows(first, rows, 'ΟΔΟΣΑ', 'all').rows.map((r) => r.id)).toEqual(['req-00001']);
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
