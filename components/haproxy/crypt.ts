/**
 * SHA-512 crypt(3) (`$6$salt$hash`, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"),
 * the hash HAProxy's userlist `password` accepts through glibc/libxcrypt. Pure computation with
 * node:crypto's SHA-512; no I/O. Checked against `openssl passwd -6` in the tests.
 */
import { createHash } from "node:crypto";

const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DEFAULT_ROUNDS = 5000;
/** Salt characters crypt(3) accepts; at most 16 are used. */
export const CRYPT_SALT = /^[./A-Za-z0-9]{1,16}$/;

function sha512(...parts: Buffer[]): Buffer {
  const hash = createHash("sha512");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `length` bytes taken from repeating `digest` (steps 9/10, 16 and 20 of the specification). */
function repeat(digest: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = digest[i % digest.length];
  return out;
}

function base64Triplet(b2: number, b1: number, b0: number, chars: number): string {
  let value = (b2 << 16) | (b1 << 8) | b0;
  let out = "";
  for (let i = 0; i < chars; i++) {
    out += ALPHABET[value & 0x3f];
    value >>= 6;
  }
  return out;
}

/**
 * A crypt(3) salt from random bytes (pass e.g. `randomBytes(12)`): each byte picks one of the 64
 * salt characters, at most 16 are used. Pure, so callers choose their randomness.
 */
export function cryptSalt(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error("cryptSalt: give at least 8 random bytes (a salt of 8-16 characters)");
  return Array.from(bytes.subarray(0, 16), (byte) => ALPHABET[byte & 0x3f]).join("");
}

/**
 * `$6$<salt>$<hash>` (or `$6$rounds=<n>$<salt>$<hash>` when rounds is not the default 5000), as
 * glibc's crypt(3), `openssl passwd -6` and `mkpasswd -m sha-512` compute it.
 */
export function sha512Crypt(password: string, salt: string, rounds = DEFAULT_ROUNDS): string {
  if (!CRYPT_SALT.test(salt)) throw new Error(`sha512Crypt: salt must be 1-16 characters of [./A-Za-z0-9]; got ${JSON.stringify(salt)}`);
  if (!Number.isInteger(rounds) || rounds < 1000 || rounds > 999_999_999) throw new Error("sha512Crypt: rounds must be an integer from 1000 to 999999999");
  const key = Buffer.from(password, "utf8");
  const saltBytes = Buffer.from(salt, "utf8");

  const b = sha512(key, saltBytes, key);
  const aHash = createHash("sha512");
  aHash.update(key);
  aHash.update(saltBytes);
  aHash.update(repeat(b, key.length));
  for (let length = key.length; length > 0; length >>= 1) aHash.update(length & 1 ? b : key);
  const a = aHash.digest();

  const dpHash = createHash("sha512");
  for (let i = 0; i < key.length; i++) dpHash.update(key);
  const p = repeat(dpHash.digest(), key.length);

  const dsHash = createHash("sha512");
  for (let i = 0; i < 16 + a[0]; i++) dsHash.update(saltBytes);
  const s = repeat(dsHash.digest(), saltBytes.length);

  let c = a;
  for (let i = 0; i < rounds; i++) {
    const round = createHash("sha512");
    round.update(i & 1 ? p : c);
    if (i % 3 !== 0) round.update(s);
    if (i % 7 !== 0) round.update(p);
    round.update(i & 1 ? c : p);
    c = round.digest();
  }

  const order = [
    [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
    [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
    [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
  ];
  let encoded = order.map(([x, y, z]) => base64Triplet(c[x], c[y], c[z], 4)).join("");
  encoded += base64Triplet(0, 0, c[63], 2);
  const roundsPart = rounds === DEFAULT_ROUNDS ? "" : `rounds=${rounds}$`;
  return `$6$${roundsPart}${salt}$${encoded}`;
}
