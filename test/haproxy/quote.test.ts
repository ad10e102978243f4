import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTROL_CHARACTER, cryptHash, text, token, tokenizeLine, UnsafeWordError } from "../../components/haproxy";

describe("tokenizeLine reads a line as HAProxy 2.x's parse_line does", () => {
  it.each<[string, string[]]>([
    ["    stats realm HAProxy\\ Statistics", ["stats", "realm", "HAProxy Statistics"]],
    ['stats realm "HAProxy Statistics"', ["stats", "realm", "HAProxy Statistics"]],
    ["acl a path_end .gif   .png\t.jpg", ["acl", "a", "path_end", ".gif", ".png", ".jpg"]],
    ["server s 10.0.0.1:80 # the comment", ["server", "s", "10.0.0.1:80"]],
    ['x "a # not a comment"', ["x", "a # not a comment"]],
    ["x 'single $HOME \\n'", ["x", "single $HOME \\n"]],
    ['x "\\" \\\\ \\$ \\# \\\'"', ["x", "\" \\ $ # '"]],
    ["x \\x41\\x42", ["x", "AB"]],
    ["x a\\zb", ["x", "a\\zb"]],
    ["user admin password $6$salt$hash", ["user", "admin", "password", "$6$salt$hash"]],
    ['x "" y', ["x", "", "y"]],
    ['x y ""', ["x", "y"]],
    ["x y   ", ["x", "y"]],
    ["", []],
    ["# only a comment", []],
  ])("%j", (line, words) => {
    expect(tokenizeLine(line)).toEqual({ words });
  });

  it.each([
    ['x "unclosed', "unbalanced-quote"],
    ["x 'unclosed", "unbalanced-quote"],
    ['x "$HOME"', "variable-expansion"],
    ["x \\x4", "bad-hex-escape"],
    [Array.from({ length: 65 }, (_, i) => `w${i}`).join(" "), "too-many-words"],
  ])("reports %j as %s", (line, problem) => {
    expect(tokenizeLine(line).problem).toBe(problem);
  });

  it("stops at a newline or a carriage return, as the file reader does", () => {
    expect(tokenizeLine("a b\nc d").words).toEqual(["a", "b"]);
    expect(tokenizeLine("a b\rc d").words).toEqual(["a", "b"]);
  });
});

describe("text() writes any printable string as exactly one word", () => {
  it.each([
    [".gif", ".gif"],
    ["admin:Venezuela21", "admin:Venezuela21"],
    ["HAProxy Statistics", '"HAProxy Statistics"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["$HOME", '"\\$HOME"'],
    ["a\\b", '"a\\\\b"'],
    ["#1", '"#1"'],
    ["it's", '"it\'s"'],
  ])("%j → %s", (value, written) => {
    expect(text(value)).toBe(written);
  });

  it("round-trips through HAProxy's tokenizer for any string without control characters", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.string({ unit: fc.constantFrom(" ", "\t", "#", "'", '"', "\\", "$", "{", "}", "!", "|", "x", "%", "-", "n", "r", "é", "€"), minLength: 1, maxLength: 20 }),
        ).filter((s) => !CONTROL_CHARACTER.test(s)),
        (value) => {
          expect(tokenizeLine(`keyword ${text(value)} after`)).toEqual({ words: ["keyword", value, "after"] });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each(["", "a\nb", "a\rb", "tab\there", "nul\u0000", "\u2028"])("refuses %j", (value) => {
    expect(() => text(value)).toThrow(UnsafeWordError);
  });
});

describe("token() never writes a value the tokenizer would interpret", () => {
  it.each(["a b", "a#b", "a'b", 'a"b', "a\\b", "$x", "", "a\nb"])("refuses %j", (value) => {
    expect(() => token(value)).toThrow(UnsafeWordError);
  });

  it("writes crypt hashes bare, since '$' is literal outside double quotes", () => {
    const hash = "$6$saltsalt$abc./XYZ";
    expect(tokenizeLine(`password ${cryptHash(hash)}`).words).toEqual(["password", hash]);
    expect(() => cryptHash("$6$salt$has h")).toThrow(UnsafeWordError);
  });
});
