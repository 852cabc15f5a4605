// The flash sale with its inventory database on a real PostgreSQL 15 (a throwaway cluster from
// Debian's binaries, on 127.0.0.1 and a free port, removed afterwards): through Pier nothing is
// oversold and every accepted order is settled exactly once; the coupled shop runs on a pg.Pool.
// The binaries are required (.ci/run installs the `postgresql` package): missing, the test fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runFlashSale } from '../../examples/inventory-sync/src/flash-sale.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BIN = '/usr/lib/postgresql/15/bin';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** A throwaway cluster: initdb into a temp dir, pg_ctl start on 127.0.0.1:port, socket in the temp dir. */
async function startCluster(): Promise<{ url: string; stop: () => void }> {
  for (const b of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(BIN, b))) {
      throw new Error(`${join(BIN, b)} not found: this test needs PostgreSQL 15's server binaries (apt-get install postgresql; .ci/run installs it)`);
    }
  }
  const root = mkdtempSync(join(tmpdir(), 'pier-demo-pg-'));
  const data = join(root, 'data');
  // initdb refuses to run as root: run the binaries as the `postgres` user, owner of the temp dir.
  const asRoot = process.getuid?.() === 0;
  let as: string[] = [];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
    as = ['runuser', '-u', 'postgres', '--'];
  }
  const run = (bin: string, args: string[]) => {
    const cmd = [...as, join(BIN, bin), ...args];
    return execFileSync(cmd[0], cmd.slice(1), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };
  const stop = () => {
    try {
      if (existsSync(join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    if (!asRoot) mkdirSync(data, { mode: 0o700 });
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${root} -c fsync=off -c max_connections=50`;
    try {
      run('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-w', '-t', '60', '-o', opts, 'start']);
    } catch (e) {
      const log = existsSync(join(root, 'server.log')) ? readFileSync(join(root, 'server.log'), 'utf8') : '';
      throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${log}`);
    }
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

test('flash sale on PostgreSQL, 1,500 orders: 0 oversold through Pier, every order settled once', { timeout: 180_000 }, async () => {
  const pg = await startCluster();
  const out = mkdtempSync(join(tmpdir(), 'pier-demo-pg-sale-'));
  const lines: string[] = [];
  try {
    const { runs } = await runFlashSale({
      orders: 1500,
      rate: 500,
      skus: 8,
      poison: 0.003,
      stockRatio: 0.3,
      maxInProgress: 1_000_000,
      inventoryDb: pg.url,
      out,
      progress: false,
      log: (l) => lines.push(l),
    });
    const text = lines.join('\n');
    const [coupled, pier] = runs;

    // Through Pier: the consumer's transactions on PostgreSQL.
    assert.equal(pier.mode, 'pier');
    assert.equal(pier.oversold, 0, text);
    assert.equal(pier.drift, 0, text);
    assert.equal(pier.errors, 0, text);
    assert.equal(pier.accepted, 1500);
    assert.equal(pier.missing, 0);
    assert.equal(pier.unexpected, 0);
    assert.equal(pier.applied + pier.rejected, pier.accepted);
    assert.ok(pier.settledExactlyOnce, text);
    assert.ok(pier.rejected > 0, 'stock ran out: later orders were rejected, not oversold');
    assert.ok(pier.dbTransactions > 0 && pier.dbTransactions < pier.accepted, `one transaction per batch: ${pier.dbTransactions}`);
    assert.ok(pier.poisonAccepted > 0 && pier.redriven === pier.dlq, 'poison orders went through the DLQ and were redriven');
    assert.equal(pier.fanout!.points, pier.applied);
    assert.equal(pier.warnings.length, 0, pier.warnings.join('; '));
    assert.match(text, /^oversold units: 0 \(pier\)$/m);

    // The coupled shop wrote through its pg.Pool: every order it took is in the orders table.
    assert.equal(coupled.mode, 'coupled');
    assert.ok(coupled.accepted > 0);
    assert.equal(coupled.missing, 0);
    assert.ok(coupled.dbTransactions > 0);
    assert.match(text, /^oversold units: \d+ \(coupled\)$/m);

    // Nothing was written to a SQLite inventory file.
    assert.ok(!existsSync(join(out, 'pier', 'inventory.db')) && !existsSync(join(out, 'coupled', 'inventory.db')));
  } finally {
    rmSync(out, { recursive: true, force: true });
    pg.stop();
  }
});
