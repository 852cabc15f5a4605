// Counters with labels and the Prometheus text exposition (version 0.0.4). Gauges are read from
// a callback at scrape time, so queue depths are never stale or double-kept.
type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

export class Counter {
  private values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [labels, v] of this.values) lines.push(`${this.name}${labels} ${v}`);
    return lines.join('\n');
  }
}

export interface GaugeSample {
  labels: Labels;
  value: number;
}

export class Gauge {
  constructor(readonly name: string, readonly help: string) {}
  render(samples: GaugeSample[]): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const s of samples) lines.push(`${this.name}${labelText(s.labels)} ${s.value}`);
    return lines.join('\n');
  }
}
