// Worker thread: WAL checkpoints on its own connection, off the request path (the main connection
// runs with wal_autocheckpoint=0). PASSIVE never blocks the writer; TRUNCATE, which briefly does,
// runs only when the WAL file has grown past a threshold and the passive pass caught up.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointOptions {
  file: string;
  intervalMs: number;
  truncateAboveBytes: number;
}

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

const { file, intervalMs, truncateAboveBytes } = workerData as CheckpointOptions;
const db = new Database(file);
db.pragma('busy_timeout = 100'); // TRUNCATE waits briefly for the writer, then retries next interval
db.pragma('synchronous = FULL');

function walBytes(): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

function checkpoint(): void {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
    if (row && row.busy === 0 && row.log === row.checkpointed && walBytes() > truncateAboveBytes) {
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
  } catch (error) {
    parentPort?.postMessage({ error: String(error) });
  }
}

const timer = setInterval(checkpoint, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
