import type { PublishingRule } from '../../common/plan.js';

/** The rules a configuration implements, as comment lines (`#`), one per rule. */
export function proxyRulesComment(rules: readonly PublishingRule[], prefix = '#'): string[] {
  return [`${prefix} Publishing rules (${rules.length}):`, ...rules.map((r) => `${prefix}   ${r.text}`)];
}
