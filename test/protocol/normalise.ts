// Replaces the parts of a response that differ on every run with placeholders, so golden files
// can compare everything else exactly. Order matters: values a fixture captured become their
// own names first ({{m1}}, and the response's own request id {{request-id}}), so identity across
// requests stays visible; then receipt handles, other UUIDs and plausible epoch timestamps
// become generic placeholders.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SECONDS_ATTRS = ['CreatedTimestamp', 'LastModifiedTimestamp'];
const MILLIS_ATTRS = ['SentTimestamp', 'ApproximateFirstReceiveTimestamp', 'StartedTimestamp'];
const DAY_MS = 86_400_000;

export interface NormaliseOptions {
  /** Captured name → raw value; each occurrence of the value becomes {{name}}. */
  captured: ReadonlyMap<string, string>;
  /** "Now" for the plausibility check of timestamps (a far-off number is left as it is). */
  nowMs: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function normalise(text: string, opts: NormaliseOptions): string {
  let out = text;
  // Longest first, so a value that contains another captured value is replaced whole.
  const captured = [...opts.captured].filter(([, v]) => v.length > 0).sort((a, b) => b[1].length - a[1].length);
  for (const [name, value] of captured) out = out.replace(new RegExp(escapeRegExp(value), 'g'), `{{${name}}}`);

  out = out.replace(/("ReceiptHandle":")((?:[^"\\]|\\.)+)(")/g, (m, a, v, b) => (v.startsWith('{{') ? m : `${a}{{receipt-handle}}${b}`));
  out = out.replace(/(<ReceiptHandle>)([^<]+)(<\/ReceiptHandle>)/g, (m, a, v, b) => (v.startsWith('{{') ? m : `${a}{{receipt-handle}}${b}`));
  out = out.replace(UUID, '{{uuid}}');

  const stamp = (names: string[], unitMs: number, placeholder: string) => {
    const alt = names.join('|');
    const plausible = (digits: string) => Math.abs(Number(digits) * unitMs - opts.nowMs) <= DAY_MS;
    const swap = (m: string, a: string, v: string, b: string) => (plausible(v) ? `${a}${placeholder}${b}` : m);
    // JSON: "Name":"123" (attribute maps) or "Name":123 (move-task entries).
    out = out.replace(new RegExp(`("(?:${alt})":"?)(\\d+)("?)`, 'g'), swap);
    // XML: <Attribute><Name>Name</Name><Value>123</Value> and <Name>123</Name> elements.
    out = out.replace(new RegExp(`(<Name>(?:${alt})</Name><Value>)(\\d+)(</Value>)`, 'g'), swap);
    out = out.replace(new RegExp(`(<(?:${alt})>)(\\d+)(</(?:${alt})>)`, 'g'), swap);
  };
  stamp(SECONDS_ATTRS, 1000, '{{epoch-s}}');
  stamp(MILLIS_ATTRS, 1, '{{epoch-ms}}');
  return out;
}

/** The n-th (1-based) value of a field in a JSON or XML body, for captures: "ReceiptHandle#2". */
export function captureField(body: string, spec: string): string | undefined {
  const [field, nth] = spec.split('#');
  const index = nth ? Number(nth) - 1 : 0;
  const name = escapeRegExp(field);
  const json = [...body.matchAll(new RegExp(`"${name}":"((?:[^"\\\\]|\\\\.)*)"`, 'g'))].map((m) => JSON.parse(`"${m[1]}"`) as string);
  const xml = [...body.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => unescapeXml(m[1]));
  return (json.length ? json : xml)[index];
}

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#xD);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#xD': '\r' })[e]!);
}
