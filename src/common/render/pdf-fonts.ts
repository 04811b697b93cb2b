import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The fonts of every PDF the service prints, in one place. DejaVu (the `dejavu-fonts-ttf`
 * package) covers every Vietnamese letter with its tone marks and ships as TrueType, which pdfkit
 * embeds (subsetted, with a ToUnicode map): the text reads the same on any machine, no system font
 * needed, and can be searched and copied.
 */
export interface PdfFontFaces {
  regular: string;
  bold: string;
  italic: string;
}

/** DejaVu Serif: the administrative forms (01–07) and the fee receipt. */
export const FORM_FONTS: PdfFontFaces = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif-Italic.ttf'),
};

/** DejaVu Sans: the province's report, whose tables and charts' labels suit the sans face. */
export const REPORT_FONTS: PdfFontFaces = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
};

/** Registers the three faces under the names 'regular', 'bold' and 'italic'. */
export function registerPdfFonts(doc: PDFKit.PDFDocument, fonts: PdfFontFaces): void {
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.registerFont('italic', fonts.italic);
}
