// A local HTTP endpoint standing in for an SNS subscriber: records every POST and lets a test
// await the next one (no sleeps), answering with a status the test chooses. `verify` checks an
// SNS message signature the way subscribers do: fetch SigningCertURL, rebuild the canonical
// string, verify SHA1withRSA / SHA256withRSA (SNS DG sns-verify-signature-of-message).
import { createVerify, X509Certificate } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

export interface Endpoint {
  url: string;
  received: Received[];
  /** Resolves with the n-th request (1-based) once it has arrived. */
  nth(n: number): Promise<Received>;
  /** What to answer next; default 200. Returning 'hang' never answers. */
  respond: (r: Received) => number | 'hang';
  close(): Promise<void>;
}

export async function startEndpoint(path = '/sns', port = 0): Promise<Endpoint> {
  const received: Received[] = [];
  const waiters: { n: number; resolve: (r: Received) => void }[] = [];
  const hanging: (() => void)[] = [];
  const ep: Partial<Endpoint> = { received, respond: () => 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '' };
      received.push(r);
      for (const w of waiters.filter((w) => w.n <= received.length)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(received[w.n - 1]!);
      }
      const status = ep.respond!(r);
      if (status === 'hang') hanging.push(() => res.destroy());
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return Object.assign(ep, {
    url: `http://127.0.0.1:${bound}${path}`,
    nth: (n: number) => (received.length >= n ? Promise.resolve(received[n - 1]!) : new Promise<Received>((resolve) => waiters.push({ n, resolve }))),
    close: async () => {
      for (const h of hanging) h();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as Endpoint;
}

const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

/** True when the message's signature verifies against the certificate at its SigningCertURL. */
export async function verify(message: Record<string, string>): Promise<boolean> {
  const pem = await (await fetch(message.SigningCertURL!)).text();
  const keys = message.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  const canonical = keys.filter((k) => message[k] !== undefined).map((k) => `${k}\n${message[k]}\n`).join('');
  const algorithm = message.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  return createVerify(algorithm).update(canonical, 'utf8').verify(new X509Certificate(pem).publicKey, message.Signature!, 'base64');
}
