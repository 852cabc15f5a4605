// A minimal HTTP/1.1 client over a plain TCP socket, so golden fixtures send exactly the bytes
// they describe (invalid UTF-8, lying Content-Length, chunked bodies) with no client library
// rewriting anything. Reads one response (Content-Length or chunked) and closes the socket.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  /** Header names as written; sent in this order. */
  headers: [string, string][];
  body: Buffer;
  /** Send the body with Transfer-Encoding: chunked (in 64 KiB chunks). */
  chunked?: boolean;
  /** Send only the head, never the body (for a declared-but-unsent Content-Length). */
  headOnly?: boolean;
}

export interface RawResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export function rawRequest(port: number, req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (error: Error | undefined, res?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(res!);
    };
    // A safety net only (a hung server must not hang the suite); no assertion depends on time.
    const timer = setTimeout(() => finish(new Error(`no complete response within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const res = parseResponse(received);
      if (res) finish(undefined, res);
    });
    socket.on('end', () => finish(new Error(`connection closed before a complete response (${received.length} bytes read)`)));
    // The server may answer and close while a too-large body is still being written.
    socket.on('error', (e) => {
      const res = parseResponse(received);
      finish(res ? undefined : e, res);
    });
    socket.on('connect', () => {
      const head = `${req.method} ${req.path} HTTP/1.1\r\n` + req.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
      socket.write(head, 'latin1');
      if (req.headOnly) return;
      if (!req.chunked) {
        if (req.body.length) socket.write(req.body);
        return;
      }
      for (let i = 0; i < req.body.length && !done; i += 65_536) {
        const part = req.body.subarray(i, i + 65_536);
        socket.write(`${part.length.toString(16)}\r\n`);
        socket.write(part);
        socket.write('\r\n');
      }
      if (!done) socket.write('0\r\n\r\n');
    });
  });
}

/** One complete response from the bytes read so far, or undefined when more are needed. */
export function parseResponse(buf: Buffer): RawResponse | undefined {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lines = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1]);
  if (!status) throw new Error(`not an HTTP response: ${lines[0]}`);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const rest = buf.subarray(headEnd + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const body = dechunk(rest);
    return body && { status, headers, body };
  }
  const length = Number(headers['content-length'] ?? 0);
  return rest.length >= length ? { status, headers, body: rest.subarray(0, length) } : undefined;
}

function dechunk(buf: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return buf.indexOf('\r\n', lineEnd + 2) < 0 ? undefined : Buffer.concat(parts);
    if (buf.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
