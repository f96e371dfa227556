import { fireEvent, render, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlanFinding } from '../../src-main/common/api.js';
import FindingList from '../../src-renderer/components/FindingList.svelte';
import { setLocale } from '../../src-renderer/lib/i18n.svelte.js';

// One finding list for the whole app: the Plan view links findings to form fields through `link`,
// the other views show them plainly. Both ways, in a DOM.
beforeEach(() => setLocale('en'));

const unpublished: PlanFinding = { code: 'POOL_NOT_PUBLISHED', severity: 'warning', message: 'Pool pool02 has remoteAccess false.', field: 'pools[1].remoteAccess', subject: 'pool02' };
const unknownSubject: PlanFinding = { code: 'SUBJECT_POOL_UNKNOWN', severity: 'error', message: 'subjectPool "pool9" names no pool.', subject: 'pool9' };

describe('FindingList', () => {
  it('links a finding that has a place, leaves one without it as text, errors first', async () => {
    const follow = vi.fn<(path: string) => void>();
    const { container } = render(FindingList<PlanFinding>, {
      findings: [unpublished, unknownSubject],
      link: (f: PlanFinding) => (f.field ? { href: `#f-${f.field}`, where: f.field, follow: () => follow(f.field ?? '') } : undefined),
    });
    const items = [...container.querySelectorAll('li')];
    expect(items.map((li) => (li.classList.contains('error') ? 'error' : li.classList.contains('warning') ? 'warning' : 'other'))).toEqual(['error', 'warning']);
    // The error has no field: plain text, its subject under it, no link.
    expect(items[0]?.querySelector('a')).toBeNull();
    expect(items[0]?.textContent).toContain('subjectPool "pool9" names no pool.');
    expect(items[0]?.querySelector('.meta')?.textContent).toBe('SUBJECT_POOL_UNKNOWN · pool9');
    // The warning links to its field and names the field (not the subject) under it.
    const a = within(items[1] as HTMLElement).getByRole('link', { name: 'Pool pool02 has remoteAccess false.' });
    expect(a.getAttribute('href')).toBe('#f-pools[1].remoteAccess');
    expect(items[1]?.querySelector('.meta')?.textContent).toBe('POOL_NOT_PUBLISHED · pools[1].remoteAccess');
    await fireEvent.click(a);
    expect(follow).toHaveBeenCalledExactlyOnceWith('pools[1].remoteAccess');
  });

  it('without a link callback shows every finding as text with its subject, in the UI language', () => {
    setLocale('zh-TW');
    const { container } = render(FindingList<PlanFinding>, { findings: [unpublished] });
    expect(container.querySelector('a')).toBeNull();
    const li = container.querySelector('li.warning');
    expect(li?.textContent).toContain('未啟用遠端存取的集區不會發佈，也不在憑證上：pool02');
    expect(li?.querySelector('.meta')?.textContent).toBe('POOL_NOT_PUBLISHED · pool02');
  });

  it('says the empty text when there is nothing to show', () => {
    const { container } = render(FindingList, { findings: [], empty: 'No findings.' });
    expect(container.textContent?.trim()).toBe('No findings.');
    expect(container.querySelector('ul')).toBeNull();
  });
});
