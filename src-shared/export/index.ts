// Exports for design reviews (product.md, journey step 7): the diagram as SVG (and PNG from it), Mermaid text and a
// self-contained HTML report. Pure: the command line and the studio's Export dialog call the same functions.
export { designToSvg, svgSize, THEMES, type ExportTheme, type SvgOptions, type ThemeName } from './svg';
export { designToMermaid, type MermaidOptions } from './mermaid';
export { designReportHtml, type ReportCdf, type ReportInput, type ReportRun } from './report';
export { runWarmupNs, spanText, warmupClause, type RunSpanSource } from './runSpan';
