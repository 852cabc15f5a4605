// What core needs from the outside world, injected by server.ts (or a test). Core never reads
// the clock, the random source or a hash library itself, so every rule runs on a manual clock.

/** Milliseconds since the epoch. Tests move a manual clock; the server passes Date.now. */
export interface Clock {
  now(): number;
}

/** A cancellable one-shot timer; see core/scheduler.ts for the single heap behind it. */
export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler extends Clock {
  /** Run `fn` once the clock reaches `atMs`. */
  at(atMs: number, fn: () => void): TimerHandle;
}

export interface Crypto {
  uuid(): string;
  /** Lowercase hex MD5 of the bytes. */
  md5Hex(bytes: Uint8Array): string;
  /** Lowercase hex SHA-256 of the bytes. */
  sha256Hex(bytes: Uint8Array): string;
  /** Short random string for receipt handles (unguessable, url-safe). */
  randomToken(): string;
}
