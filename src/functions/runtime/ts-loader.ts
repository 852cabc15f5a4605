// Module hooks that let a handler be a TypeScript file (app.ts / .mts): each .ts module is
// transpiled on load with the `typescript` package of the handler's own project (found from its
// code directory), types stripped, no type check, as an ES module. Relative imports may name the
// .js file of a .ts source (NodeNext style) or leave the extension out.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Transpiler {
  transpileModule(source: string, options: { compilerOptions: Record<string, unknown>; fileName: string }): { outputText: string };
}

type Next<T> = (specifier: string, context?: unknown) => Promise<T>;
interface Resolved {
  url: string;
  format?: string;
  shortCircuit?: boolean;
}

let ts: Transpiler | undefined;
let missing = '';

export function initialize(data: { codeDir: string }): void {
  try {
    ts = createRequire(join(data.codeDir, 'index.js'))('typescript') as Transpiler;
  } catch {
    missing = `a TypeScript handler needs the typescript package in its project (${data.codeDir}), or build it to JavaScript first`;
  }
}

const TS = /\.(ts|mts|cts)$/;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next<Resolved>): Promise<Resolved> {
  if (!context.parentURL || !TS.test(context.parentURL) || !/^\.{1,2}\//.test(specifier)) return next(specifier, context);
  for (const candidate of [specifier, specifier.replace(/\.js$/, '.ts'), `${specifier}.ts`]) {
    const url = new URL(candidate, context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url: string, context: unknown, next: Next<{ format: string; source: unknown; shortCircuit?: boolean }>) {
  if (!TS.test(url)) return next(url, context);
  if (!ts) throw new Error(missing);
  const file = fileURLToPath(url);
  const out = ts.transpileModule(await readFile(file, 'utf8'), {
    // ESNext modules, ES2022 target, source map inline so stack traces point at the .ts lines.
    compilerOptions: { module: 99, target: 9, inlineSourceMap: true, esModuleInterop: true, verbatimModuleSyntax: false },
    fileName: file,
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
