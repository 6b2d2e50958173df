/**
 * electron-builder.yml, checked where `npm run dist` cannot run (no Electron binary here): electron-builder's
 * own schema accepts it; ids, names and targets; the icon; what goes into the app; every native binary
 * and the wasm backend's .wasm files of the production dependencies are unpacked from the asar; the
 * default model ships as an extra resource.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface Config {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  linux: { target: (string | { target: string })[]; icon: string };
  win: { target: (string | { target: string })[]; icon: string };
  mac: { target: (string | { target: string })[]; icon: string };
}

const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;

/** A glob (as electron-builder writes them: `**`, `*`, `?`) as a RegExp over '/'-separated relative paths. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** electron-builder's `files` semantics: the last matching pattern decides; '!' excludes. */
function included(patterns: string[], path: string): boolean {
  let inc = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(path)) inc = false;
    } else if (globToRegExp(p).test(path)) inc = true;
  }
  return inc;
}

const targets = (t: Config['linux']['target']) => t.map((x) => (typeof x === 'string' ? x : x.target));

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Package folders of the production dependency closure (dependencies + installed optionalDependencies). */
function productionPackages(): string[] {
  const seen = new Map<string, string>();
  const queue: { name: string; from: string; optional: boolean }[] = [
    ...Object.keys(pkg.dependencies).map((name) => ({ name, from: ROOT, optional: false })),
    ...Object.keys(pkg.optionalDependencies ?? {}).map((name) => ({ name, from: ROOT, optional: true })),
  ];
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift()!;
    // Node's lookup: the nearest node_modules up from the dependent package.
    let dir: string | null = null;
    for (let d = from; d.startsWith(ROOT); d = join(d, '..')) {
      const candidate = join(d, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        dir = candidate;
        break;
      }
      if (d === ROOT) break;
    }
    if (!dir) {
      assert.ok(optional, `production dependency ${name} (needed by ${relative(ROOT, from) || 'the app'}) is not installed`);
      continue;
    }
    if (seen.has(dir)) continue;
    seen.set(dir, name);
    const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const n of Object.keys(p.dependencies ?? {})) queue.push({ name: n, from: dir, optional: n in (p.optionalDependencies ?? {}) });
    for (const n of Object.keys(p.optionalDependencies ?? {})) queue.push({ name: n, from: dir, optional: true });
  }
  return [...seen.keys()];
}

const rel = (p: string) => relative(ROOT, p).split(sep).join('/');

test('electron-builder accepts the configuration (its own schema)', async () => {
  // electron-builder's validator (the one `npm run dist` runs first); internal path of app-builder-lib.
  const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as {
    validateConfiguration(c: unknown, log: unknown): Promise<void>;
  };
  const { DebugLogger } = (await import('builder-util')) as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(structuredClone(config), new DebugLogger(false));
  await assert.rejects(
    validateConfiguration({ ...structuredClone(config), linux: { ...config.linux, bogus: 1 } }, new DebugLogger(false)),
    /linux/,
  );
});

test('identity, targets and icon', async () => {
  assert.equal(config.appId, 'org.vesselstudio.app');
  assert.equal(config.productName, 'Vessel Studio');
  assert.equal(config.productName, pkg.productName);
  assert.deepEqual(targets(config.linux.target).sort(), ['AppImage', 'deb']);
  assert.deepEqual(targets(config.win.target), ['nsis']);
  assert.deepEqual(targets(config.mac.target), ['dmg']);
  assert.equal(config.directories.buildResources, 'resources');
  for (const platform of ['linux', 'win', 'mac'] as const) {
    const icon = config[platform].icon;
    assert.ok(icon.startsWith('resources/'), `${platform} icon lives in resources/`);
    const meta = await sharp(join(ROOT, icon)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 512, 512], `${platform} icon ${icon} is a 512x512 PNG`);
  }
});

test('files: the built app and package.json, no source maps, Electron itself only as a devDependency', () => {
  const files = config.files;
  for (const p of [
    pkg.main,
    'dist/main/compute-process.js',
    'dist/preload/preload.js',
    'dist/renderer/index.html',
    'dist/renderer/app.js',
    'package.json',
  ]) {
    assert.ok(included(files, p), `${p} is packaged`);
  }
  for (const p of ['dist/main/electron.js.map', 'main/electron.ts', 'renderer/main.tsx', 'test/e2e/harness.ts', 'scratch/x.ts']) {
    assert.ok(!included(files, p), `${p} is not packaged`);
  }
  // What `npm run build` produced matches (npm test builds first).
  const built = walk(join(ROOT, 'dist')).map(rel);
  assert.ok(built.includes(pkg.main), `${pkg.main} is built`);
  for (const f of built) assert.equal(included(files, f), !f.endsWith('.map'), f);
  assert.ok(config.asar);
  assert.ok(
    'electron' in pkg.devDependencies && !('electron' in pkg.dependencies),
    'electron-builder requires electron in devDependencies',
  );
  assert.ok(!('electron-builder' in pkg.dependencies));
});

test('asarUnpack: every pattern matches installed files; every native binary and .wasm in production dependencies is unpacked', (t) => {
  const patterns = config.asarUnpack.map((p) => ({ p, re: globToRegExp(p) }));
  const packages = productionPackages();
  const files = packages.flatMap((dir) => walk(dir)).map(rel);
  const unpacked = (f: string) => patterns.some(({ re }) => re.test(f));

  const optional = Object.keys(pkg.optionalDependencies ?? {});
  for (const { p, re } of patterns) {
    const n = files.filter((f) => re.test(f)).length;
    const forOptional = optional.find((name) => p.startsWith(`node_modules/${name}/`));
    if (n === 0 && forOptional && !existsSync(join(ROOT, 'node_modules', forOptional))) {
      t.diagnostic(`${p}: ${forOptional} is an optional dependency that is not installed here (npm dropped it), so nothing to match`);
      continue;
    }
    assert.ok(n > 0, `asarUnpack pattern ${p} matches no installed production file`);
  }

  const natives = files.filter((f) => /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(f));
  assert.ok(
    natives.some((f) => f.includes('sharp')),
    'found sharp binaries to check',
  );
  assert.ok(
    natives.some((f) => f.endsWith('dawn.node')),
    "found webgpu's dawn.node to check",
  );
  const packed = natives.filter((f) => !unpacked(f));
  assert.deepEqual(packed, [], 'native binaries left inside the asar');

  const wasm = files.filter((f) => f.startsWith('node_modules/@tensorflow/tfjs-backend-wasm/dist/') && f.endsWith('.wasm'));
  assert.ok(wasm.length >= 3, 'found the wasm backend binaries');
  assert.deepEqual(
    wasm.filter((f) => !unpacked(f)),
    [],
    'wasm backend binaries left inside the asar',
  );
  for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
    assert.ok(unpacked(`node_modules/${name}/lib/napi-v8/tfjs_binding.node`), `${name}'s binding is unpacked when installed`);
  }
});

test('extraResources: the default model ships as models/default', (t) => {
  const entry = config.extraResources.find((e) => e.to === 'models/default');
  assert.ok(entry, 'an extraResources entry for models/default');
  assert.equal(entry.from, 'resources/models/default');
  const dir = join(ROOT, entry.from);
  if (!existsSync(join(dir, 'model.json'))) {
    t.skip(`resources/models/default/model.json is absent (the default model is not trained/committed yet): cannot check its files`);
    return;
  }
  const filter = entry.filter ?? ['**/*'];
  const shipped = walk(dir)
    .map((f) => relative(dir, f).split(sep).join('/'))
    .filter((f) => filter.some((g) => globToRegExp(g).test(f)));
  const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const needed = ['model.json', 'meta.json', ...model.weightsManifest.flatMap((m) => m.paths)];
  for (const f of needed) {
    assert.ok(existsSync(join(dir, f)), `${entry.from}/${f} exists`);
    assert.ok(shipped.includes(f), `${f} is shipped`);
  }
});

test('glob matching used above behaves like electron-builder patterns', () => {
  assert.ok(globToRegExp('dist/**/*').test('dist/main/electron.js'));
  assert.ok(globToRegExp('dist/**/*').test('dist/a.js'));
  assert.ok(!globToRegExp('dist/**/*').test('distx/a.js'));
  assert.ok(globToRegExp('node_modules/webgpu/dist/**/dawn.node').test('node_modules/webgpu/dist/linux-x64/dawn.node'));
  assert.ok(
    !globToRegExp('node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm').test(
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/x/y.wasm',
    ),
  );
  assert.ok(included(['dist/**/*', '!dist/**/*.map'], 'dist/x.js') && !included(['dist/**/*', '!dist/**/*.map'], 'dist/x.js.map'));
});
