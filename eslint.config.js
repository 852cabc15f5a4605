// ESLint flat config. Its job is DESIGN.md §2 "who may import whom", checked in CI rather than in
// review; beyond that only typescript-eslint's recommended set, no stylistic rules.
// Import cycles are checked separately by madge (see the `lint` script in package.json).
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const ENGINES = ['memory', 'sqlite', 'postgres'];
// Database drivers by package name (anchored regexes: `../postgres/x.js` is an engine, not a driver).
const DRIVER_RE = { sqlite: '^better-sqlite3(/.*)?$', postgres: '^(pg|pg-[^/]+|postgres)(/.*)?$' };
const driverRegex = (engines) => `${engines.map((e) => DRIVER_RE[e].slice(0, -1)).join('|')}$`;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// `fs`, `fs/promises`, … (anchored: a relative `./events/x.js` is not the builtin `events`).
const BUILTIN_RE = `^(${builtinModules.map(escape).join('|')})(/.*)?$`;

/** One import/no-restricted-paths zone: files under `target` must not import from `from`. */
const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

const layerZones = [
  // core: pure SQS semantics, may import only core.
  zone('./src/core', './src', 'core may import only core (DESIGN.md §2).', ['./core']),
  // storage/X: core and its own driver; never another engine, protocol or sns.
  ...ENGINES.flatMap((engine) => [
    ...ENGINES.filter((other) => other !== engine).map((other) =>
      zone(`./src/storage/${engine}`, `./src/storage/${other}`, `storage/${engine} must not import another engine (storage/${other}).`),
    ),
    zone(`./src/storage/${engine}`, './src/protocol', 'storage must not import protocol (DESIGN.md §2).'),
    zone(`./src/storage/${engine}`, './src/sns', 'storage must not import sns (DESIGN.md §2).'),
  ]),
  // protocol: core only; no storage (drivers: see no-restricted-imports below).
  zone('./src/protocol', './src/storage', 'protocol must not import storage; it talks to core (DESIGN.md §2).'),
  // sns, functions, console, metrics: core's public API; no storage, no protocol.
  ...['sns', 'functions', 'console', 'metrics'].flatMap((layer) => [
    zone(`./src/${layer}`, './src/storage', `${layer} must not import storage (DESIGN.md §2).`),
    zone(`./src/${layer}`, './src/protocol', `${layer} must not import protocol (DESIGN.md §2).`),
  ]),
  // cli: config and an SQS/SNS client over HTTP; no core internals, no storage.
  zone('./src/cli', './src/core', 'cli must not import core internals; talk to a server over HTTP (DESIGN.md §2).', ['./index.ts']),
  zone('./src/cli', './src/storage', 'cli must not import storage (DESIGN.md §2).'),
];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.pier/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Maps NodeNext `./x.js` specifiers to `./x.ts`. An import that does not resolve is
      // invisible to no-restricted-paths, so import/no-unresolved is on below.
      'import/resolver': { typescript: { project: './tsconfig.json' }, node: true },
    },
    rules: {
      // A `let` read in a closure before its one assignment stays `let` (const would risk a TDZ).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `let self; super(() => self.x); self = this;` is the only way to reach `this` before super().
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      'import/no-restricted-paths': ['error', { zones: layerZones }],
      'import/no-unresolved': 'error',
    },
  },
  {
    // core: no node:* modules, no bare builtins, no packages (drivers included).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'core must not import node:* modules: inject a port (DESIGN.md §2).' },
            { regex: BUILTIN_RE, message: 'core must not import Node builtins: inject a port (DESIGN.md §2).' },
            {
              // anything else that is not relative is a package (drivers included)
              regex: `^(?!\\.{1,2}/|node:)(?!${BUILTIN_RE.slice(1)})`,
              message: 'core may import only core: no packages or drivers (DESIGN.md §2).',
            },
          ],
        },
      ],
      // "no I/O, no Date.now(): the clock is injected" — Node globals are node:* in disguise.
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'fetch', '__dirname', '__filename'].map(
          (name) => ({ name, message: `core must not use the global ${name}: inject a port (DESIGN.md §2).` }),
        ),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core never reads the clock: use the injected Clock (DESIGN.md §2).' },
        { object: 'performance', property: 'now', message: 'core never reads the clock: use the injected Clock (DESIGN.md §2).' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core never reads the clock: new Date(nowMs), not new Date() (DESIGN.md §2).' },
        { selector: "CallExpression[callee.name='Date']", message: 'core never reads the clock: Date() returns now (DESIGN.md §2).' },
      ],
    },
  },
  {
    // protocol: no database drivers.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: driverRegex(['sqlite', 'postgres']), message: 'protocol must not import database drivers (DESIGN.md §2).' }] }],
    },
  },
  ...ENGINES.map((engine) => ({
    // storage/X: its own driver only (sqlite → better-sqlite3, postgres → pg; memory → none).
    files: [`src/storage/${engine}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: driverRegex(Object.keys(DRIVER_RE).filter((e) => e !== engine)),
              message: `storage/${engine} may import only its own driver (DESIGN.md §2).`,
            },
          ],
        },
      ],
    },
  })),
);
