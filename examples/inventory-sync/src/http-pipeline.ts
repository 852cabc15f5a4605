// A minimal pipelined HTTP/1.1 client for the load generator (as wrk-style tools do): requests are
// written back to back on a few keep-alive connections and answers matched in order. It costs a
// fraction of node:http's CPU per request, which matters when the load generator shares the
// machine with the system under test. Only what POSTing JSON to our own service needs.
import { connect, type Socket } from 'node:net';

export type Done = (status: number) => void;

interface Conn {
  socket: Socket;
  pending: { done: Done; sentAt: number }[];
  buf: Buffer;
  closed: boolean;
}

export class PipelinedClient {
  private readonly conns: Conn[] = [];
  private next = 0;
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly connections = 32,
    private readonly timeoutMs = 10_000,
  ) {
    for (let i = 0; i < connections; i++) this.conns.push(this.open());
    // A connection whose oldest request is overdue is dropped: its requests fail (status 0).
    this.sweep = setInterval(() => {
      const now = performance.now();
      this.conns.forEach((c, i) => {
        if (c.pending.length && now - c.pending[0].sentAt > this.timeoutMs) this.fail(i, c);
      });
    }, 250);
  }

  private open(): Conn {
    const socket = connect(this.port, this.host);
    socket.setNoDelay(true);
    const c: Conn = { socket, pending: [], buf: Buffer.alloc(0), closed: false };
    socket.on('data', (d: Buffer) => this.read(c, d));
    const lost = () => this.fail(this.conns.indexOf(c), c);
    socket.on('error', lost);
    socket.on('close', lost);
    return c;
  }

  private fail(i: number, c: Conn): void {
    if (c.closed) return;
    c.closed = true;
    c.socket.destroy();
    for (const p of c.pending.splice(0)) p.done(0);
    if (i >= 0) this.conns[i] = this.open();
  }

  /** Parses as many complete answers as the buffer holds (Content-Length bodies only). */
  private read(c: Conn, d: Buffer): void {
    c.buf = c.buf.length ? Buffer.concat([c.buf, d]) : d;
    for (;;) {
      const end = c.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = c.buf.toString('latin1', 0, end);
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const total = end + 4 + (m ? Number(m[1]) : 0);
      if (c.buf.length < total) return;
      c.buf = c.buf.subarray(total);
      const status = Number(head.slice(9, 12));
      c.pending.shift()?.done(status);
    }
  }

  /** Queues a POST; writes made in one tick go out together (the sockets are corked by `batch`). */
  post(path: string, body: string, done: Done): void {
    const c = this.conns[this.next];
    this.next = (this.next + 1) % this.connections;
    c.pending.push({ done, sentAt: performance.now() });
    c.socket.write(`POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** Runs `f` with every socket corked, so its posts leave in one write per connection. */
  batch(f: () => void): void {
    const corked = this.conns.map((c) => c.socket);
    corked.forEach((s) => s.cork());
    try {
      f();
    } finally {
      corked.forEach((s) => s.uncork());
    }
  }

  close(): void {
    clearInterval(this.sweep);
    for (const c of this.conns) {
      c.closed = true;
      c.socket.destroy();
    }
  }
}
