/**
 * The source tree's import rules, checked on the files themselves: no import circles among runtime imports
 * (type-only imports vanish at build time), and the engine and the analysis stay free of the app, the
 * workspace, Electron and React.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const ROOTS = ['main', 'renderer', 'preload'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every `import … from` / `export … from` of a file that is not type-only: [specifier, ...]. */
export function runtimeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)) {
    if (m[1]) continue;
    // `import { type A, type B } from` is type-only too
    const names = /^\{([^}]*)\}$/.exec(m[2].trim());
    if (names && names[1].split(',').every((n) => !n.trim() || n.trim().startsWith('type '))) continue;
    out.push(m[3]);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push(m[1]);
  return out;
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = normalize(join(dirname(from), spec));
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')])
    if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

function graph(): Map<string, { local: string[]; packages: string[] }> {
  const g = new Map<string, { local: string[]; packages: string[] }>();
  for (const f of ROOTS.flatMap(sources)) {
    const specs = runtimeImports(readFileSync(f, 'utf8'));
    g.set(f, {
      local: specs.map((s) => resolve(f, s)).filter((p): p is string => p !== null),
      packages: specs.filter((s) => !s.startsWith('.')),
    });
  }
  return g;
}

/** Strongly connected components of more than one file (or a file importing itself). */
function circles(g: Map<string, { local: string[] }>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v)?.local ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || g.get(v)?.local.includes(v)) found.push(c.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('the circle finder finds a circle and reads type-only imports as absent', () => {
  const g = new Map([
    ['a.ts', { local: ['b.ts'] }],
    ['b.ts', { local: ['c.ts'] }],
    ['c.ts', { local: ['a.ts'] }],
    ['d.ts', { local: ['a.ts'] }],
  ]);
  assert.deepEqual(circles(g), [['a.ts', 'b.ts', 'c.ts']]);
  assert.deepEqual(
    runtimeImports(
      "import type { A } from './a';\nimport { type B } from './b';\nimport { c } from './c';\nexport * from './d';\nimport './e';",
    ),
    ['./c', './d', './e'],
  );
});

test('no import circles in main/, renderer/, preload/', () => {
  assert.deepEqual(circles(graph()), []);
});

test('the engine and the analysis know nothing of the app, the workspace, Electron or React', () => {
  const wrong: string[] = [];
  for (const [f, { local, packages }] of graph()) {
    const layer = f.startsWith(join('main', 'engine')) ? 'engine' : f.startsWith(join('main', 'analysis')) ? 'analysis' : null;
    if (!layer) continue;
    const allowed = [join('main', 'engine'), join('main', 'common'), ...(layer === 'analysis' ? [join('main', 'analysis')] : [])];
    for (const d of local) if (!allowed.some((a) => d.startsWith(a))) wrong.push(`${f} -> ${d}`);
    for (const p of packages) if (/^(electron|react|react-dom|konva|react-konva)(\/|$)/.test(p)) wrong.push(`${f} -> ${p}`);
  }
  assert.deepEqual(wrong, []);
});
