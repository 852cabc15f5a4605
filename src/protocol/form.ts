// application/x-www-form-urlencoded parsing that refuses invalid percent-encoded UTF-8 instead of
// silently turning it into U+FFFD (URLSearchParams would), so a bad byte never reaches a queue.
import { err } from '../core/errors.js';

export function parseForm(text: string, into = new Map<string, string>()): Map<string, string> {
  if (!text) return into;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    into.set(decode(rawKey), decode(rawValue));
  }
  return into;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw err('InvalidParameterValue', 'The request contains malformed percent-encoding or invalid UTF-8.');
  }
}
