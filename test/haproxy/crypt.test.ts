import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cryptSalt, sha512Crypt, CRYPT_HASH } from "../../components/haproxy";

/** `openssl passwd -6`, the reference the brief names; the password goes through stdin, not argv. */
function openssl(password: string, salt: string): string {
  try {
    return execFileSync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], { input: `${password}\n`, encoding: "utf8", timeout: 10_000 }).trim();
  } catch (error) {
    throw new Error(`openssl is needed to check sha512Crypt (apt-get install -y openssl): ${(error as Error).message}`);
  }
}

describe("sha512Crypt", () => {
  it.each([
    ["Venezuela21", "haproxylabseed"],
    ["s3cret", "saltsalt"],
    ["a password with spaces, 'quotes' and \"double quotes\"", "AbC./xyz09"],
    ["contraseña ñandú €", "unicode"],
    ["x".repeat(130), "long.password"],
    ["$6$looks$like$a$hash", "s"],
    ["\\back\\slash#", "0123456789abcdef"],
  ])("matches openssl passwd -6 for %j with salt %s", (password, salt) => {
    expect(sha512Crypt(password, salt)).toBe(openssl(password, salt));
  });

  it.each([
    // Vectors of Ulrich Drepper's specification ("Unix crypt using SHA-256 and SHA-512").
    ["Hello world!", "saltstringsaltst", 10_000, "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."],
    ["the minimum number is still observed", "roundstoolow", 1000, "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX."],
  ])("writes rounds=%s… like glibc when rounds are not the default (%j)", (password, salt, rounds, expected) => {
    expect(sha512Crypt(password, salt, rounds)).toBe(expected);
  });

  it("gives a hash HAProxy's userlist accepts as one bare word", () => {
    expect(sha512Crypt("pw", "saltsalt")).toMatch(CRYPT_HASH);
  });

  it.each([["", "empty"], ["with space", "a blank"], ["toolongsaltstring17", "17 characters"], ["sel$", "a '$'"]])("refuses the salt %j (%s)", (salt) => {
    expect(() => sha512Crypt("pw", salt)).toThrow(/salt must be 1-16 characters/);
  });

  it("refuses rounds below glibc's minimum of 1000", () => {
    expect(() => sha512Crypt("pw", "saltsalt", 999)).toThrow(/rounds/);
  });

  it("turns random bytes into a 16-character crypt salt", () => {
    const salt = cryptSalt(Uint8Array.from({ length: 32 }, (_, i) => i * 7));
    expect(salt).toMatch(/^[./A-Za-z0-9]{16}$/);
    expect(() => cryptSalt(new Uint8Array(4))).toThrow(/at least 8/);
  });
});
