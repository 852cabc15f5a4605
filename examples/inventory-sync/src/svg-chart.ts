// A dependency-free SVG line chart for the HTML report: axes with round ticks, a legend, and gaps
// where a series has no value (NaN).

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** About five round tick values covering 0..max. */
function ticks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v: number) => (v >= 10_000 ? `${v / 1000}k` : String(v));

export function lineChart(o: ChartOptions): string {
  const W = o.width ?? 760;
  const H = o.height ?? 260;
  const m = { l: 64, r: 16, t: 44, b: 40 };
  const finite = o.series.flatMap((s) => s.points.filter((p) => Number.isFinite(p[1])));
  const xTicks = ticks(Math.max(1, ...finite.map((p) => p[0])));
  const yTicks = ticks(Math.max(0, ...finite.map((p) => p[1])));
  const xMax = xTicks[xTicks.length - 1];
  const yMax = yTicks[yTicks.length - 1];
  const x = (v: number) => m.l + (v / xMax) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / yMax) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="11">`,
    `<text x="${m.l}" y="16" font-size="13" font-weight="600">${esc(o.title)}</text>`,
  ];
  for (const t of yTicks) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y(t) + 4}" text-anchor="end" fill="#555">${label(t)}</text>`);
  }
  for (const t of xTicks) parts.push(`<text x="${x(t)}" y="${H - m.b + 16}" text-anchor="middle" fill="#555">${label(t)}</text>`);
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#888"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle" fill="#333">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(o.yLabel)}</text>`);
  let lx = m.l;
  for (const s of o.series) {
    // One path, broken where values are missing.
    let d = '';
    let pen = false;
    for (const [px, py] of s.points) {
      if (!Number.isFinite(py)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`;
      pen = true;
    }
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash}/>`);
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="28" y2="28" stroke="${s.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${lx + 22}" y="32" fill="#333">${esc(s.name)}</text>`);
    lx += 30 + s.name.length * 6.2;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
