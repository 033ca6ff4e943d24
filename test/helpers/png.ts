// A tiny PNG decoder for tests (8-bit greyscale/RGB/RGBA, non-interlaced, which is what
// rsvg-convert and pdftoppm write), so rendered figures can be checked pixel by pixel
// without an image library.

import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";

export interface Image {
  width: number;
  height: number;
  /** RGB triples, alpha already composited over white. */
  rgb: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(buf: Buffer): Image {
  assert(buf.subarray(0, 8).equals(SIGNATURE), "not a PNG file");
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colorType = data[9];
      if (depth !== 8 || !(colorType in CHANNELS) || data[12] !== 0) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${data[12]}`);
      }
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  const ch = CHANNELS[colorType];
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * ch;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= ch ? px[y * stride + i - ch] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = i >= ch && y > 0 ? px[(y - 1) * stride + i - ch] : 0;
      const v = line[i];
      const out = filter === 0 ? v : filter === 1 ? v + a : filter === 2 ? v + b : filter === 3 ? v + ((a + b) >> 1) : v + paeth(a, b, c);
      if (filter > 4) throw new Error(`bad PNG filter ${filter}`);
      px[y * stride + i] = out & 0xff;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const s = px.subarray(p * ch, p * ch + ch);
    const [r, g, b] = ch >= 3 ? [s[0], s[1], s[2]] : [s[0], s[0], s[0]];
    const alpha = ch === 4 ? s[3] / 255 : ch === 2 ? s[1] / 255 : 1;
    rgb[3 * p] = Math.round(r * alpha + 255 * (1 - alpha));
    rgb[3 * p + 1] = Math.round(g * alpha + 255 * (1 - alpha));
    rgb[3 * p + 2] = Math.round(b * alpha + 255 * (1 - alpha));
  }
  return { width, height, rgb };
}

/** Pixels that are not (nearly) white. */
export function countInk(img: Image, threshold = 240): number {
  let n = 0;
  for (let p = 0; p < img.width * img.height; p++) {
    if (img.rgb[3 * p] < threshold || img.rgb[3 * p + 1] < threshold || img.rgb[3 * p + 2] < threshold) n++;
  }
  return n;
}

/** Pixels within `tolerance` (per channel) of a colour given as "#rrggbb". */
export function countColour(img: Image, hex: string, tolerance = 40): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let p = 0; p < img.width * img.height; p++) {
    if (want.every((w, k) => Math.abs(img.rgb[3 * p + k] - w) <= tolerance)) n++;
  }
  return n;
}
