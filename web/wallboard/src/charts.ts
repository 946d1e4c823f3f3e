/**
 * The wallboard's two charts as inline SVG (no library, nothing fetched): bars of calls per
 * quarter hour of the day, and the customers waiting over the last hour as a step line. They
 * scale with their box (viewBox); the shapes come from chart-geometry.ts.
 */
import { bars, niceMax, stepPath, type Box } from './chart-geometry.js';
import { HOUR_MS, type Sample } from './series.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Room for the axis labels, in viewBox units. */
const LEFT = 36;
const RIGHT = 18;
const BOTTOM = 22;
const TOP = 8;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number>>, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

function frame(box: Box, label: string, top: number): { root: SVGSVGElement; plot: SVGGElement; inner: Box } {
  const inner = { width: box.width - LEFT - RIGHT, height: box.height - BOTTOM - TOP };
  const root = svg('svg', { viewBox: `0 0 ${box.width} ${box.height}`, role: 'img', 'aria-label': label, class: 'chart' });
  const plot = svg('g', { transform: `translate(${LEFT},${TOP})` });
  root.append(
    svg('line', { x1: LEFT, y1: TOP + inner.height, x2: LEFT + inner.width, y2: TOP + inner.height, class: 'axis' }),
    svg('line', { x1: LEFT, y1: TOP + inner.height / 2, x2: LEFT + inner.width, y2: TOP + inner.height / 2, class: 'grid' }),
    svg('text', { x: LEFT - 6, y: TOP + 4, class: 'tick', 'text-anchor': 'end' }, String(top)),
    svg('text', { x: LEFT - 6, y: TOP + inner.height, class: 'tick', 'text-anchor': 'end' }, '0'),
    plot,
  );
  return { root, plot, inner };
}

/** Calls per quarter hour, 00:00 to 24:00 of the server's day; the quarter now stands out. */
export function callsChart(values: readonly number[], nowQuarter: number | undefined, box: Box, label: string): SVGSVGElement {
  const top = niceMax(Math.max(0, ...values));
  const { root, plot, inner } = frame(box, label, top);
  for (const [i, b] of bars(values, inner, top).entries()) {
    if (b.value === 0) continue;
    plot.append(svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height, class: i === nowQuarter ? 'bar now' : 'bar', 'data-quarter': i, 'data-value': b.value }));
  }
  for (let hour = 0; hour <= 24; hour += 3) {
    const x = LEFT + (hour / 24) * inner.width;
    root.append(svg('text', { x, y: box.height - 5, class: 'tick', 'text-anchor': 'middle' }, `${String(hour).padStart(2, '0')}:00`));
  }
  return root;
}

/** Customers waiting from an hour ago to now. */
export function waitingChart(samples: readonly Sample[], now: number, box: Box, label: string, ends: { hourAgo: string; now: string }): SVGSVGElement {
  const top = niceMax(Math.max(0, ...samples.map((s) => s.waiting)));
  const { root, plot, inner } = frame(box, label, top);
  const d = stepPath(samples, now - HOUR_MS, now, inner, top);
  if (d !== '') plot.append(svg('path', { d, class: 'level' }));
  root.append(
    svg('text', { x: LEFT, y: box.height - 5, class: 'tick', 'text-anchor': 'start' }, ends.hourAgo),
    svg('text', { x: LEFT + inner.width, y: box.height - 5, class: 'tick', 'text-anchor': 'end' }, ends.now),
  );
  return root;
}
