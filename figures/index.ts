// The figure layer: FigureSpec (plain data) → SVG, PDF, pgfplots (.tex + .csv) and caption.
// Heavy (vega, pdfkit): import it dynamically, only from commands that draw figures.
// Builders that only construct FigureSpecs should import "./types.js" instead.

export type { AxisSpec, Band, FigureSpec, Label, LegendPlacement, LineStyle, ScaleKind, Series, VLine } from "./types.js";
export { renderSvg } from "./svg.js";
export { renderPdf } from "./pdf.js";
export { renderPgfplots, type PgfplotsOutput } from "./pgfplots.js";
export { renderCaption } from "./caption.js";
export { writeFigure, FIGURE_EXTENSIONS } from "./write.js";
