import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph } from 'docx';
import { describe, expect, it } from 'vitest';
import { agrees, fileTypes, sniffType } from './sniff.ts';

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const pdf = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR');
const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF\0');
const docx = async () => new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('信用承诺书')] }] })));
const xlsx = async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('材料').addRow(['履行义务证明']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
};

describe('sniffType', () => {
  it('recognises each accepted type by its content', async () => {
    expect(sniffType(pdf)?.type).toBe('pdf');
    expect(sniffType(png)?.type).toBe('png');
    expect(sniffType(jpeg)?.type).toBe('jpeg');
    expect(sniffType(await docx())?.type).toBe('docx');
    expect(sniffType(await xlsx())?.type).toBe('xlsx');
  });

  it('tells an Office file from another zip archive, and refuses what it does not know', async () => {
    const word = await docx();
    // the same archive with its central directory cut off is a zip header and nothing readable
    expect(sniffType(word.subarray(0, 200))).toBeUndefined();
    expect(sniffType(bytes('MZ\x90\x00\x03'))).toBeUndefined(); // a Windows executable
    expect(sniffType(bytes('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(sniffType(bytes('plain text that says %PDF- later'))).toBeUndefined();
    expect(sniffType(new Uint8Array())).toBeUndefined();
    expect(sniffType(bytes([0x89, 0x50, 0x4e]))).toBeUndefined(); // a truncated PNG signature
  });
});

describe('agrees', () => {
  it('needs the extension of the type found, and a declared type that is the same or unspecific', () => {
    expect(agrees(fileTypes.pdf, '信用承诺书.pdf', 'application/pdf')).toBe(true);
    expect(agrees(fileTypes.pdf, '信用承诺书.PDF', 'application/octet-stream')).toBe(true);
    expect(agrees(fileTypes.jpeg, '现场照片.jpg', 'image/jpeg')).toBe(true);
    expect(agrees(fileTypes.jpeg, '现场照片.jpeg', '')).toBe(true);
    expect(agrees(fileTypes.pdf, '承诺书.docx', 'application/pdf')).toBe(false);
    expect(agrees(fileTypes.pdf, '承诺书', 'application/pdf')).toBe(false);
    expect(agrees(fileTypes.png, '截图.png', 'application/pdf')).toBe(false);
    expect(agrees(fileTypes.docx, '承诺书.docx', `${fileTypes.docx.mime}; charset=binary`)).toBe(true);
  });
});
