// GDB/MI output records, parsed by the grammar in the GDB manual ("GDB/MI Output Syntax"):
//   result-record  [token] "^" class ("," result)*
//   async-record   [token] ("*" | "+" | "=") class ("," result)*
//   stream-record  ("~" | "@" | "&") c-string
//   "(gdb)"
// Values are c-strings, tuples {…} or lists […] (of values, or of name=value results).

export type MiValue = string | MiTuple | MiValue[];
export interface MiTuple {
  [name: string]: MiValue;
}

export type MiRecord =
  | { kind: 'result'; token?: number; cls: string; results: MiTuple }
  | { kind: 'exec' | 'status' | 'notify'; token?: number; cls: string; results: MiTuple }
  | { kind: 'console' | 'target' | 'log'; text: string }
  | { kind: 'prompt' };

const ASYNC_KINDS: Record<string, 'exec' | 'status' | 'notify'> = { '*': 'exec', '+': 'status', '=': 'notify' };
const STREAM_KINDS: Record<string, 'console' | 'target' | 'log'> = { '~': 'console', '@': 'target', '&': 'log' };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b' };

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string {
    return this.s[this.i] ?? '';
  }
  expect(ch: string): void {
    if (this.s[this.i] !== ch) throw new Error(`MI: expected '${ch}' at ${this.i} in ${this.s}`);
    this.i++;
  }
}

/**
 * A c-string. Most have no escapes and are sliced out whole; simple escapes are replaced in one
 * pass. Octal escapes are bytes (gdb escapes non-ASCII bytes so), so a string with any is
 * rebuilt as bytes and decoded as UTF-8 at the end. A stop's record and a stack walk's result
 * (kilobytes of JSON) are parsed on the way to every stop, mostly by code V8 has not optimised
 * yet (a session parses a few hundred lines): the ends are found with indexOf, not char by char.
 */
function cString(c: Cursor): string {
  c.expect('"');
  const s = c.s;
  const start = c.i;
  let quote = s.indexOf('"', start);
  let backslash = s.indexOf('\\', start);
  const escaped = backslash >= 0 && backslash < quote;
  // A backslash escapes the character after it, a quote too: the string ends at the first quote
  // that is not escaped.
  while (backslash >= 0 && backslash < quote) {
    if (backslash + 1 === quote) quote = s.indexOf('"', quote + 1);
    backslash = s.indexOf('\\', backslash + 2);
  }
  if (quote < 0) throw new Error(`MI: unterminated string in ${s}`);
  c.i = quote + 1;
  const raw = s.slice(start, quote);
  if (!escaped) return raw;
  if (!/\\[0-7]/.test(raw)) return raw.replace(/\\(.)/gs, (_, ch: string) => ESCAPES[ch] ?? ch);
  return octalString(raw);
}

/** A c-string's body with octal escapes: bytes, decoded as UTF-8 once complete. */
function octalString(raw: string): string {
  const parts: Buffer[] = [];
  let run = 0; // start of the text not yet taken
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '\\') continue;
    parts.push(Buffer.from(raw.slice(run, i), 'utf8'));
    const next = raw[++i] ?? '';
    if (/[0-7]/.test(next)) {
      let octal = next;
      while (octal.length < 3 && /[0-7]/.test(raw[i + 1] ?? '')) octal += raw[++i];
      parts.push(Buffer.of(parseInt(octal, 8)));
    } else {
      parts.push(Buffer.from(ESCAPES[next] ?? next, 'utf8'));
    }
    run = i + 1;
  }
  parts.push(Buffer.from(raw.slice(run), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}

function value(c: Cursor): MiValue {
  const ch = c.peek();
  if (ch === '"') return cString(c);
  if (ch === '{') {
    c.expect('{');
    const tuple: MiTuple = {};
    if (c.peek() === '}') {
      c.i++;
      return tuple;
    }
    for (;;) {
      const [name, v] = result(c);
      addResult(tuple, name, v);
      if (c.peek() === ',') c.i++;
      else break;
    }
    c.expect('}');
    return tuple;
  }
  if (ch === '[') {
    c.expect('[');
    const list: MiValue[] = [];
    if (c.peek() === ']') {
      c.i++;
      return list;
    }
    for (;;) {
      // A list holds either bare values or name=value results; for the latter keep {name: value}.
      if (startsName(c.s.charCodeAt(c.i))) {
        const [name, v] = result(c);
        list.push({ [name]: v });
      } else {
        list.push(value(c));
      }
      if (c.peek() === ',') c.i++;
      else break;
    }
    c.expect(']');
    return list;
  }
  throw new Error(`MI: unexpected '${ch}' at ${c.i} in ${c.s}`);
}

/** A letter or `_`: a list item that starts so is a name=value result, not a bare value. */
function startsName(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

function result(c: Cursor): [string, MiValue] {
  const start = c.i;
  const equals = c.s.indexOf('=', start);
  c.i = equals < 0 ? c.s.length : equals;
  const name = c.s.slice(start, c.i);
  c.expect('=');
  return [name, value(c)];
}

/** gdb repeats a name in a tuple for some records (e.g. `bkpt={…},bkpt={…}`); keep them all. */
function addResult(tuple: MiTuple, name: string, v: MiValue): void {
  const existing = tuple[name];
  if (existing === undefined) tuple[name] = v;
  else if (Array.isArray(existing) && (existing as unknown as { repeated?: boolean }).repeated) existing.push(v);
  else {
    const list: MiValue[] = [existing, v];
    (list as unknown as { repeated: boolean }).repeated = true;
    tuple[name] = list;
  }
}

function results(c: Cursor): MiTuple {
  const tuple: MiTuple = {};
  while (c.peek() === ',') {
    c.i++;
    const [name, v] = result(c);
    addResult(tuple, name, v);
  }
  return tuple;
}

/** Parses one line of MI output; null for a line that is not MI (never thrown away silently by callers). */
export function parseMiLine(line: string): MiRecord | null {
  const text = line.replace(/\r$/, '');
  if (text.trim() === '(gdb)') return { kind: 'prompt' };
  const c = new Cursor(text);
  const digits = /^\d*/.exec(text)?.[0] ?? '';
  c.i = digits.length;
  const token = digits ? Number(digits) : undefined;
  const marker = c.peek();
  try {
    if (STREAM_KINDS[marker] && !digits) {
      c.i++;
      return { kind: STREAM_KINDS[marker]!, text: cString(c) };
    }
    if (marker === '^' || ASYNC_KINDS[marker]) {
      c.i++;
      const start = c.i;
      while (c.i < text.length && c.s[c.i] !== ',') c.i++;
      const cls = text.slice(start, c.i);
      const parsed = results(c);
      if (marker === '^') return { kind: 'result', token, cls, results: parsed };
      return { kind: ASYNC_KINDS[marker]!, token, cls, results: parsed };
    }
  } catch {
    return null;
  }
  return null;
}

/** Quotes an argument of an MI command when it needs it (spaces, quotes, backslashes, empty). */
export function quoteMiArg(arg: string): string {
  if (arg !== '' && /^[^\s"\\'{}]+$/.test(arg)) return arg;
  const escapes: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return '"' + arg.replace(/[\\"\n\r\t]/g, (ch) => escapes[ch]!) + '"';
}

// ── typed access ──────────────────────────────────────────────────────────────────────────────

export const str = (v: MiValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
export const tuple = (v: MiValue | undefined): MiTuple | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
export const list = (v: MiValue | undefined): MiValue[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
export const num = (v: MiValue | undefined): number | undefined => (typeof v === 'string' && v !== '' && !isNaN(Number(v)) ? Number(v) : undefined);
