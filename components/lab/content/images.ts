/**
 * The lab's logo, drawn and encoded by us (pure: node:zlib for PNG's deflate, nothing else), so
 * nothing is downloaded at boot and the picture is ours to ship. The seed wgets haproxy.org's
 * logo-med.png; we draw the lab itself instead: a frontend, two web backends and a static one.
 *
 * `logo-med.png` and `logo-med.gif` next to this file are the committed output of `labLogo()`;
 * a test decodes them and compares pixels (regenerate with UPDATE_GOLDEN=1).
 */
import { deflateSync } from "node:zlib";

/** An 8-bit indexed image: `pixels[y * width + x]` indexes `palette`. */
export interface IndexedImage {
  readonly width: number;
  readonly height: number;
  /** [r, g, b] per entry; at most 256 entries (GIF: padded to a power of two). */
  readonly palette: readonly (readonly [number, number, number])[];
  readonly pixels: Uint8Array;
}

const WHITE = 0;
const BLUE = 1;
const GREEN = 2;
const ORANGE = 3;
const GRAY = 4;
const DARK = 5;
const PALETTE: IndexedImage["palette"] = [
  [255, 255, 255],
  [27, 79, 114],
  [46, 139, 87],
  [230, 126, 34],
  [127, 140, 141],
  [33, 37, 41],
];

// 5x7 glyphs for the caption, one row per string.
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  H: ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
  A: ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
  P: ["11110", "10001", "10001", "11110", "10000", "10000", "10000"],
  R: ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
  O: ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
  X: ["10001", "10001", "01010", "00100", "01010", "10001", "10001"],
  Y: ["10001", "10001", "01010", "00100", "00100", "00100", "00100"],
  L: ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
  B: ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
  " ": ["00000", "00000", "00000", "00000", "00000", "00000", "00000"],
};

/** The lab's picture: frontend (blue) wired to two web backends (green) and a static one (orange). */
export function labLogo(): IndexedImage {
  const width = 192;
  const height = 72;
  const pixels = new Uint8Array(width * height).fill(WHITE);
  const set = (x: number, y: number, color: number): void => {
    if (x >= 0 && x < width && y >= 0 && y < height) pixels[y * width + x] = color;
  };
  const box = (x0: number, y0: number, x1: number, y1: number, color: number): void => {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      // Cut the corners for a rounded look.
      const corner = (x === x0 || x === x1) && (y === y0 || y === y1);
      if (!corner) set(x, y, color);
    }
  };
  const line = (x0: number, y0: number, x1: number, y1: number, color: number): void => {
    // Bresenham, two pixels thick.
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    let x = x0;
    let y = y0;
    for (;;) {
      set(x, y, color);
      set(x, y + 1, color);
      if (x === x1 && y === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) { err += dy; x += sx; }
      if (e2 <= dx) { err += dx; y += sy; }
    }
  };

  const backends = [
    { y: 4, color: GREEN },
    { y: 20, color: GREEN },
    { y: 36, color: ORANGE },
  ];
  for (const backend of backends) line(52, 26, 140, backend.y + 6, GRAY);
  box(12, 12, 52, 40, BLUE);
  for (const backend of backends) box(140, backend.y, 180, backend.y + 12, backend.color);

  const caption = "HAPROXY LAB";
  const scale = 2;
  const captionWidth = caption.length * 6 * scale - scale;
  let penX = Math.floor((width - captionWidth) / 2);
  for (const char of caption) {
    GLYPHS[char].forEach((row, gy) => {
      [...row].forEach((bit, gx) => {
        if (bit !== "1") return;
        for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) set(penX + gx * scale + sx, 54 + gy * scale + sy, DARK);
      });
    });
    penX += 6 * scale;
  }
  return { width, height, palette: PALETTE, pixels };
}

// ---------------------------------------------------------------------------------------------
// PNG (ISO/IEC 15948): signature, IHDR, PLTE, IDAT (zlib), IEND.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

export function encodePng(image: IndexedImage): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // colour type: indexed
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace
  const raw = Buffer.alloc((image.width + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    raw[y * (image.width + 1)] = 0; // filter: none
    raw.set(image.pixels.subarray(y * image.width, (y + 1) * image.width), y * (image.width + 1) + 1);
  }
  const palette = Buffer.from(image.palette.flatMap((rgb) => [...rgb]));
  return new Uint8Array(
    Buffer.concat([
      PNG_SIGNATURE,
      pngChunk("IHDR", header),
      pngChunk("PLTE", palette),
      pngChunk("IDAT", deflateSync(raw, { level: 9 })),
      pngChunk("IEND", new Uint8Array(0)),
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// GIF89a with a global colour table and one LZW-compressed image.

function lzwEncode(indices: Uint8Array, minCodeSize: number): Uint8Array {
  const clearCode = 1 << minCodeSize;
  const endCode = clearCode + 1;
  const out: number[] = [];
  let bitBuffer = 0;
  let bitCount = 0;
  let codeSize = minCodeSize + 1;
  const emit = (code: number): void => {
    bitBuffer |= code << bitCount;
    bitCount += codeSize;
    while (bitCount >= 8) {
      out.push(bitBuffer & 0xff);
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
  };
  let dictionary = new Map<string, number>();
  let nextCode = endCode + 1;
  const reset = (): void => {
    dictionary = new Map();
    nextCode = endCode + 1;
    codeSize = minCodeSize + 1;
  };
  emit(clearCode);
  let prefix = String(indices[0]);
  for (let i = 1; i < indices.length; i++) {
    const candidate = `${prefix},${indices[i]}`;
    const known = dictionary.get(candidate);
    if (known !== undefined) {
      prefix = candidate;
      continue;
    }
    emit(prefix.includes(",") ? (dictionary.get(prefix) as number) : Number(prefix));
    if (nextCode < 4096) {
      dictionary.set(candidate, nextCode++);
      // The decoder widens its codes one code later than the encoder adds them.
      if (nextCode > 1 << codeSize && codeSize < 12) codeSize++;
    } else {
      emit(clearCode);
      reset();
    }
    prefix = String(indices[i]);
  }
  emit(prefix.includes(",") ? (dictionary.get(prefix) as number) : Number(prefix));
  emit(endCode);
  if (bitCount > 0) out.push(bitBuffer & 0xff);
  return Uint8Array.from(out);
}

export function encodeGif(image: IndexedImage): Uint8Array {
  const bits = Math.max(1, Math.ceil(Math.log2(image.palette.length)));
  const tableSize = 1 << bits;
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(image.width, 0);
  screen.writeUInt16LE(image.height, 2);
  screen[4] = 0x80 | ((bits - 1) << 4) | (bits - 1); // global table, colour resolution, table size
  screen[5] = 0; // background colour index
  screen[6] = 0; // aspect ratio
  const table = Buffer.alloc(tableSize * 3);
  image.palette.forEach((rgb, i) => table.set(rgb, i * 3));
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(0, 1);
  descriptor.writeUInt16LE(0, 3);
  descriptor.writeUInt16LE(image.width, 5);
  descriptor.writeUInt16LE(image.height, 7);
  descriptor[9] = 0; // no local table, not interlaced
  const minCodeSize = Math.max(2, bits);
  const data = lzwEncode(image.pixels, minCodeSize);
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 255) {
    const chunk = data.subarray(offset, offset + 255);
    blocks.push(Buffer.from([chunk.length]), Buffer.from(chunk));
  }
  return new Uint8Array(
    Buffer.concat([Buffer.from("GIF89a", "ascii"), screen, table, descriptor, Buffer.from([minCodeSize]), ...blocks, Buffer.from([0, 0x3b])]),
  );
}
