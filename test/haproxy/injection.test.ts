/**
 * No user string can inject configuration: for any string placed in any string field of a model
 * that uses every directive, either the validator reports an error, or the rendered text, read
 * back line by line with HAProxy's own tokenizer rules, has exactly the intended directives
 * (same line count, same keyword and word count on every line) and the value inside one word.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTROL_CHARACTER, renderHaproxyConfig, tokenizeLine, validateHaproxyConfig, type HaproxyConfig } from "../../components/haproxy";
import { kitchenSinkConfig } from "./fixtures";

type Path = readonly (string | number)[];

/** Every string-valued path of a model, e.g. ["frontends", 0, "name"]. */
function stringPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, [...path, index]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  return [];
}

function setAt(value: unknown, path: Path, replacement: string): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? setAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: setAt(record[head as string], rest, replacement) };
}

/**
 * Per line: the keyword and the number of words, as HAProxy reads it (or why it cannot). On acl
 * lines the renderer adds `--` (end of flags) when the first pattern starts with '-', so that
 * marker is not counted: it comes and goes with the value, and is not part of it.
 */
function structure(text: string): string[] {
  return text.split("\n").map((line) => {
    const { words, problem } = tokenizeLine(line);
    if (problem) return problem;
    let first = 3; // acl <name> <fetch> [-i] [-m <method>] [--] <patterns>
    if (words[first] === "-i") first++;
    if (words[first] === "-m") first += 2;
    const count = words.length - (words[0] === "acl" && words[first] === "--" ? 1 : 0);
    return `${words[0] ?? ""}/${count}`;
  });
}

function allWords(text: string): string[] {
  return text.split("\n").flatMap((line) => tokenizeLine(line).words);
}

/**
 * Fields whose value picks a variant (`action: "deny"`, `join: "or"`…): a different valid value
 * legitimately changes the directive. They get hostile values only, which must be refused.
 */
const DISCRIMINANTS = new Set(["action", "op", "join", "kind", "match", "mode", "algorithm", "fetch", "type", "sendProxy", "verify", "connectionMode", "httpReuse", "facility", "level", "minLevel", "method", "version", "log", "httplog"]);

const hostile = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: fc.constantFrom("\n", "\r", " ", "\t", "#", "'", '"', "\\", "$", "{", "}", "!", "|", "-", "a", "x", "%", ":", "/", ".", "\u2028", "\u0000"), maxLength: 14 }),
  fc.constantFrom("x\nbackend evil", "a # comment", "' '", '" "', "\\", "$HOME", "${HOME}", "a b", "", "\u2028", "\\x41", "-i", "--", "if", "unless", "{", "}", "x\r\n    server evil 1.2.3.4:80", "a".repeat(1100)),
);

describe("no string can inject configuration", () => {
  const base = kitchenSinkConfig();
  const expected = structure(renderHaproxyConfig(base));
  const paths = stringPaths(base);
  const freePaths = paths.filter((p) => !DISCRIMINANTS.has(String(p[p.length - 1])));
  const variantPaths = paths.filter((p) => DISCRIMINANTS.has(String(p[p.length - 1])));

  it("covers every kind of string field", () => {
    expect(freePaths.length).toBeGreaterThan(150);
    expect(variantPaths.length).toBeGreaterThan(30);
  });

  it("for any string in any field, validation fails or the directives are exactly the intended ones", () => {
    let rendered = 0;
    fc.assert(
      fc.property(fc.constantFrom(...freePaths), hostile, (path, value) => {
        const config = setAt(base, path, value) as HaproxyConfig;
        if (validateHaproxyConfig(config).some((p) => p.severity === "error")) return;
        rendered++;
        const text = renderHaproxyConfig(config);
        const where = `${path.join(".")} = ${JSON.stringify(value)}`;
        expect(structure(text), where).toEqual(expected);
        expect(allWords(text).some((word) => word.includes(value)), `${where}: the value is not inside one word`).toBe(true);
      }),
      { numRuns: 4000 },
    );
    // The property must also have exercised the rendering branch, or it proved nothing.
    expect(rendered).toBeGreaterThan(100);
  });

  it("refuses any blank, quote or control character in a field that picks a variant", () => {
    fc.assert(
      fc.property(fc.constantFrom(...variantPaths), hostile.filter((v) => v === "" || /[\s"'#\\$]/.test(v) || CONTROL_CHARACTER.test(v)), (path, value) => {
        const problems = validateHaproxyConfig(setAt(base, path, value) as HaproxyConfig);
        expect(problems.some((p) => p.severity === "error"), `${path.join(".")} = ${JSON.stringify(value)}`).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ["a newline in a header value", ["frontends", 0, "httpRequest", 1, "value"], "x\n    http-request deny"],
    ["a comment in a realm", ["frontends", 0, "stats", "realm"], "x # hidden"],
    ["a second word in a server name", ["backends", 0, "servers", 0, "name"], "backend1 backup"],
    ["a quote closing early in a password", ["listens", 0, "stats", "auth", "credentials", 0, "password"], 'x" insecure'],
  ] as const)("shows the case of %s", (_label, path, value) => {
    const config = setAt(base, path, value) as HaproxyConfig;
    const errors = validateHaproxyConfig(config).filter((p) => p.severity === "error");
    if (errors.length === 0) expect(structure(renderHaproxyConfig(config))).toEqual(expected);
    else expect(errors.map((e) => e.path)).toContain(path.join(".").replace(/\.(\d+)/g, "[$1]"));
  });
});
