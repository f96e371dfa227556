import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import FileChooser from '../../src-renderer/components/FileChooser.svelte';
import { app } from '../../src-renderer/lib/app-state.svelte.js';
import type { ChosenFile } from '../../src-renderer/lib/pickers.js';

// The drop zone the CA, Decode, answer import and adopt-PFX views share: a file picked in the page
// arrives as bytes ready for a call; in Electron "Choose file" is main's dialog, not the page's input.
afterEach(() => {
  app.info = null;
});

describe('FileChooser', () => {
  it('hands a page-picked file over as a bytes source with its name', async () => {
    const onchosen = vi.fn<(files: ChosenFile[]) => void>();
    const { container } = render(FileChooser, { id: 'f', label: 'CA files', purpose: 'certificate', multiple: true, onchosen, onerror: () => undefined });
    const input = container.querySelector<HTMLInputElement>('input[type=file]');
    expect(input).not.toBeNull();
    const file = new File([new Uint8Array([0x30, 0x82, 0x01])], 'root.cer');
    Object.defineProperty(input, 'files', { value: [file] });
    await fireEvent.change(input as HTMLInputElement);
    await waitFor(() => expect(onchosen).toHaveBeenCalledTimes(1));
    expect(onchosen.mock.calls[0]?.[0]).toEqual([{ source: { kind: 'bytes', name: 'root.cer', base64: 'MIIB' }, name: 'root.cer' }]);
  });

  it('offers the native dialog instead of the page input when the shell has one', () => {
    app.info = { capabilities: { nativeDialogs: true } } as unknown as typeof app.info;
    const { container } = render(FileChooser, { id: 'f', label: 'CA files', purpose: 'certificate', onchosen: () => undefined, onerror: () => undefined });
    expect(container.querySelector('input[type=file]')).toBeNull();
    expect(container.querySelector('button#f')).not.toBeNull();
  });
});
