import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import DnsName from '../../src-renderer/components/DnsName.svelte';
import ErrorBanner from '../../src-renderer/components/ErrorBanner.svelte';
import Notifications from '../../src-renderer/components/Notifications.svelte';
import StatusBadge from '../../src-renderer/components/StatusBadge.svelte';
import { ApiError } from '../../src-renderer/lib/errors.js';
import { setLocale } from '../../src-renderer/lib/i18n.svelte.js';
import { clearNotes, notifyError, notifySuccess, SUCCESS_MS } from '../../src-renderer/lib/notify.svelte.js';
import ModalHarness from './ModalHarness.svelte';

// The shared components rendered in a DOM (happy-dom): what an admin and a screen reader get.
beforeEach(() => setLocale('en'));
afterEach(() => {
  clearNotes();
  vi.useRealTimers();
});

describe('Notifications', () => {
  it('shows a success note politely and removes it after SUCCESS_MS', async () => {
    vi.useFakeTimers();
    render(Notifications);
    notifySuccess('Farm edge saved.');
    const note = await screen.findByTestId('note-success');
    expect(note.textContent).toContain('Farm edge saved.');
    expect(note.closest('[role="status"]')?.getAttribute('aria-live')).toBe('polite');
    await vi.advanceTimersByTimeAsync(SUCCESS_MS + 10);
    expect(screen.queryByTestId('note-success')).toBeNull();
  });

  it('keeps an error as an alert until its close button, and shows the same error twice only once', async () => {
    vi.useFakeTimers();
    render(Notifications);
    const e = new ApiError('CONFLICT', 'farm edge still serves 1 request(s)');
    notifyError(e);
    notifyError(new ApiError('CONFLICT', 'farm edge still serves 1 request(s)'));
    await vi.advanceTimersByTimeAsync(SUCCESS_MS * 3);
    expect(screen.getAllByTestId('note-error')).toHaveLength(1);
    expect(screen.getByRole('alert').textContent).toContain('Not possible:');
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('note-error')).toBeNull();
  });
});

describe('ErrorBanner', () => {
  it('renders nothing without an error', () => {
    const { container } = render(ErrorBanner, { error: null });
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('gives the title from the code, the message without CLI flags, and the code for support', () => {
    render(ErrorBanner, { error: new ApiError('CONFLICT', '/tmp/a.pfx already exists; overwrite it explicitly (--force) or choose another name') });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Not possible:');
    expect(alert.textContent).toContain('already exists');
    expect(alert.textContent).toContain('(CONFLICT)');
    expect(alert.textContent).not.toContain('--force');
  });

  it('speaks zh-TW when the UI does, and calls ondismiss from its close button', async () => {
    setLocale('zh-TW');
    const ondismiss = vi.fn();
    render(ErrorBanner, { error: new ApiError('NOT_FOUND', 'no farm edge'), ondismiss });
    expect(screen.getByRole('alert').textContent).toContain('找不到');
    await fireEvent.click(screen.getByRole('button'));
    expect(ondismiss).toHaveBeenCalledOnce();
  });

  it('shows only the first line of an unexpected error (never a stack)', () => {
    render(ErrorBanner, { error: new Error('boom\n    at secret (file.js:1:1)') });
    expect(screen.getByRole('alert').textContent).toContain('boom');
    expect(screen.getByRole('alert').textContent).not.toContain('file.js');
  });
});

describe('Modal (confirmations)', () => {
  it('opens as a modal dialog named by its title, with its actions, and closes by its close button', async () => {
    render(ModalHarness, { title: 'Delete farm edge?', open: true });
    const dialog = screen.getByRole('dialog', { name: 'Delete farm edge?' });
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(screen.getByText('The farm is forgotten.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Delete the farm' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(dialog.hasAttribute('open')).toBe(false);
    expect(screen.getByTestId('harness-state').textContent).toBe('closed');
  });
});

describe('DnsName and StatusBadge', () => {
  it('lets a host name break only after its dots', () => {
    const { container } = render(DnsName, { name: 'lyncdiscover.contoso.com' });
    const span = container.querySelector('.name');
    expect(span?.textContent).toBe('lyncdiscover.contoso.com');
    expect(span?.querySelectorAll('wbr')).toHaveLength(2);
    expect(span?.innerHTML.replace(/<!---->/g, '')).toBe('lyncdiscover.<wbr>contoso.<wbr>com');
  });

  it('labels each status in the UI language', () => {
    setLocale('zh-TW');
    const { container } = render(StatusBadge, { status: 'superseded' });
    expect(container.textContent?.trim()).not.toBe('');
    expect(container.textContent).not.toContain('superseded');
  });
});
