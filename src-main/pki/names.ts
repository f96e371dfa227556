import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import type { Finding, Severity } from '../common/findings.js';
import { toALabel } from './idn.js';

/**
 * The name rules of docs/pki.md section 3 (RFC 5280, RFC 5890-5891, CA/Browser Forum BR 7.1.2.7.12)
 * with their stable codes. Codes are a public contract (README section `plan`): add, never rename.
 */
export const NAME_RULES = {
  NAME_EMPTY: { severity: 'error', meaning: 'the name is empty' },
  NAME_NUL: { severity: 'error', meaning: 'the name contains a NUL character (a classic certificate-spoofing trick)' },
  NAME_FULLWIDTH_DOT: { severity: 'error', meaning: 'the name contains a full-width or ideographic dot (。．｡) instead of "."' },
  NAME_LEADING_DOT: { severity: 'error', meaning: 'the name starts with a dot' },
  NAME_TRAILING_DOT: { severity: 'error', meaning: 'the name ends with a dot (write it without the root dot)' },
  LABEL_EMPTY: { severity: 'error', meaning: 'two dots in a row: a label is empty' },
  NAME_UNDERSCORE: { severity: 'error', meaning: 'an underscore: not allowed in a host name, and CAs refuse it' },
  LABEL_INVALID_CHAR: { severity: 'error', meaning: 'a label has a character other than letters, digits and hyphens (LDH)' },
  LABEL_HYPHEN_EDGE: { severity: 'error', meaning: 'a label starts or ends with a hyphen' },
  LABEL_RESERVED_HYPHENS: { severity: 'error', meaning: 'a label has "--" in positions 3-4 but is not an xn-- A-label (reserved, RFC 5891)' },
  LABEL_TOO_LONG: { severity: 'error', meaning: 'a label is longer than 63 octets (in A-label form)' },
  NAME_TOO_LONG: { severity: 'error', meaning: 'the name is longer than 253 octets (in A-label form)' },
  IDN_INVALID: { severity: 'error', meaning: 'malformed punycode (e.g. xn--a) or an internationalized label UTS #46 refuses' },
  IDN_CONVERTED: { severity: 'info', meaning: 'an internationalized name: the request carries the A-label, shown with its U-label' },
  NAME_CASE_NORMALIZED: { severity: 'info', meaning: 'DNS is case-insensitive: the name is written in lower case' },
  IP_AS_DNSNAME: { severity: 'error', meaning: 'an IP address is not a DNS name (it would be an iPAddress SAN)' },
  NAME_NUMERIC_TLD: { severity: 'error', meaning: 'the last label is all digits: no such top-level domain exists' },
  WILDCARD_PLACEMENT: { severity: 'error', meaning: 'a wildcard must be the whole left-most label, as in *.contoso.com' },
  WILDCARD_TOO_BROAD: { severity: 'error', meaning: 'a wildcard directly under a top-level domain or another public suffix (*, *.com, *.co.uk, *.com.tw)' },
  WILDCARD_AS_SUBJECT: { severity: 'error', meaning: 'a wildcard is never valid as the subject CN' },
  INTERNAL_NAME: { severity: 'warning', meaning: 'an internal name (single label, .local, .lan, .internal, localhost...): public CAs refuse it (error when the request targets a public CA)' },
  CN_TOO_LONG: { severity: 'error', meaning: 'the subject CN is longer than 64 characters (X.520 upper bound)' },
  NAME_CN_ADDED_TO_SAN: { severity: 'info', meaning: 'the subject name must also be a SAN: it was added' },
  DUPLICATE_NAME: { severity: 'info', meaning: 'a name is listed twice (compared case-insensitively, as A-labels): kept once' },
  NAME_PUBLIC_SUFFIX: { severity: 'error', meaning: 'the name is a public suffix (com, co.uk, com.tw...): nobody can hold a certificate for it' },
  SUBJECT_UNDER_PUBLIC_SUFFIX: { severity: 'warning', meaning: "the subject is a registered domain directly under a public suffix (contoso.co.uk), not a host name such as the pool's webext.contoso.co.uk" },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

/** One of the stable name-rule codes. */
export type NameRuleCode = keyof typeof NAME_RULES;

/** The result of checking one DNS name. */
export interface NameCheck {
  input: string;
  /**
   * The lower-case A-label form a CSR carries; null when the name has no such form at all (empty,
   * NUL, full-width dot, IP address, malformed IDN). Other errors still leave it set: check findings.
   */
  aLabel: string | null;
  /** The same name with U-labels, for display (equals aLabel for plain ASCII names). */
  uLabel: string | null;
  findings: Finding[];
}

/** Options of checkDnsName: the role of the name in the certificate, and whether a public CA signs it. */
export interface NameCheckOptions {
  role?: 'subject' | 'san';
  publicCa?: boolean;
}

// Top-level names that no public CA will certify: reserved (RFC 2606, 6761, 6762, 8375) or in
// common internal use (ICANN's name-collision list); a single-label name counts as internal too.
const INTERNAL_TLDS = new Set(['local', 'localhost', 'localdomain', 'lan', 'internal', 'intranet', 'corp', 'home', 'private', 'test', 'invalid', 'example', 'arpa']);
// U+3002 ideographic full stop, U+FF0E full-width full stop, U+FF61 half-width ideographic full stop.
const FULLWIDTH_DOTS = /[\u3002\uff0e\uff61]/;
const LDH = /^[a-z0-9-]*$/;
const DIGITS = /^[0-9]+$/;

/** Shows a name in a message without letting control characters or quotes break the line. */
function shown(name: string): string {
  return JSON.stringify(name);
}

/** Text that may be an IP address: digits and dots (IPv4), or anything with a colon (IPv6). */
const MAY_BE_IP = /^[0-9.]+$|:/;

/** Checks one DNS name against every rule of pki.md section 3; `role: 'subject'` adds the CN rules. */
export function checkDnsName(name: string, opts: NameCheckOptions = {}): NameCheck {
  const role = opts.role ?? 'san';
  const findings: Finding[] = [];
  const add = (code: NameRuleCode, message: string, severity: Severity = NAME_RULES[code].severity): void => {
    if (!findings.some((f) => f.code === code && f.message === message)) findings.push({ code, severity, message, subject: name });
  };
  const refuse = (code: NameRuleCode, message: string): NameCheck => {
    add(code, message);
    return { input: name, aLabel: null, uLabel: null, findings };
  };
  const q = shown(name);

  if (name.trim() === '') return refuse('NAME_EMPTY', 'A DNS name is empty.');
  if (name.includes('\0')) return refuse('NAME_NUL', `${q} contains a NUL character, which no DNS name may hold.`);
  if (FULLWIDTH_DOTS.test(name)) return refuse('NAME_FULLWIDTH_DOT', `${q} contains a full-width or ideographic dot; type the name with an ordinary "." between labels.`);
  const bare = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  // node:net's isIP compiles its large IPv6 expression on first use (20-50 ms of a `request new`);
  // only text that can be an address at all (IPv4: digits and dots; IPv6: has a colon) is handed to it.
  if (MAY_BE_IP.test(bare) && isIP(bare) !== 0) return refuse('IP_AS_DNSNAME', `${q} is an IP address, not a DNS name; an IP address would need an iPAddress SAN, which this profile does not use.`);

  let text = name;
  if (text.startsWith('.')) {
    add('NAME_LEADING_DOT', `${q} starts with a dot; remove it.`);
    text = text.replace(/^\.+/, '');
  }
  if (text.endsWith('.')) {
    add('NAME_TRAILING_DOT', `${q} ends with a dot; write it without the trailing root dot.`);
    text = text.replace(/\.+$/, '');
  }
  const rawLabels = text.split('.');
  if (rawLabels.some((l) => l === '') && text !== '') add('LABEL_EMPTY', `${q} has two dots in a row (an empty label).`);
  const labels = rawLabels.filter((l) => l !== '');
  if (labels.length === 0) return refuse('NAME_EMPTY', `${q} has no labels.`);
  if (labels.every((l) => DIGITS.test(l))) {
    return refuse('IP_AS_DNSNAME', `${q} looks like an IPv4 address, not a DNS name; an IP address would need an iPAddress SAN.`);
  }

  const aLabels: string[] = [];
  const uLabels: string[] = [];
  let idnFailed = false;
  let converted = false;
  let wildcard = false;
  labels.forEach((label, i) => {
    if (label.includes('*')) {
      if (i === 0 && label === '*') wildcard = true;
      else add('WILDCARD_PLACEMENT', `${q} has a wildcard in the wrong place; a wildcard must be the whole left-most label, as in *.contoso.com.`);
      aLabels.push(label.toLowerCase());
      uLabels.push(label.toLowerCase());
      return;
    }
    const c = toALabel(label);
    if (!c.ok) {
      idnFailed = true;
      add('IDN_INVALID', `${q}: ${c.reason}.`);
      aLabels.push(label.toLowerCase());
      uLabels.push(label);
      return;
    }
    converted ||= c.converted;
    aLabels.push(c.aLabel);
    uLabels.push(c.uLabel);
    checkLdh(c.aLabel, q, add);
  });

  const aLabel = aLabels.join('.');
  const uLabel = uLabels.join('.');
  if (aLabel.length > 253) add('NAME_TOO_LONG', `${q} is ${aLabel.length} octets long in A-label form; a DNS name is at most 253.`);
  const tld = aLabels[aLabels.length - 1] ?? '';
  if (DIGITS.test(tld)) add('NAME_NUMERIC_TLD', `${q} ends in an all-digit label; no top-level domain is all digits (is it a mistyped IP address?).`);
  if (converted && !idnFailed) {
    add('IDN_CONVERTED', `${shown(uLabel)} is an internationalized name: the request carries its A-label form ${aLabel}.`);
  } else if (!idnFailed && text !== aLabel && text.toLowerCase() === aLabel) {
    add('NAME_CASE_NORMALIZED', `${q} is written in lower case as ${aLabel} (DNS names are case-insensitive).`);
  }
  const rest = aLabels.slice(wildcard ? 1 : 0).join('.');
  const suffix = !idnFailed && labels.length >= 2 ? publicSuffixOf(rest) : null;
  if (wildcard) {
    if (labels.length < 3 || suffix?.isSuffix === true) {
      add('WILDCARD_TOO_BROAD', `${q} is too broad: a wildcard must sit under a registered domain, as in *.contoso.com${suffix?.isSuffix === true ? ` (${rest} is a public suffix)` : ''}.`);
    }
    if (role === 'subject') add('WILDCARD_AS_SUBJECT', `${q} is a wildcard; a wildcard is never valid as the subject CN: use the pool's external web FQDN.`);
  }
  if (!wildcard && suffix?.isSuffix === true) add('NAME_PUBLIC_SUFFIX', `${q} is a public suffix (${rest}); nobody can hold a certificate for it: name a host under your own domain.`);
  if (!wildcard && role === 'subject' && suffix?.registered === true) {
    add('SUBJECT_UNDER_PUBLIC_SUFFIX', `${q} is a registered domain directly under the public suffix ${suffix.suffix}, not a host name; the subject is normally the pool's external web FQDN, such as webext.${aLabel}.`);
  }
  const internal = (labels.length === 1 && !wildcard) || INTERNAL_TLDS.has(tld);
  if (internal) {
    const why = labels.length === 1 ? 'a single-label name' : `under .${tld}`;
    add(
      'INTERNAL_NAME',
      opts.publicCa
        ? `${q} is an internal name (${why}); a public CA will refuse it.`
        : `${q} is an internal name (${why}); a public CA will refuse it (fine for an internal CA).`,
      opts.publicCa ? 'error' : 'warning',
    );
  }
  if (role === 'subject' && aLabel.length > 64) add('CN_TOO_LONG', `${q} is ${aLabel.length} characters long; the subject CN holds at most 64 (the name can still be a SAN).`);
  return { input: name, aLabel: idnFailed ? null : aLabel, uLabel: idnFailed ? null : uLabel, findings };
}

/**
 * Where a name sits relative to the Public Suffix List's ICANN section (tldts, bundled data, no
 * network): a public suffix itself (`co.uk`), or a registered domain directly under one
 * (`contoso.co.uk`). The private section (github.io...) is left out: CAs judge registered domains by
 * the ICANN rules, and internal names are INTERNAL_NAME's business.
 */
function publicSuffixOf(name: string): { suffix: string; isSuffix: boolean; registered: boolean } | null {
  const p = parseDomain(name, { allowPrivateDomains: false, extractHostname: false, validateHostname: false });
  if (p.isIcann !== true || p.publicSuffix === null) return null;
  return { suffix: p.publicSuffix, isSuffix: p.domain === null, registered: p.domain === name };
}

/** LDH (letter-digit-hyphen) rules for one A-label. */
function checkLdh(label: string, q: string, add: (code: NameRuleCode, message: string) => void): void {
  if (label.includes('_')) add('NAME_UNDERSCORE', `${q} contains an underscore, which a host name may not hold; CAs refuse it.`);
  if (!LDH.test(label.replace(/_/g, ''))) {
    const bad = [...new Set(label.replace(/[a-z0-9_-]/g, ''))].map((ch) => shown(ch)).join(', ');
    const hint = /[:/]/.test(label) ? ' (give the host name only, not a URL)' : '';
    add('LABEL_INVALID_CHAR', `${q} contains ${bad}; a DNS label holds only letters, digits and hyphens${hint}.`);
  }
  if (label.startsWith('-') || label.endsWith('-')) add('LABEL_HYPHEN_EDGE', `${q} has a label that starts or ends with a hyphen ("${label}").`);
  if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) {
    add('LABEL_RESERVED_HYPHENS', `${q} has a label with "--" in positions 3-4 ("${label}"), which is reserved for A-labels (xn--).`);
  }
  if (label.length > 63) add('LABEL_TOO_LONG', `${q} has a label of ${label.length} octets; a DNS label is at most 63.`);
}

/** The names a request carries: CN and SANs as lower-case A-labels, CN first, deduplicated. */
export interface NameSet {
  commonName: string;
  /** A-labels, CN first, then the SANs in the given order, deduplicated case-insensitively. */
  sans: string[];
  findings: Finding[];
}

/**
 * Checks a CN and its SANs as one request would carry them. The CN is added as the first SAN when
 * missing (NAME_CN_ADDED_TO_SAN, info) because pki.md section 1 requires the subject among the
 * SANs; any error finding means "refuse the request".
 */
export function checkNameSet(commonName: string, sans: string[], opts: { publicCa?: boolean } = {}): NameSet {
  const publicCa = opts.publicCa === true;
  const cn = checkDnsName(commonName, { role: 'subject', publicCa });
  const findings: Finding[] = [...cn.findings];
  const cnForm = cn.aLabel ?? commonName.trim();
  const out: string[] = [cnForm];
  const seen = new Map<string, string>([[cnForm.toLowerCase(), commonName]]);
  let cnListed = false;
  for (const san of sans) {
    const c = checkDnsName(san, { role: 'san', publicCa });
    const form = c.aLabel ?? san.trim();
    const key = form.toLowerCase();
    const first = seen.get(key);
    if (key === cnForm.toLowerCase() && !cnListed) {
      // The CN's own findings already cover this name.
      cnListed = true;
      continue;
    }
    if (first !== undefined) {
      findings.push({
        code: 'DUPLICATE_NAME',
        severity: NAME_RULES.DUPLICATE_NAME.severity,
        message: first === san ? `${shown(san)} is listed twice; it is kept once.` : `${shown(san)} is the same name as ${shown(first)}; it is kept once.`,
        subject: san,
      });
      continue;
    }
    seen.set(key, san);
    findings.push(...c.findings);
    out.push(form);
  }
  if (!cnListed) {
    findings.push({
      code: 'NAME_CN_ADDED_TO_SAN',
      severity: NAME_RULES.NAME_CN_ADDED_TO_SAN.severity,
      message: `The subject name ${cnForm} must also be a SAN; it was added as the first SAN.`,
      subject: commonName,
    });
  }
  return { commonName: cnForm, sans: out, findings };
}
