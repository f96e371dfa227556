/**
 * A token-level checker for the PowerShell that Certdesk generates. It is NOT PowerShell's parser
 * (none runs offline here: Debian packages no PowerShell and the npm registry has only installers
 * that download it); it knows exactly enough of the language to find what breaks a generated script
 * before it runs: unbalanced brackets, unterminated strings, here-strings and comments, duplicate
 * keys in a hashtable literal (a parse error in PowerShell), and "$name:" inside a double-quoted
 * string (PowerShell reads it as a drive-qualified variable and refuses the script). The grammar
 * check with tree-sitter-powershell runs beside it (tests/unit/media/install-script-farms.test.ts).
 */

export type PsTokenKind = 'comment' | 'string' | 'expandable' | 'variable' | 'open' | 'close' | 'newline' | 'op' | 'word';

export interface PsToken {
  kind: PsTokenKind;
  /** Source text of the token. */
  text: string;
  /** For strings: the value (quotes removed, '' and "" unescaped). */
  value?: string;
  line: number;
  pos: number;
}

export interface PsLexResult {
  tokens: PsToken[];
  /** Problems PowerShell would refuse the script for, one sentence each with the line. */
  problems: string[];
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}', '$(': ')', '@(': ')', '@{': '}' };
// Scopes and drives a "$name:" legitimately starts with.
const SCOPES = new Set(['env', 'global', 'script', 'local', 'private', 'using', 'variable', 'function', 'alias']);
// PowerShell treats these as quote characters too.
const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
const DOUBLE_QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
const HERE_START = /[ \t]*\r?\n/y;
const VARIABLE = /\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)?|[$?^_])/y;
const STRING_VARIABLE = /\$([A-Za-z_][A-Za-z0-9_]*)(:)?/y;
const WORD = /[^\s'"`$(){}[\];,|=\u2018-\u201e]+/y;

/** Tokenizes `src`; code inside "$( )" of double-quoted strings is tokenized too. */
export function lexPowerShell(src: string): PsLexResult {
  const tokens: PsToken[] = [];
  const problems: string[] = [];
  let i = 0;
  // Sticky expressions match at a position without copying the rest of the source.
  const at = (re: RegExp, p: number): RegExpExecArray | null => {
    re.lastIndex = p;
    return re.exec(src);
  };
  const lineStarts = [0];
  for (let k = 0; k < src.length; k++) if (src[k] === '\n') lineStarts.push(k + 1);
  const lineAt = (p: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const push = (kind: PsTokenKind, start: number, end: number, value?: string): void => {
    tokens.push({ kind, text: src.slice(start, end), line: lineAt(start), pos: start, ...(value !== undefined ? { value } : {}) });
  };

  /** Lexes code until the bracket depth drops below zero (inside "$( )") or the end. Returns the end. */
  const lexCode = (stopAtClose: boolean): void => {
    let depth = 0;
    while (i < src.length) {
      const c = src[i] ?? '';
      const two = src.slice(i, i + 2);
      if (c === '\n') {
        push('newline', i, i + 1);
        i++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
        i++;
      } else if (c === '`' && (src[i + 1] === '\n' || src.slice(i + 1, i + 3) === '\r\n')) {
        i += src[i + 1] === '\n' ? 2 : 3;
      } else if (two === '<#') {
        const end = src.indexOf('#>', i + 2);
        if (end < 0) {
          problems.push(`line ${lineAt(i)}: block comment <# is never closed`);
          i = src.length;
        } else {
          push('comment', i, end + 2);
          i = end + 2;
        }
      } else if (c === '#') {
        const end = src.indexOf('\n', i);
        const stop = end < 0 ? src.length : end;
        push('comment', i, stop);
        i = stop;
      } else if ((two === "@'" || two === '@"') && at(HERE_START, i + 2) !== null) {
        const q = two[1] ?? "'";
        const re = new RegExp(`\\n${q}@`, 'g');
        re.lastIndex = i;
        const m = re.exec(src);
        if (!m) {
          problems.push(`line ${lineAt(i)}: here-string ${two} is never closed with ${q}@ at the start of a line`);
          i = src.length;
        } else {
          push(q === "'" ? 'string' : 'expandable', i, m.index + 3, src.slice(src.indexOf('\n', i) + 1, m.index).replace(/\r$/, ''));
          i = m.index + 3;
        }
      } else if (SINGLE_QUOTES.has(c)) {
        lexSingle();
      } else if (DOUBLE_QUOTES.has(c)) {
        lexDouble();
      } else if (two === '$(' || two === '@(' || two === '@{') {
        push('open', i, i + 2);
        i += 2;
        depth++;
      } else if (c === '(' || c === '[' || c === '{') {
        push('open', i, i + 1);
        i++;
        depth++;
      } else if (c === ')' || c === ']' || c === '}') {
        if (stopAtClose && depth === 0 && c === ')') return;
        push('close', i, i + 1);
        i++;
        depth--;
      } else if (c === '$') {
        const m = at(VARIABLE, i);
        const len = m ? m[0].length : 1;
        push('variable', i, i + len);
        i += len;
      } else if (c === ';' || c === ',' || c === '|' || c === '=' || two === '::') {
        const len = two === '::' ? 2 : 1;
        push('op', i, i + len);
        i += len;
      } else {
        const m = at(WORD, i);
        const len = m ? m[0].length : 1;
        push('word', i, i + len);
        i += len;
      }
    }
    if (stopAtClose) problems.push('a "$(" subexpression inside a string is never closed');
  };

  const lexSingle = (): void => {
    const start = i;
    let value = '';
    i++;
    while (i < src.length) {
      const c = src[i] ?? '';
      if (SINGLE_QUOTES.has(c)) {
        if (SINGLE_QUOTES.has(src[i + 1] ?? '')) {
          value += "'";
          i += 2;
          continue;
        }
        i++;
        push('string', start, i, value);
        return;
      }
      value += c;
      i++;
    }
    problems.push(`line ${lineAt(start)}: a single-quoted string is never closed`);
  };

  const lexDouble = (): void => {
    const start = i;
    let value = '';
    i++;
    while (i < src.length) {
      const c = src[i] ?? '';
      if (c === '`') {
        value += src[i + 1] ?? '';
        i += 2;
      } else if (DOUBLE_QUOTES.has(c)) {
        if (DOUBLE_QUOTES.has(src[i + 1] ?? '')) {
          value += '"';
          i += 2;
          continue;
        }
        i++;
        push('expandable', start, i, value);
        return;
      } else if (src.slice(i, i + 2) === '$(') {
        push('open', i, i + 2);
        i += 2;
        lexCode(true);
        if (src[i] === ')') {
          push('close', i, i + 1);
          i++;
        }
        value += '$(...)';
      } else if (c === '$') {
        const m = at(STRING_VARIABLE, i);
        if (m?.[2] === ':' && !SCOPES.has((m[1] ?? '').toLowerCase())) {
          problems.push(`line ${lineAt(i)}: "$${m[1]}:" in a double-quoted string is read as a drive-qualified variable; write "$(${'$'}${m[1]}):"`);
        }
        value += c;
        i++;
      } else {
        value += c;
        i++;
      }
    }
    problems.push(`line ${lineAt(start)}: a double-quoted string is never closed`);
  };

  lexCode(false);
  return { tokens, problems: [...problems, ...bracketProblems(tokens)] };
}

/** Brackets that do not pair up. */
function bracketProblems(tokens: readonly PsToken[]): string[] {
  const stack: PsToken[] = [];
  const problems: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'open') stack.push(t);
    if (t.kind === 'close') {
      const open = stack.pop();
      if (!open) problems.push(`line ${t.line}: "${t.text}" closes nothing`);
      else if (OPEN[open.text] !== t.text) problems.push(`line ${t.line}: "${t.text}" closes "${open.text}" of line ${open.line}`);
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: "${open.text}" is never closed`);
  return problems;
}

/** Code tokens only: comments dropped. */
export function codeTokens(tokens: readonly PsToken[]): PsToken[] {
  return tokens.filter((t) => t.kind !== 'comment');
}

/** The index of the token that closes the bracket opened at `openIndex`. */
export function closingIndex(tokens: readonly PsToken[], openIndex: number): number {
  let depth = 0;
  for (let j = openIndex; j < tokens.length; j++) {
    const t = tokens[j];
    if (t?.kind === 'open') depth++;
    if (t?.kind === 'close' && --depth === 0) return j;
  }
  return -1;
}

/** One hashtable literal: its first line and its keys in order (string values or bare words). */
export interface PsHashtable {
  line: number;
  keys: string[];
  start: number;
  end: number;
}

/** Every "@{ }" literal of the (comment-free) token list, with the keys at its own level. */
export function hashtableLiterals(tokens: readonly PsToken[]): PsHashtable[] {
  const out: PsHashtable[] = [];
  tokens.forEach((t, index) => {
    if (t.kind !== 'open' || t.text !== '@{') return;
    const end = closingIndex(tokens, index);
    const keys: string[] = [];
    let depth = 0;
    let atStatementStart = true;
    for (let j = index + 1; j < end; j++) {
      const u = tokens[j] as PsToken;
      if (u.kind === 'open') depth++;
      if (u.kind === 'close') depth--;
      if (depth !== 0 || u.kind === 'open') {
        atStatementStart = false;
        continue;
      }
      if (u.kind === 'newline' || (u.kind === 'op' && u.text === ';')) {
        atStatementStart = true;
        continue;
      }
      if (atStatementStart && (u.kind === 'string' || u.kind === 'word')) {
        const next = tokens[j + 1];
        if (next?.kind === 'op' && next.text === '=') keys.push(u.kind === 'string' ? (u.value ?? '') : u.text);
      }
      atStatementStart = false;
    }
    out.push({ line: t.line, keys, start: index, end });
  });
  return out;
}
