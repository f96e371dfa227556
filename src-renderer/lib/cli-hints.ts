/**
 * The service's message without its command-line advice: the CLI tells a terminal user which flag
 * to add ("(--force)", "with --farm NAME", "(certdesk ca import X)"), while the UI offers the
 * matching choice itself (an Overwrite box, a farm picker, the CA view). Removes parenthesized
 * advice, then alternatives ("or ... --flag ...") and clauses that still name a flag.
 */
export function withoutCliHints(message: string): string {
  let m = message.replace(/\s*\((?:[^()]*\s)?(?:--[a-z][^()]*|certdesk [^()]*)\)/g, '');
  m = m.replace(/\s+or\s+[^;:]*?--[a-z][\w-]*(?:\s+[A-Z][A-Z_]*)?/g, '');
  m = m.replace(/[;:,]\s*[^;:,]*--[a-z][^;]*/g, '');
  return m.replace(/\s*--[a-z][\w-]*(?:\s+[A-Z][A-Z_]*)?/g, '').replace(/\s{2,}/g, ' ').trim();
}
