// Loads the .sql files that sit next to this module (copied into dist by scripts/copy-assets.mjs)
// and applies schema migrations in order, tracked by PRAGMA user_version.
import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

export const readSql = (file: string): string => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');

/** Splits a file into statements introduced by `-- name: x` lines; the header before the first is ignored. */
export function namedStatements(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  let name: string | undefined;
  for (const line of readSql(file).split('\n')) {
    const m = /^--\s*name:\s*(\w+)\s*$/.exec(line);
    if (m) out[(name = m[1]!)] = '';
    else if (name !== undefined) out[name] += `${line}\n`;
  }
  for (const k of Object.keys(out)) out[k] = out[k]!.trim().replace(/;$/, '');
  return out;
}

/** Append-only: migration i brings the schema from user_version i to i + 1. */
const MIGRATIONS = ['schema.sql', '002-fifo.sql', '003-sns.sql'];

export function migrate(db: Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new Error(`pier.db schema v${version} is newer than this Pier (v${MIGRATIONS.length})`);
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(readSql(MIGRATIONS[v]!));
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
