// Builds main-side entry points (Node/Electron, CommonJS, node_modules kept external)
// and the renderer bundle (browser, one file) into dist/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/renderer', { recursive: true });

/**
 * node_modules stay external, except tfjs-core's gradient registration: it exists only as ESM with
 * extension-less imports, which plain Node cannot load. Bundling that one file (and what it imports)
 * is safe because tfjs keeps its engine and kernel/gradient registries in process globals.
 */
const externalExceptGradients = {
  name: 'external-except-tfjs-gradients',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === '@tensorflow/tfjs-core/dist/register_all_gradients') return undefined;
      if (args.importer.includes('node_modules/@tensorflow/tfjs-core/dist/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022' };

await Promise.all([
  build({
    ...common,
    platform: 'node',
    format: 'cjs',
    plugins: [externalExceptGradients],
    entryPoints: {
      'main/electron': 'main/electron.ts',
      'main/web': 'main/web.ts',
      'main/cli': 'main/cli.ts',
      'main/compute-process': 'main/compute/compute-process.ts',
      'main/tile-worker': 'main/engine/tile-worker.ts',
      'preload/preload': 'preload/preload.ts',
    },
    outdir: 'dist',
  }),
  build({
    ...common,
    platform: 'browser',
    format: 'esm',
    jsx: 'automatic',
    entryPoints: { app: 'renderer/main.tsx' },
    outdir: 'dist/renderer',
    loader: { '.png': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
  }),
]);
cpSync('renderer/index.html', 'dist/renderer/index.html');
cpSync('renderer/styles.css', 'dist/renderer/styles.css');
// The page icon (index.html links it; without one the browser asks for /favicon.ico and gets a 404).
cpSync('resources/icon.svg', 'dist/renderer/icon.svg');
cpSync('resources/icon.png', 'dist/renderer/icon.png');
