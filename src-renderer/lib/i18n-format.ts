const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const LATIN = /[A-Za-z0-9]/;

/**
 * Replaces `{name}` placeholders; a missing parameter stays visible as `{name}` so a gap is noticed,
 * not hidden. Where a value starting or ending in Latin letters or digits meets a Chinese character of
 * the template, a space goes between them, as Traditional Chinese UI text writes `新增 SIP 網域` but
 * `新增集區`: the template cannot know which kind of word it will be given.
 */
export function formatMessage(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string, at: number) => {
    const v = params[name];
    if (v === undefined) return whole;
    const text = String(v);
    const before = CJK.test(template[at - 1] ?? '') && LATIN.test(text[0] ?? '') ? ' ' : '';
    const after = CJK.test(template[at + whole.length] ?? '') && LATIN.test(text[text.length - 1] ?? '') ? ' ' : '';
    return `${before}${text}${after}`;
  });
}

/** The placeholder names a template uses, sorted: translations must use the same set. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
}
