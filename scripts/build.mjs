// Builds main-side entry points (Node/Electron, CommonJS, node_modules kept external)
// and the renderer bundle (browser, one file) into dist/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/renderer', { recursive: true });

const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022' };

await Promise.all([
  build({
    ...common,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    entryPoints: {
      'main/electron': 'main/electron.ts',
      'main/web': 'main/web.ts',
      'main/cli': 'main/cli.ts',
      'main/compute-process': 'main/compute/compute-process.ts',
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
if (watch) console.log('built (watch mode is not implemented; re-run npm run build)');
