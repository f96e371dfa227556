/**
 * Browser mode copies the PFX password itself; clear it after `seconds` unless the user has copied
 * something else meanwhile. When the page may not read the clipboard it cannot tell, and clears
 * anyway: a lost clipboard entry is cheaper than a password left behind.
 */
export function clearClipboardLater(secret: string, seconds: number): void {
  setTimeout(() => {
    void (async () => {
      let current: string | null;
      try {
        current = await navigator.clipboard.readText();
      } catch {
        current = null;
      }
      if (current === null || current === secret) {
        try {
          await navigator.clipboard.writeText('');
        } catch {
          // The page lost focus: the browser refuses clipboard writes then; nothing more we can do.
        }
      }
    })();
  }, seconds * 1000);
}
