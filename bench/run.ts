// `npm run bench`: starts a durable (SQLite) Pier and a bare node:http baseline, each in its own
// child process, drives both with the same request patterns from this process, prints a markdown
// table and writes it with the raw numbers to bench/results/.
// Flags: --quick (short runs), --only a,b,c,d,s,q (q: FIFO, bench/fifo-bench.ts; f: functions vs sqs-consumer, opt-in), --prof (CPU-profile the Pier child), --connections N,
// --producers N (of the connections, for the pipeline; default a quarter), --storage memory
// (diagnostics: Pier without SQLite).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, deleteBatchBody, parseReceive, sendBatchTemplate, sendTemplate } from './load.js';
import { drain, paced, pipeline, sendBatch, type Result, type Target, type Timing } from './scenarios.js';
import { round } from './stats.js';
import { snsFanout } from './sns-fanout.js';
import { functionsBench } from './functions-bench.js';
import { fifoBench } from './fifo-bench.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'a,b,c,d,s,q' }, // s: SNS fan-out (bench/sns-fanout.ts); q: FIFO (bench/fifo-bench.ts)
    prof: { type: 'boolean', default: false },
    connections: { type: 'string', default: '16' },
    producers: { type: 'string' },
    storage: { type: 'string', default: 'sqlite' }, // memory: diagnostics only (not durable)
  },
});
const C = Number(flags.connections);
const only = new Set(flags.only.split(','));
if (only.has('b')) only.add('a'); // b drains the backlog a leaves
const scale = flags.quick ? 0.25 : 1;
const timing = (warmMs: number, durationMs: number): Timing => ({ warmMs: warmMs * scale, durationMs: durationMs * scale });
const RATE = 1000;
const TARGET_E2E = 15_000;
const TARGET_P99_MS = 5;

const root = fileURLToPath(new URL('../..', import.meta.url));
const resultsDir = join(root, 'bench', 'results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');

interface Child {
  port: number;
  /** CPU seconds (user + system) the child has used so far; NaN where /proc is unavailable. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  } catch {
    return 100;
  }
})();

function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime
  } catch {
    return NaN;
  }
}

/** Spawns a node script that prints `listening on http://HOST:PORT`; stderr and later stdout go to our stderr. */
function spawnServer(label: string, nodeArgs: string[]): Promise<Child> {
  const proc: ChildProcess = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /listening on http:\/\/[^\s]+:(\d+)/.exec(buffered);
      if (!m) return;
      proc.stdout!.off('data', onData);
      proc.stdout!.pipe(process.stderr);
      const exited = new Promise<void>((done) => proc.once('exit', () => done()));
      resolve({
        port: Number(m[1]),
        cpuSeconds: () => cpuSecondsOf(proc.pid),
        stop: async () => {
          proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        },
      });
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${label} exited (${code}) before listening: ${buffered}`)));
  });
}

/** Creates the bench queues and captures one real Pier response per action for the baseline. */
async function prepare(port: number): Promise<{ queues: Target['queues']; canned: Record<string, string> }> {
  const client = new Client(port, 1);
  const url = async (name: string) => (await client.must('CreateQueue', { QueueName: name })).QueueUrl as string;
  const queues = { batch: await url('bench-batch'), pipeline: await url('bench-pipeline'), single: await url('bench-single') };
  const calib = await url('bench-calibration');
  const canned: Record<string, string> = {};
  const capture = async (action: string, body: Buffer) => {
    const r = await client.call(action, body);
    if (r.status !== 200) throw new Error(`calibration ${action} → HTTP ${r.status}: ${r.body.toString()}`);
    canned[action] = r.body.toString();
    return r;
  };
  await capture('SendMessage', sendTemplate(calib).render());
  for (let i = 0; i < 3; i++) await capture('SendMessageBatch', sendBatchTemplate(calib).render());
  let handles: string[] = [];
  for (let i = 0; i < 5 && handles.length < 10; i++) {
    handles = parseReceive((await capture('ReceiveMessage', Buffer.from(JSON.stringify({ QueueUrl: calib, MaxNumberOfMessages: 10 })))).body).handles;
  }
  if (handles.length < 10) throw new Error(`calibration: ReceiveMessage returned ${handles.length} messages, not 10`);
  await capture('DeleteMessageBatch', deleteBatchBody(calib, handles));
  client.close();
  return { queues, canned };
}

interface Row {
  scenario: string;
  pier: Result;
  baseline: Result;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '—');
const cpu = (r: Result) => (typeof r.detail.serverCpuUsPerMessage === 'number' ? r.detail.serverCpuUsPerMessage.toFixed(0) : '—');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');

function table(rows: Row[], notes: string[]): string {
  const lines = [
    '| scenario | Pier msgs/s | p50 ms | p99 ms | baseline msgs/s | baseline p50 ms | baseline p99 ms | Pier/baseline | server CPU µs/msg Pier / baseline |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { scenario, pier, baseline } of rows) {
    const open = scenario.startsWith('d');
    const ratio = open
      ? `${(pier.latency.p99 / baseline.latency.p99).toFixed(2)}× p99`
      : `${(pier.msgsPerSec / baseline.msgsPerSec).toFixed(2)}× msgs/s`;
    lines.push(
      `| ${scenario} | ${fmt(pier.msgsPerSec)} | ${ms(pier.latency.p50)} | ${ms(pier.latency.p99)} | ` +
        `${fmt(baseline.msgsPerSec)} | ${ms(baseline.latency.p50)} | ${ms(baseline.latency.p99)} | ${ratio} | ` +
        `${cpu(pier)} / ${cpu(baseline)} |`,
    );
  }
  return [...lines, '', ...notes.map((n) => `- ${n}`)].join('\n');
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'pier-bench-'));
  const profDir = join(resultsDir, `prof-${stamp}`);
  const pierArgs = [
    ...(flags.prof ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
    join(root, 'dist/src/cli/main.js'),
    'serve',
    '--port', '0',
    '--data-dir', dataDir,
    '--storage', flags.storage,
    '--log-level', 'warn',
  ];
  const children: Child[] = [];
  process.once('SIGINT', () => {
    for (const c of children) void c.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
  try {
    const pierProc = await spawnServer('pier', pierArgs);
    children.push(pierProc);
    const { queues, canned } = await prepare(pierProc.port);
    const cannedFile = join(dataDir, 'baseline-canned.json');
    writeFileSync(cannedFile, JSON.stringify(canned));
    const baseProc = await spawnServer('baseline', [join(root, 'dist/bench/baseline-server.js'), cannedFile]);
    children.push(baseProc);
    const pier: Target = { name: 'pier', port: pierProc.port, queues, realMessages: true };
    const base: Target = { name: 'baseline', port: baseProc.port, queues, realMessages: false };

    const P = flags.producers ? Number(flags.producers) : C / 4; // consumers do 2 requests per batch
    const K = C - P;
    const scenarios: [string, string, (t: Target) => Promise<Result>][] = [
      ['a', `a) SendMessageBatch(10), ${C} conns`, (t) => sendBatch(t, C, timing(1000, 6000))],
      ['b', `b) ReceiveMessage(10)+DeleteMessageBatch, ${C} conns`, (t) => drain(t, C, timing(500, 6000))],
      ['c', `c) pipeline ${P} producers + ${K} consumers (wait 1 s), send→receive`, (t) => pipeline(t, P, K, timing(1000, 7000))],
      ['d', `d) SendMessage at ${fmt(RATE)}/s offered (open loop)`, (t) => paced(t, RATE, C, timing(1000, 5000))],
    ];
    const rows: Row[] = [];
    /** Runs one side and adds the server child's CPU cost per message (robust to a busy machine). */
    const measured = async (t: Target, child: Child, run: (t: Target) => Promise<Result>) => {
      const cpu0 = child.cpuSeconds();
      const r = await run(t);
      const cpu = child.cpuSeconds() - cpu0;
      const messages = Number(r.detail.allMessages); // warm-up included, as the CPU time is
      r.detail.serverCpuSeconds = round(cpu, 2);
      r.detail.serverCpuUsPerMessage = messages > 0 ? round((cpu * 1e6) / messages, 1) : null;
      return r;
    };
    for (const [key, scenario, run] of scenarios) {
      if (!only.has(key)) continue;
      process.stderr.write(`${scenario}: pier…`);
      const p = await measured(pier, pierProc, run);
      await new Promise((r) => setTimeout(r, 300));
      process.stderr.write(` ${fmt(p.msgsPerSec)} msgs/s; baseline…`);
      const b = await measured(base, baseProc, run);
      process.stderr.write(` ${fmt(b.msgsPerSec)} msgs/s\n`);
      rows.push({ scenario, pier: p, baseline: b });
      await new Promise((r) => setTimeout(r, 300));
    }

    const e2e = rows.find((r) => r.scenario.startsWith('c'))?.pier;
    const single = rows.find((r) => r.scenario.startsWith('d'))?.pier;
    const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : 'NOT met');
    const errors = rows.flatMap((r) => [r.pier, r.baseline].filter((x) => x.errors > 0).map((x) => `${r.scenario}: ${x.errors} errors, first: ${x.firstError}`));
    const storageNote = flags.storage === 'sqlite' ? 'SQLite storage, fsync before acknowledging (durable)' : `${flags.storage} storage (NOT durable; diagnostics)`;
    const notes = [
      `Target end-to-end ≥ ${fmt(TARGET_E2E)} msgs/s durable (row c, Pier): ${verdict(e2e && e2e.msgsPerSec >= TARGET_E2E)}.`,
      `Target p99 SendMessage ≤ ${TARGET_P99_MS} ms at ${fmt(RATE)} msgs/s offered (row d, Pier): ${verdict(single && single.latency.p99 <= TARGET_P99_MS)}.`,
      'Server CPU µs/msg: user+system CPU of the server process over the scenario (warm-up included) per message; steadier than msgs/s on a shared machine.',
      'Latency: request round trip for a, b (receive and delete pooled), d (from dispatch); send→receive per message for Pier in c (baseline c: receive round trip).',
      `Pier: ${storageNote}, its own process; baseline: bare node:http answering canned responses of the sizes Pier gave; load generator in this process.`,
      `Machine: ${cpus().length}× ${cpus()[0]?.model.trim()}, node ${process.version}; 1-min load average ${loadAtStart.toFixed(1)} at start, ` +
        `${loadavg()[0]!.toFixed(1)} at end (other work on the machine skews every number); message bodies 128 bytes; b stops early once the queue a filled is drained.`,
      ...(errors.length ? [`ERRORS — ${errors.join('; ')}`] : []),
    ];
    const fanout = only.has('s') ? await snsFanout(pierProc.port, C, 1000 * scale, 6000 * scale) : undefined;
    const fifo = only.has('q') ? await fifoBench(pierProc.port, { connections: C, scale }) : undefined;
    const md = (rows.length ? table(rows, notes) : notes.slice(-2).map((n) => `- ${n}`).join('\n')) + (fanout ? `\n\n${fanout.markdown}` : '') + (fifo ? `\n\n${fifo.markdown}` : '');
    process.stdout.write(`\n${md}\n`);
    mkdirSync(resultsDir, { recursive: true });
    const base_ = join(resultsDir, `bench-${stamp}`);
    writeFileSync(`${base_}.md`, `${md}\n`);
    writeFileSync(`${base_}.json`, JSON.stringify({ when: new Date().toISOString(), connections: C, quick: flags.quick, rows, notes, ...(fanout ? { snsFanout: fanout.rows } : {}), ...(fifo ? { fifo: fifo.rows } : {}) }, null, 2));
    process.stdout.write(`\nwrote ${base_}.md and .json${flags.prof ? `; CPU profile in ${profDir}` : ''}\n`);
  } finally {
    for (const c of children.reverse()) await c.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if ([...only].some((k) => k !== 'f')) await main();
// f: functions (no-op handler, MaximumConcurrency 1/5/50) next to sqs-consumer; bench/functions-bench.ts.
if (only.has('f')) {
  const { markdown, rows } = await functionsBench({ quick: flags.quick });
  process.stdout.write(`\n${markdown}\n`);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `functions-${stamp}.md`), `${markdown}\n`);
  writeFileSync(join(resultsDir, `functions-${stamp}.json`), JSON.stringify({ when: new Date().toISOString(), quick: flags.quick, rows }, null, 2));
}
