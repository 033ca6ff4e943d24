// Minimal type declarations for the untyped packages the figure layer uses (only the calls
// made here), so strict tsc accepts them without `any` leaking into the renderer.

declare module "fontkit" {
  export interface GlyphRun {
    advanceWidth: number;
  }
  export interface BBox {
    minX: number;
    minY: number;
    maxX: number;
    maxY: number;
  }
  export interface Glyph {
    id: number;
    advanceWidth: number;
    bbox: BBox;
  }
  export interface Font {
    unitsPerEm: number;
    ascent: number;
    descent: number;
    postscriptName: string;
    xHeight: number;
    italicAngle: number;
    glyphForCodePoint(codePoint: number): Glyph;
    layout(text: string): GlyphRun;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}

declare module "svg-to-pdfkit" {
  export interface SvgToPdfOptions {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    assumePt?: boolean;
    precision?: number;
    fontCallback?: (family: string, bold: boolean, italic: boolean, fontOptions: Record<string, unknown>) => string;
    warningCallback?: (message: string) => void;
  }
  export default function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x?: number,
    y?: number,
    options?: SvgToPdfOptions,
  ): void;
}
