import { describe, expect, it } from '@jest/globals';
import { ACCEPTED_TYPES } from './file-content.js';
import { contentDisposition, describeBytes, fileNameFor, MAX_FILE_NAME_BYTES, sanitizeFileName } from './file-names.js';

describe('sanitizeFileName', () => {
  it('keeps an ordinary Vietnamese name as it is, in NFC', () => {
    expect(sanitizeFileName('Giấy khai sinh.pdf')).toBe('Giấy khai sinh.pdf');
    const decomposed = 'Giấy khai sinh.pdf'.normalize('NFD');
    expect(sanitizeFileName(decomposed)).toBe('Giấy khai sinh.pdf'.normalize('NFC'));
  });

  it('keeps only the last part of a path, whatever the separator', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\An\\Desktop\\don.pdf')).toBe('don.pdf');
    expect(sanitizeFileName('/')).toBe('file');
  });

  it('drops control characters and invisible direction marks', () => {
    expect(sanitizeFileName('don\r\nX-Injected: 1.pdf')).toBe('donX-Injected_ 1.pdf');
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  });

  it('replaces characters Windows reserves and defuses device names', () => {
    expect(sanitizeFileName('a<b>c:d"e|f?g*h.png')).toBe('a_b_c_d_e_f_g_h.png');
    expect(sanitizeFileName('CON.pdf')).toBe('_CON.pdf');
    expect(sanitizeFileName('lpt1')).toBe('_lpt1');
  });

  it('trims leading dots and trailing dots and spaces, and is never empty', () => {
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('  scan .pdf. . ')).toBe('scan.pdf');
    for (const empty of ['', '   ', '...', undefined, null, '\u0000']) expect(sanitizeFileName(empty)).toBe('file');
  });

  it('cuts long names to the byte budget, keeping the extension and whole characters', () => {
    const long = `${'Quyết định phê duyệt '.repeat(30)}.pdf`;
    const out = sanitizeFileName(long);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(out.endsWith('.pdf')).toBe(true);
    expect(out.startsWith('Quyết định')).toBe(true);
    expect(out).not.toContain('\uFFFD');
  });
});

describe('fileNameFor', () => {
  it('keeps an extension that agrees with the content, in any case', () => {
    expect(fileNameFor('scan.JPG', ['jpg', 'jpeg'])).toBe('scan.JPG');
    expect(fileNameFor('scan.jpeg', ['jpg', 'jpeg'])).toBe('scan.jpeg');
  });

  it('replaces an extension that disagrees, and adds one where there is none', () => {
    expect(fileNameFor('x.pdf', ['png'])).toBe('x.png');
    expect(fileNameFor('ho so', ['pdf'])).toBe('ho so.pdf');
    expect(fileNameFor('Quyết định 12.2024', ['pdf'])).toBe('Quyết định 12.2024.pdf');
    expect(fileNameFor(undefined, ['png'])).toBe('file.png');
  });

  it('names XML content .xml: an e-form saved as .txt or .pdf is renamed, .XML is kept', () => {
    const xml = ACCEPTED_TYPES['application/xml'];
    expect(fileNameFor('Tờ khai khai sinh.XML', xml)).toBe('Tờ khai khai sinh.XML');
    expect(fileNameFor('to-khai.txt', xml)).toBe('to-khai.xml');
    expect(fileNameFor('to-khai.pdf', xml)).toBe('to-khai.xml');
  });

  it('keeps the replaced extension within the byte budget', () => {
    const out = fileNameFor(`${'ả'.repeat(300)}.docx`, ['pdf']);
    expect(out.endsWith('.pdf')).toBe(true);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
  });
});

describe('contentDisposition', () => {
  it('offers an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Đơn đề nghị (bản 2).pdf')).toBe(
      `attachment; filename="Don de nghi (ban 2).pdf"; filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B%20%28b%E1%BA%A3n%202%29.pdf`,
    );
  });

  it('never lets the name break out of the header value', () => {
    const header = contentDisposition('a"b\\c%41.pdf');
    expect(header).toMatch(/^attachment; filename="a_b_c_41\.pdf"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(contentDisposition("it's (1)*.pdf")).toContain("filename*=UTF-8''it%27s%20%281%29%2A.pdf");
  });
});

describe('describeBytes', () => {
  it('names a limit as people read it', () => {
    expect(describeBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(describeBytes(2048)).toBe('2 KB');
    expect(describeBytes(1500)).toBe('1500 bytes');
    expect(describeBytes(1024 * 1024 + 1024)).toBe('1025 KB');
  });
});
