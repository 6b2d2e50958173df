/**
 * Maps a request path to a file under `root`, for the browser shell's HTTP server and Electron's
 * app:// protocol alike; null for anything that would leave `root` (path traversal).
 */
import { join, normalize, sep } from 'node:path';

export function staticFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const path = join(root, rel);
  return rel.startsWith('..') || !path.startsWith(root + sep) ? null : path;
}
