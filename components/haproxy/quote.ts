/**
 * How a model value becomes exactly one HAProxy word, so that no value can add a token or a line.
 *
 * HAProxy 2.x reads each line with `parse_line()` (src/tools.c): blanks separate words, `#`
 * outside quotes starts a comment, `"…"` keeps blanks and honours backslash escapes and `$VAR`
 * expansion, `'…'` is fully literal, and a backslash outside single quotes escapes the next
 * character. A line ends at a newline or a carriage return, and carries at most 64 words.
 *
 * Every string field of the model is one of two kinds (the validator enforces which, per field;
 * the README lists them):
 *
 * - a **token**: names, addresses, durations, file paths, URL paths, header names, cookie
 *   values, crypt hashes, cipher lists, log targets. Each has a strict character set that holds
 *   nothing the tokenizer treats specially (no blank, quote, backslash, `#`, `$` except in a crypt
 *   hash, where a bare `$` is literal because HAProxy only expands variables inside double
 *   quotes), so it is written bare: `token()` refuses anything else.
 * - a **text**: values that may hold anything printable (stats realm, header values, ACL
 *   patterns, passwords, redirect targets, response bodies, log-format). `text()` writes it bare
 *   when it only holds plain characters (`.gif`, `admin:Venezuela21`), otherwise in double quotes
 *   with `\`, `"` and `$` backslash-escaped (`"HAProxy Statistics"`). Control characters cannot be
 *   written at all (a `\n` escape would still put a newline in the value): the validator rejects
 *   them in every string field and `text()` throws on them.
 *
 * Quoting never hides a keyword: HAProxy unquotes before it compares words, so `"if"` is still
 * `if`. That is safe here because every text value sits in a position its directive consumes
 * as a value (the word after `realm`, `string`, `location` …), and the one place where leading
 * words are flags (`acl` patterns starting with `-`) gets an explicit `--` from the renderer.
 */

/** Control characters, plus the Unicode line and paragraph separators, which no value may hold. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Characters HAProxy's tokenizer gives no meaning to: a text made only of these is written bare. */
const PLAIN = /^[A-Za-z0-9_.,:/@+=%~^*-]+$/;

/** What a bare token may never contain: blanks, quotes, backslash, `#`, `$`, control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE_BARE = /[\s"'\\#$\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A crypt(3) hash: `$` is literal outside double quotes, so the hash is written as is. */
export const CRYPT_HASH = /^\$(1|5|6|2[aby]|y|7)\$[./A-Za-z0-9$=,]+$/;

/** HAProxy's limit on words per line (MAX_LINE_ARGS): more is a fatal "too many words". */
export const MAX_WORDS_PER_LINE = 64;

/** Raised when the renderer is handed a value the validator would have refused. */
export class UnsafeWordError extends Error {
  constructor(value: string, kind: string) {
    super(`refusing to write ${JSON.stringify(value)} as ${kind}: validate the model first (validateHaproxyConfig)`);
    this.name = "UnsafeWordError";
  }
}

/** A token, written bare. Throws if it holds anything HAProxy's tokenizer would interpret. */
export function token(value: string): string {
  if (value === "" || UNSAFE_BARE.test(value)) throw new UnsafeWordError(value, "a bare token");
  return value;
}

/** A crypt(3) hash, written bare (its `$` signs are literal outside double quotes). */
export function cryptHash(value: string): string {
  if (!CRYPT_HASH.test(value)) throw new UnsafeWordError(value, "a crypt(3) hash");
  return value;
}

/** A free text as one word: bare when plain, else double-quoted with `\`, `"` and `$` escaped. */
export function text(value: string): string {
  if (value === "" || CONTROL_CHARACTER.test(value)) throw new UnsafeWordError(value, "a text word");
  if (PLAIN.test(value)) return value;
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** @deprecated Kept for callers of the first API: the same as `text()`. */
export const word = text;

/** Why a line cannot be read back to fixed words. */
export type SplitProblem = "unbalanced-quote" | "variable-expansion" | "bad-hex-escape" | "too-many-words";

export interface SplitResult {
  readonly words: string[];
  readonly problem?: SplitProblem;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
/** C's isspace() minus \n and \r, which end the line before this is reached. */
const isBlank = (c: string): boolean => c === " " || c === "\t" || c === "\v" || c === "\f";

/**
 * Splits one line of haproxy.cfg into words exactly as HAProxy 2.x's `parse_line()` does with the
 * options the configuration reader uses (quotes, backslash, `#` comments, variables). A `$` inside
 * double quotes would be replaced by an environment variable, so it is reported as
 * `variable-expansion` rather than guessed. Leading blanks are skipped, as the reader does.
 */
export function tokenizeLine(line: string): SplitResult {
  const words: string[] = [];
  let current = "";
  let started = false;
  let squote = false;
  let dquote = false;
  let i = 0;
  while (i < line.length && isBlank(line[i])) i++;
  const finish = (problem?: SplitProblem): SplitResult => ({ words, ...(problem ? { problem } : {}) });
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === "\n" || c === "\r") break;
    if (c === "#" && !squote && !dquote) break;
    if (c === '"' && !squote) {
      dquote = !dquote;
      started = true;
      continue;
    }
    if (c === "'" && !dquote) {
      squote = !squote;
      started = true;
      continue;
    }
    if (c === "\\" && !squote) {
      started = true;
      const next = line[i + 1];
      if (next === " " || next === "\\" || next === "#" || next === "'" || next === '"') {
        current += next;
        i++;
      } else if (next === "t" || next === "n" || next === "r") {
        current += next === "t" ? "\t" : next === "n" ? "\n" : "\r";
        i++;
      } else if (next === "$" && dquote) {
        current += "$";
        i++;
      } else if (next === "x") {
        if (!isHex(line[i + 2]) || !isHex(line[i + 3])) return finish("bad-hex-escape");
        current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
        i += 3;
      } else {
        current += "\\";
      }
      continue;
    }
    if (isBlank(c) && !squote && !dquote) {
      while (i + 1 < line.length && isBlank(line[i + 1])) i++;
      words.push(current);
      current = "";
      started = false;
      continue;
    }
    if (c === "$" && dquote) return finish("variable-expansion");
    current += c;
    started = true;
  }
  if (squote || dquote) return finish("unbalanced-quote");
  // HAProxy drops a last word that is empty (trailing blanks, or a trailing "").
  if (started && current !== "") words.push(current);
  if (words.length > MAX_WORDS_PER_LINE) return finish("too-many-words");
  return { words };
}

/** The words of a line, or `undefined` when HAProxy would not read it as fixed words. */
export function splitWords(line: string): string[] | undefined {
  const result = tokenizeLine(line);
  return result.problem ? undefined : result.words;
}
