/**
 * A rendered document as a Word file (.docx), laid out like html.ts after
 * GB/T 9704-2012: A4, margins 37/26/35/28 mm, title 小标宋 22 pt, body 仿宋
 * 16 pt with a two-character first-line indent, headings 黑体. Word falls back
 * to an installed font when a named one is missing.
 */
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import type { RenderedDocument } from './render.ts';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const mm = (n: number) => Math.round((n * 1440) / 25.4);
const BODY = { ascii: 'FangSong', hAnsi: 'FangSong', eastAsia: '仿宋_GB2312', cs: 'FangSong' };
const TITLE = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '方正小标宋简体', cs: 'SimHei' };
const HEADING = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体', cs: 'SimHei' };
const BODY_SIZE = 32; // half-points: 16 pt (三号)
const LINE = 560; // 28 pt exact line height, about 22 lines a page

const run = (text: string, font = BODY, size = BODY_SIZE) => new TextRun({ text, font, size, language: { eastAsia: 'zh-CN' } });
const spacing = { line: LINE, lineRule: 'exact' as const, before: 0, after: 0 };

const body = (text: string) => new Paragraph({ children: [run(text)], indent: { firstLineChars: 200 }, alignment: AlignmentType.JUSTIFIED, spacing });
const plain = (text: string, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT) =>
  new Paragraph({ children: [run(text)], alignment, spacing });

export function documentDocx(doc: RenderedDocument): Promise<Buffer> {
  const children: Paragraph[] = [
    new Paragraph({ children: [run(doc.title, TITLE, 44)], alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: 'exact', after: 160 } }),
    plain(doc.number ?? '（未编号）', AlignmentType.CENTER),
    plain(''),
    ...doc.party.map((l) => plain(l)),
    plain(doc.addressee),
    ...doc.preamble.map(body),
  ];
  for (const s of doc.sections) {
    children.push(new Paragraph({ children: [run(s.heading, HEADING)], indent: { firstLineChars: 200 }, spacing, keepNext: true }));
    children.push(...s.paragraphs.map(body));
  }
  children.push(plain(''), plain(''));
  const right = (text: string) => new Paragraph({ children: [run(text)], alignment: AlignmentType.RIGHT, indent: { right: mm(11) }, spacing, keepNext: true });
  if (doc.footer.notes.includes('（印章）')) children.push(right('（印章）'));
  children.push(right(doc.footer.issuer), right(doc.footer.date));
  const notes = doc.footer.notes.filter((n) => n !== '（印章）');
  if (notes.length) children.push(plain(''), ...notes.map((n) => new Paragraph({ children: [run(n, BODY, 24)], spacing: { line: 400, lineRule: 'exact' } })));

  const file = new Document({
    creator: doc.footer.issuer,
    title: doc.number ? `${doc.title}（${doc.number}）` : doc.title,
    styles: { default: { document: { run: { font: BODY, size: BODY_SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(file);
}
