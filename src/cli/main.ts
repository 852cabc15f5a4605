#!/usr/bin/env node
// The `pier` command: `pier serve` runs the server; other subcommands talk to one over HTTP.
import { serve } from '../main.js';
import { usage } from '../config/config.js';

const [command, ...rest] = process.argv.slice(2);

switch (command) {
  case 'serve':
  case undefined:
    await serve(rest);
    break;
  case 'help':
  case '--help':
  case '-h':
    process.stdout.write(`${usage}\n`);
    break;
  default:
    process.stderr.write(`unknown command: ${command}\n\n${usage}\n`);
    process.exit(2);
}
