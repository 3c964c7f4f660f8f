/**
 * Recognises an uploaded file's type by its content (magic bytes), so a file
 * renamed to .pdf, or sent with a made-up Content-Type, is not taken for what
 * it claims. Office files and OFD are zip archives: their type is told by the
 * part names inside ([Content_Types].xml with word/ or xl/; OFD.xml).
 */
import type { AttachmentType } from '../config/schema.ts';
import { zipEntryNames } from '../documents/zip-reader.ts';

export type FileType = { type: AttachmentType; mime: string; extensions: readonly string[] };

export const fileTypes: Record<AttachmentType, FileType> = {
  pdf: { type: 'pdf', mime: 'application/pdf', extensions: ['pdf'] },
  ofd: { type: 'ofd', mime: 'application/ofd', extensions: ['ofd'] },
  png: { type: 'png', mime: 'image/png', extensions: ['png'] },
  jpeg: { type: 'jpeg', mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  docx: { type: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { type: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
};

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0) => bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4

function zipType(bytes: Uint8Array): AttachmentType | undefined {
  let names: string[];
  try {
    names = zipEntryNames(bytes);
  } catch {
    return undefined; // not a readable zip archive
  }
  if (names.includes('OFD.xml')) return 'ofd';
  if (!names.includes('[Content_Types].xml')) return undefined;
  if (names.includes('word/document.xml')) return 'docx';
  if (names.includes('xl/workbook.xml')) return 'xlsx';
  return undefined;
}

/** The type the content shows, or undefined when it is none of the known types. */
export function sniffType(bytes: Uint8Array): FileType | undefined {
  if (startsWith(bytes, PDF)) return fileTypes.pdf;
  if (startsWith(bytes, PNG)) return fileTypes.png;
  if (startsWith(bytes, JPEG)) return fileTypes.jpeg;
  if (startsWith(bytes, ZIP)) {
    const type = zipType(bytes);
    return type ? fileTypes[type] : undefined;
  }
  return undefined;
}

/** Declared Content-Types that say nothing about the file, which browsers send for unknown extensions. */
const UNSPECIFIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Whether the file's name and declared Content-Type agree with the type its content shows. */
export function agrees(found: FileType, filename: string, declared: string): boolean {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  const mime = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  return ext !== undefined && found.extensions.includes(ext) && (UNSPECIFIC.has(mime) || mime === found.mime || (found.type === 'jpeg' && mime === 'image/jpg'));
}
