import type { ThemeChoice } from '../../src-main/common/api.js';

/**
 * Applies the colour scheme: `system` leaves it to `prefers-color-scheme` (styles.css), `light` and
 * `dark` pin it through <html data-theme>.
 */
export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
}
