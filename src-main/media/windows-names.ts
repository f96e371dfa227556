import { domainToUnicode } from 'node:url';

/** Windows cuts a computer's NetBIOS name ($env:COMPUTERNAME) to 15 characters. */
export const NETBIOS_NAME_LENGTH = 15;

/**
 * The NetBIOS names Windows may give a node with this DNS host name: its first label, upper case,
 * cut to 15 characters. An internationalized label can reach Windows in either form (the A-label
 * `xn--...` or the Unicode label the admin typed when naming the computer), so both count.
 */
export function netbiosNames(host: string): string[] {
  const first = host.split('.')[0] ?? host;
  const unicode = domainToUnicode(first) || first;
  return [...new Set([first, unicode].map((label) => label.toUpperCase().slice(0, NETBIOS_NAME_LENGTH)))];
}

/** Two nodes an install script could not tell apart on Windows, and the name they share. */
export interface AmbiguousNodes {
  first: string;
  second: string;
  netbiosName: string;
}

/**
 * The first pair of hosts (lower-case A-labels, distinct) that Windows would give the same NetBIOS
 * name, e.g. `rp01.dmz1.contoso.com` and `rp01.dmz2.contoso.com`, or `rp01` and `rp01.contoso.com`.
 * On such a pair the install script could fall back only to a name both nodes answer to. With
 * `involving`, only a pair with at least one of those hosts counts (a farm edit adding nodes to a
 * farm stored before this rule existed).
 */
export function findAmbiguousNodes(hosts: readonly string[], involving?: readonly string[]): AmbiguousNodes | null {
  const owners = new Map<string, string[]>();
  for (const host of hosts) {
    for (const name of netbiosNames(host)) {
      const list = owners.get(name) ?? [];
      if (!list.includes(host)) list.push(host);
      owners.set(name, list);
    }
  }
  for (const [netbiosName, list] of owners) {
    const [a, b] = list;
    if (a === undefined || b === undefined) continue;
    if (involving === undefined) return { first: a, second: b, netbiosName };
    const added = list.find((h) => involving.includes(h));
    const other = list.find((h) => h !== added);
    if (added !== undefined && other !== undefined) return { first: other, second: added, netbiosName };
  }
  return null;
}

/** NetBIOS name -> host, for the names exactly one host can have (an ambiguous name maps to nothing). */
export function uniqueNetbiosNames(hosts: readonly string[]): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  for (const host of hosts) {
    for (const name of netbiosNames(host)) owners.set(name, (owners.get(name) ?? new Set()).add(host));
  }
  const unique = new Map<string, string>();
  for (const [name, set] of owners) {
    const only = [...set];
    if (only.length === 1 && only[0] !== undefined) unique.set(name, only[0]);
  }
  return unique;
}
