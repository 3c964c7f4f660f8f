/**
 * Reads one file out of a zip archive (a .docx is one), for tests and for
 * recognising uploaded Office and OFD files: walks the
 * central directory and inflates the entry with node:zlib. Stored and
 * deflated entries only; no zip64.
 */
import { inflateRawSync } from 'node:zlib';

export function zipEntryNames(zip: Uint8Array): string[] {
  return centralDirectory(zip).map((e) => e.name);
}

export function readZipEntry(zip: Uint8Array, name: string): Buffer | undefined {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const entry = centralDirectory(zip).find((e) => e.name === name);
  if (!entry) return undefined;
  if (buf.readUInt32LE(entry.localOffset) !== 0x04034b50) throw new Error('zip: bad local header');
  const start = entry.localOffset + 30 + buf.readUInt16LE(entry.localOffset + 26) + buf.readUInt16LE(entry.localOffset + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`zip: unsupported method ${entry.method}`);
}

function centralDirectory(zip: Uint8Array) {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: { name: string; method: number; compressedSize: number; localOffset: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    out.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}
