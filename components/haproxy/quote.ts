/**
 * How a string becomes one HAProxy word, so that no value can add a token or a line.
 *
 * HAProxy 2.x splits a line on blanks; `#` starts a comment; `'…'` is literal; `"…"` honours
 * backslash escapes and expands `$VAR`. So a value is written:
 * - bare, when it only holds characters that mean nothing to the parser (readable: `.png`);
 * - in single quotes, when it holds anything else but no single quote (fully literal, so a
 *   password hash's `$` stays a `$`);
 * - in double quotes with `\`, `"` and `$` escaped, otherwise.
 * Control characters (newlines above all) cannot be written safely at all: the validator rejects
 * them in every string field and the renderer refuses to render such a model.
 */

const BARE = /^[A-Za-z0-9_.:/@+=,~*^%-]+$/;
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function word(value: string): string {
  if (BARE.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/**
 * Splits a rendered line back into words with HAProxy's quoting rules (for tests and for checking
 * what a renderer produced). Returns the words, or `undefined` when quotes are unbalanced.
 */
export function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === "\\" && i + 1 < line.length) current += line[++i];
      else if (c === '"') quote = undefined;
      else current += c;
      continue;
    }
    if (c === "#") break;
    if (c === " " || c === "\t") {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === "\\" && i + 1 < line.length) current += line[++i];
    else current += c;
  }
  if (quote) return undefined;
  if (inWord) words.push(current);
  return words;
}
