#!/usr/bin/env node
// The `pier` command: `pier serve` runs the server; other subcommands talk to one over HTTP.
import { serve } from '../main.js';
import { usage as serveUsage } from '../config/config.js';
import { CliError } from './client.js';
import { functions, functionsUsage } from './functions.js';
import { queues, queuesUsage } from './queues.js';

const usage = `${serveUsage}\n\n${queuesUsage}\n\n${functionsUsage}`;
const [command, ...rest] = process.argv.slice(2);

/** Subcommands that talk to a running server: a failure is one line on stderr and exit 1. */
async function client(run: (argv: string[]) => Promise<void>): Promise<void> {
  try {
    await run(rest);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    process.stderr.write(`pier: ${e.message}\n`);
    process.exit(1);
  }
}

switch (command) {
  case 'serve':
  case undefined:
    await serve(rest);
    break;
  case 'queues':
    await client(queues);
    break;
  case 'functions':
    await client(functions);
    break;
  case 'demo': {
    // The runnable examples (examples/inventory-sync), compiled next to the CLI under dist/examples.
    const demos: Record<string, string> = { 'flash-sale': 'src/flash-sale.js', 'csv-batch': 'csv-batch/csv-batch.js', 'log-collection': 'log-collection/log-collection.js' };
    const script = demos[rest[0] ?? ''];
    if (!script) {
      process.stderr.write(`usage: pier demo ${Object.keys(demos).join('|')} [options] (see examples/inventory-sync/README.md)\n`);
      process.exit(2);
    }
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const path = fileURLToPath(new URL(`../../examples/inventory-sync/${script}`, import.meta.url));
    process.exit(spawnSync(process.execPath, [path, ...rest.slice(1)], { stdio: 'inherit' }).status ?? 1);
  }
  case 'help':
  case '--help':
  case '-h':
    process.stdout.write(`${usage}\n`);
    break;
  default:
    process.stderr.write(`unknown command: ${command}\n\n${usage}\n`);
    process.exit(2);
}
