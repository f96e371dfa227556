import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPIRING_SHOWN, type ExpiringRow } from '../../src-renderer/lib/expiry.js';
import { setLocale } from '../../src-renderer/lib/i18n.svelte.js';
import { go, nav } from '../../src-renderer/lib/nav.svelte.js';
import ExpiringCard from '../../src-renderer/views/requests/ExpiringCard.svelte';

// The Requests view's expiring card: a large store can have hundreds of certificates in the window,
// so it names the most urgent few and sends the admin to the Expiry view for the rest.
afterEach(() => {
  setLocale('en');
  go('requests');
});

function entries(n: number): ExpiringRow[] {
  return Array.from({ length: n }, (_, i) => ({
    requestId: `20260101-aaaa${String(i).padStart(4, '0')}`,
    subject: `<b>webext${i}.contoso.com</b>`,
    notAfter: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    daysLeft: i - 2,
    farms: i === 0 ? ['edge-a', 'edge-b'] : [],
  }));
}

describe('ExpiringCard', () => {
  it('shows nothing when no certificate expires soon', () => {
    const { container } = render(ExpiringCard, { entries: [], days: 30 });
    expect(container.querySelector('[role="status"]')).toBeNull();
  });

  it('lists every entry, farms and days, while there are only a few, with no link to the rest', () => {
    render(ExpiringCard, { entries: entries(3), days: 30 });
    const card = screen.getByRole('status');
    expect(card.textContent).toContain('3 certificate(s) expire within 30 days:');
    expect(card.querySelectorAll('li')).toHaveLength(3);
    expect(card.querySelectorAll('li')[0]?.textContent).toContain('expired 2 days ago');
    // A space on both sides of the dot (Svelte drops a space that starts an element's text).
    expect(card.querySelectorAll('li')[0]?.textContent).toMatch(/\d{4} · edge-a, edge-b$/);
    expect(card.querySelectorAll('li')[2]?.textContent).toContain('0 days left');
    // Untrusted text (a subject from a request file) is text, never markup.
    expect(screen.getByRole('button', { name: '<b>webext0.contoso.com</b>' })).toBeTruthy();
    expect(card.querySelector('b')).toBeNull();
    expect(screen.queryByRole('button', { name: /Expiry view/ })).toBeNull();
  });

  it('names the most urgent ones of hundreds and opens the Expiry view for all of them, in both languages', async () => {
    render(ExpiringCard, { entries: entries(476), days: 30 });
    const card = screen.getByRole('status');
    expect(card.textContent).toContain('476 certificate(s) expire within 30 days:');
    expect([...card.querySelectorAll('li')].map((li) => li.querySelector('button')?.textContent)).toEqual(entries(EXPIRING_SHOWN).map((e) => e.subject));
    await fireEvent.click(screen.getByRole('button', { name: 'Show all 476 in the Expiry view' }));
    expect(nav.view).toBe('expiry');
    setLocale('zh-TW');
    await Promise.resolve();
    expect(screen.getByRole('button', { name: '在「到期」檢視中顯示全部 476 個' })).toBeTruthy();
  });

  it('opens a request from its line', async () => {
    render(ExpiringCard, { entries: entries(2), days: 30 });
    await fireEvent.click(screen.getByRole('button', { name: '<b>webext1.contoso.com</b>' }));
    expect(nav.view).toBe('request');
    expect(nav.requestId).toBe('20260101-aaaa0001');
  });
});
