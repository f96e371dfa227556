import { checkDnsName } from '../pki/names.js';

/**
 * The comparison form of a DNS name: its lower-case A-label, or the trimmed lower-cased text when
 * it has none (the name rules then report why), so a broken name still compares with itself.
 */
export function normalizeName(name: string): string {
  let form = cache.get(name);
  if (form === undefined) {
    form = checkDnsName(name).aLabel ?? name.trim().toLowerCase();
    // A plan compares the same few dozen names many times; the bound keeps hostile input cheap.
    if (cache.size >= 4096) cache.clear();
    cache.set(name, form);
  }
  return form;
}

const cache = new Map<string, string>();

/** True when `wildcard` (`*.rest`) matches `name` under RFC 6125: exactly one label in place of `*`. */
export function wildcardCovers(wildcard: string, name: string): boolean {
  if (!wildcard.startsWith('*.') || name.startsWith('*.')) return false;
  const rest = wildcard.slice(1);
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot) === rest;
}

/** The wildcard of `wildcards` that covers `name`, found by lookup (a plan may hold hundreds). */
export function wildcardFor(name: string, wildcards: ReadonlySet<string>): string | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || name.startsWith('*.')) return undefined;
  const w = `*${name.slice(dot)}`;
  return wildcards.has(w) ? w : undefined;
}
