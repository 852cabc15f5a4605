// The signing key and certificate Pier signs SNS messages with. Generated once (RSA 2048) and kept
// in the SNS store, so signatures in queued envelopes still verify after a restart and every node
// on a shared database signs alike. SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA
// (SNS DG sns-verify-signature-of-message).
import { createPrivateKey, createPublicKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { SnsStore } from '../core/sns-store.js';
import { certificateHash, selfSignedCertificate } from './x509.js';

const generate = promisify(generateKeyPair);

// RSA signing costs ~0.3 ms a signature; a Publish signs once, so on the event loop it would be a
// large share of the publish path. signAsync() hands signatures to one worker thread, batched per
// turn of the event loop; if the worker fails, signing falls back to the calling thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const key = createPrivateKey(workerData);
parentPort.on('message', (batch) => {
  parentPort.postMessage(batch.map(([id, text, v]) => [id, sign(v === '2' ? 'sha256' : 'sha1', Buffer.from(text, 'utf8'), key).toString('base64')]));
});`;

type Pending = { resolve: (signature: string) => void; reject: (e: unknown) => void };

export class Signer {
  /** URL path the certificate is served at, e.g. /SimpleNotificationService-<hash>.pem. */
  readonly certificatePath: string;

  private worker: Worker | undefined;
  private workerFailed = false;
  private nextId = 0;
  private waiting = new Map<number, Pending>();
  private batch: [number, string, string][] = [];

  constructor(
    private readonly key: KeyObject,
    readonly certificatePem: string,
    private readonly privateKeyPem?: string,
  ) {
    this.certificatePath = `/SimpleNotificationService-${certificateHash(certificatePem)}.pem`;
  }

  /** Like sign(), off the event loop. */
  signAsync(stringToSign: string, version: string): Promise<string> {
    if (this.workerFailed || !this.privateKeyPem) return Promise.resolve(this.sign(stringToSign, version));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      if (this.batch.push([id, stringToSign, version]) === 1) queueMicrotask(() => this.flush());
    });
  }

  /** Ends the worker thread (pending signatures are made on this thread). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.workerFailed = true;
    await w?.terminate();
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    try {
      const w = this.ensureWorker();
      w.ref(); // held while signatures are pending, released when none are
      w.postMessage(batch);
    } catch {
      this.fallBack(batch);
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: this.privateKeyPem });
    w.on('message', (results: [number, string][]) => {
      for (const [id, signature] of results) {
        this.waiting.get(id)?.resolve(signature);
        this.waiting.delete(id);
      }
      if (this.waiting.size === 0) w.unref();
    });
    w.on('error', () => {
      this.workerFailed = true;
      this.worker = undefined;
      this.fallBack([...this.waiting.keys()].map((id) => [id, '', '']));
    });
    w.unref(); // after the listeners (adding a 'message' listener refs it again): idle, it keeps no process alive
    this.worker = w;
    return w;
  }

  /** Signs what the worker could not; entries with no text were lost in flight and are failed. */
  private fallBack(entries: [number, string, string][]): void {
    for (const [id, text, version] of entries) {
      const p = this.waiting.get(id);
      this.waiting.delete(id);
      if (!p) continue;
      if (text === '' && version === '') p.reject(new Error('signing worker failed'));
      else p.resolve(this.sign(text, version));
    }
  }

  certificateUrl(baseUrl: string): string {
    return `${baseUrl}${this.certificatePath}`;
  }

  /** Base64 signature of the string to sign. */
  sign(stringToSign: string, version: string): string {
    return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(stringToSign, 'utf8'), this.key).toString('base64');
  }

  /** The stored key, or a new one stored first (first writer wins if two nodes race). */
  static async load(store: SnsStore, nowMs: number): Promise<Signer> {
    let stored = await store.getSigningKey();
    if (!stored) {
      const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
      const certificatePem = selfSignedCertificate(privateKey, publicKey, 'sns.pier.local', nowMs, 3650);
      stored = await store.putSigningKey({ privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certificatePem });
    }
    const key = createPrivateKey(stored.privateKeyPem);
    createPublicKey(key); // fail early on a damaged key
    return new Signer(key, stored.certificatePem, stored.privateKeyPem);
  }
}
