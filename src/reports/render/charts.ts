import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { REPORT_FONTS } from '../../common/render/pdf-fonts.js';
import type { ReportSeries } from '../report-types.js';
import { monthLabel } from './labels.js';

/**
 * The report's charts, drawn server-side: a Vega-Lite spec per chart, compiled to Vega and
 * rendered headless to SVG (no canvas, no browser, no native build), then drawn into the PDF as
 * vectors by svg-to-pdfkit, so the chart's words stay text (searchable, any zoom).
 *
 * Text is set in DejaVu Sans, which has every Vietnamese letter, and Vega measures it with that
 * font's own advance widths (fontkit) instead of its rough 0.8 em-per-letter guess: labels get
 * the room they really need and the truncation of long procedure names falls where it should.
 */
export const CHART_FONT = { family: 'DejaVu Sans', regular: REPORT_FONTS.regular, bold: REPORT_FONTS.bold };

export const CHANNEL_COLORS = { 'Trực tuyến': '#1f6fb4', 'Trực tiếp': '#f28e2b', 'Bưu chính': '#8c8c8c' } as const;

let faces: { regular: fontkit.Font; bold: fontkit.Font } | undefined;
const face = (path: string): fontkit.Font => {
  const f = fontkit.create(readFileSync(path));
  return 'fonts' in f ? f.fonts[0] : f;
};
function measureWith(item: { fontSize?: number; fontWeight?: string | number; limit?: number }, text: string): number {
  faces ??= { regular: face(CHART_FONT.regular), bold: face(CHART_FONT.bold) };
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  const f = bold ? faces.bold : faces.regular;
  const width = (f.layout(text).advanceWidth / f.unitsPerEm) * size;
  // Vega's own measurers return the width of the text as truncated to its limit (an axis's
  // labelLimit): at most the limit, so a long procedure name takes no more room than that.
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
}
// Vega's own hook for a measurer when there is no canvas (see vega-scenegraph's widthGetter).
// (vega-scenegraph exports textMetrics; vega's typings leave it out.)
(vega as unknown as { textMetrics: { width: (item: object, text: string) => number } }).textMetrics.width = (item, text) =>
  measureWith(item as never, String(text ?? '').trim());

/** Vietnamese digit grouping and decimal comma for the axes (d3-format locale). */
const VI_LOCALE = { number: { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' ₫'] } };

const BASE_CONFIG = {
  font: CHART_FONT.family,
  locale: VI_LOCALE,
  background: 'white',
  view: { stroke: null },
  axis: {
    labelFontSize: 9,
    titleFontSize: 9.5,
    titleFontWeight: 'normal',
    titleColor: '#333',
    labelColor: '#333',
    gridColor: '#e4e4e4',
    domainColor: '#888',
    tickColor: '#888',
  },
  legend: { labelFontSize: 9, titleFontSize: 9.5, titleFontWeight: 'normal', orient: 'bottom', direction: 'horizontal', symbolType: 'square' },
} as const;

/** A Vega-Lite spec rendered to SVG text. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...BASE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Dossiers received per month by channel, stacked (online at the bottom). */
export function receivedByMonthSpec(series: ReportSeries, width: number, height: number): TopLevelSpec {
  const channels = Object.keys(CHANNEL_COLORS);
  const values = series.months.flatMap((m, i) => [
    { month: monthLabel(m.month), idx: i, channel: channels[0], order: 0, n: m.received.online },
    { month: monthLabel(m.month), idx: i, channel: channels[1], order: 1, n: m.received.counter },
    { month: monthLabel(m.month), idx: i, channel: channels[2], order: 2, n: m.received.postal },
  ]);
  return {
    width,
    height,
    data: { values },
    mark: { type: 'bar', width: { band: 0.7 } },
    encoding: {
      x: { field: 'month', type: 'ordinal', sort: { field: 'idx' }, title: null, axis: { labelAngle: 0 } },
      y: { field: 'n', type: 'quantitative', aggregate: 'sum', stack: 'zero', title: 'Số hồ sơ', axis: { format: ',d', tickMinStep: 1 } },
      color: { field: 'channel', type: 'nominal', title: 'Kênh tiếp nhận', scale: { domain: channels, range: Object.values(CHANNEL_COLORS) } },
      order: { field: 'order', type: 'quantitative' },
    },
  } as TopLevelSpec;
}

/** 2.1 month by month: a line with its points and their values; months with nothing due are left out. */
export function onTimeTrendSpec(series: ReportSeries, width: number, height: number): TopLevelSpec {
  const rateAt = (i: number) => series.months[i]?.onTimeRate ?? null;
  // A point lower than both its neighbours gets its value below it, clear of the lines rising from it.
  const values = series.months.map((m, i) => {
    const [prev, next] = [rateAt(i - 1), rateAt(i + 1)];
    const below = m.onTimeRate !== null && (prev ?? 1) >= m.onTimeRate && (next ?? 1) >= m.onTimeRate && (prev !== null || next !== null);
    return { month: monthLabel(m.month), idx: i, rate: m.onTimeRate, below };
  });
  const rates = values.map((v) => v.rate).filter((r): r is number => r !== null);
  // A trend near 100 % drawn on 0–100 % is a flat line: start the axis a little below the lowest month.
  const low = rates.length ? Math.max(0, Math.floor((Math.min(...rates) - 0.05) * 10) / 10) : 0;
  // Every month on the axis, in order, even one with nothing due (its point is left out).
  const x = { field: 'month', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0 }, scale: { domain: values.map((v) => v.month) } };
  const y = { field: 'rate', type: 'quantitative', title: 'Tỷ lệ đúng hạn', scale: { domain: [low, 1] }, axis: { format: '.0%' } };
  return {
    width,
    height,
    data: { values: values.filter((v) => v.rate !== null) },
    encoding: { x, y },
    layer: [
      { mark: { type: 'line', color: '#1f6fb4', strokeWidth: 2, point: { filled: true, size: 36, color: '#1f6fb4' } } },
      ...[false, true].map((below) => ({
        transform: [{ filter: below ? 'datum.below' : '!datum.below' }],
        mark: { type: 'text', dy: below ? 11 : -9, fontSize: 8.5, color: '#222' },
        encoding: { text: { field: 'rate', type: 'quantitative', format: '.1%' } },
      })),
    ],
  } as TopLevelSpec;
}

/** The ten procedures with the most overdue dossiers, as horizontal bars with their counts. */
export function overdueByProcedureSpec(series: ReportSeries, width: number, top = 10): TopLevelSpec {
  const values = series.overdueByProcedure
    .filter((p) => p.overdue > 0)
    .slice(0, top)
    .map((p, i) => ({ label: `${p.procedureName} (${p.procedureCode})`, idx: i, overdue: p.overdue }));
  const y = {
    field: 'label',
    type: 'nominal',
    sort: null,
    scale: { domain: values.map((v) => v.label) },
    title: null,
    axis: { labelLimit: 250, labelFontSize: 8.5 },
  };
  const x = { field: 'overdue', type: 'quantitative', title: 'Số hồ sơ quá hạn', axis: { format: ',d', tickMinStep: 1 } };
  return {
    width,
    height: { step: 18 } as never,
    data: { values },
    encoding: { y, x },
    layer: [
      { mark: { type: 'bar', color: '#d62728', height: { band: 0.7 } } },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 8.5, color: '#222' },
        encoding: { text: { field: 'overdue', type: 'quantitative', format: ',d' } },
      },
    ],
  } as TopLevelSpec;
}
