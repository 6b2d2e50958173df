/**
 * Decides what each file of an import is: a photograph, a vessel label or a FOV mask, and which
 * photograph a label/mask belongs to. Folder imports follow the DRIVE layout:
 *   <set>/images/21_training.tif, <set>/1st_manual/21_manual1.gif, <set>/mask/21_training_mask.gif
 * (our own labels/ and masks/ folders work the same way). Loose files are all photographs. Every file
 * that is not imported gets a reason (hidden and system files included). Photographs come out ordered
 * by path (numbers compared as numbers). Pure: no file access, so the matching rules are tested on names alone.
 */

export interface IncomingFile {
  name: string;
  /** Relative path inside a chosen folder, when the file came from one. */
  path?: string;
  bytes: Uint8Array;
}

export interface PlannedImage {
  file: IncomingFile;
  label: IncomingFile | null;
  fov: IncomingFile | null;
}

export interface ImportPlan {
  images: PlannedImage[];
  rejected: { name: string; reason: string }[];
}

type Role = 'image' | 'label' | 'fov' | 'skip-second-observer' | 'skip-hidden' | 'skip-system';

const LABEL_DIRS = new Set(['1st_manual', 'labels', 'manual', 'manual1']);
const FOV_DIRS = new Set(['mask', 'masks', 'fov']);

function segments(f: IncomingFile): string[] {
  return (f.path ?? f.name).split(/[\\/]+/).filter(Boolean);
}

function roleOf(f: IncomingFile): { role: Role; group: string } {
  const segs = segments(f);
  const file = segs[segs.length - 1] ?? f.name;
  if (file.startsWith('.')) return { role: 'skip-hidden', group: '' };
  if (file.toLowerCase() === 'thumbs.db' || file.toLowerCase() === 'desktop.ini') return { role: 'skip-system', group: '' };
  const dirs = segs.slice(0, -1).map((s) => s.toLowerCase());
  // The folder right above the file decides; the folders above that name the set (training/, test/).
  const parent = dirs[dirs.length - 1];
  const group = dirs.slice(0, -1).join('/');
  if (parent && LABEL_DIRS.has(parent)) return { role: 'label', group };
  if (parent && FOV_DIRS.has(parent)) return { role: 'fov', group };
  if (parent === '2nd_manual') return { role: 'skip-second-observer', group };
  return { role: 'image', group: parent === 'images' ? group : dirs.join('/') };
}

export function stemOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).toLowerCase();
}

/** "21_manual1" → "21", "21_training_mask" → "21_training", "21_training" → "21_training". */
function companionKey(stem: string): string {
  return stem.replace(/_(manual\d*|mask|fov|label)$/, '');
}

function firstToken(stem: string): string {
  return stem.split(/[_\s-]/)[0];
}

export function planImport(files: IncomingFile[]): ImportPlan {
  const rejected: ImportPlan['rejected'] = [];
  const images: PlannedImage[] = [];
  const byKey = new Map<string, PlannedImage>();
  const byToken = new Map<string, PlannedImage | 'ambiguous'>();
  const companions: { file: IncomingFile; role: 'label' | 'fov'; group: string }[] = [];

  for (const file of files) {
    const { role, group } = roleOf(file);
    if (role === 'skip-hidden') {
      rejected.push({ name: file.name, reason: 'hidden file (its name starts with "."): not a photograph to import' });
    } else if (role === 'skip-system') {
      rejected.push({ name: file.name, reason: 'system file of the operating system, not a photograph' });
    } else if (role === 'skip-second-observer') {
      rejected.push({ name: file.name, reason: "second observer's label (2nd_manual) — 1st_manual labels are used" });
    } else if (role === 'label' || role === 'fov') {
      companions.push({ file, role, group });
    } else {
      const planned: PlannedImage = { file, label: null, fov: null };
      images.push(planned);
      const stem = stemOf(file.name);
      byKey.set(`${group}|${stem}`, planned);
      const tokenKey = `${group}|${firstToken(stem)}`;
      byToken.set(tokenKey, byToken.has(tokenKey) ? 'ambiguous' : planned);
    }
  }

  for (const { file, role, group } of companions) {
    const key = companionKey(stemOf(file.name));
    const byTok = byToken.get(`${group}|${firstToken(key)}`);
    const target = byKey.get(`${group}|${key}`) ?? (byTok === 'ambiguous' ? undefined : byTok);
    const what = role === 'label' ? 'label' : 'FOV mask';
    if (!target) {
      rejected.push({ name: file.name, reason: `${what} with no matching photograph in this import` });
    } else if (target[role]) {
      rejected.push({ name: file.name, reason: `a second ${what} for ${target.file.name} (${target[role]!.name} is used)` });
    } else {
      target[role] = file;
    }
  }
  // Browsers hand a folder's files over in no set order: the workspace lists them by path, numbers as numbers.
  const path = (p: PlannedImage) => p.file.path ?? p.file.name;
  images.sort((a, b) => path(a).localeCompare(path(b), 'en', { numeric: true }));
  return { images, rejected };
}
