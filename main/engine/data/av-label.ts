/** Artery/vein label files, in RITE's colour code (av-map.ts). */
import { basename } from 'node:path';
import { avFromRgb } from '../av-map';
import { assertSameSize, type AvMap } from '../types';
import { readImage, type ImageInput } from './image-io';

/** An A/V label file; with `like`, it must have that size. */
export async function readAvLabel(input: ImageInput, like?: { width: number; height: number }): Promise<AvMap> {
  const av = avFromRgb(await readImage(input));
  if (like) assertSameSize(like, av, typeof input === 'string' ? basename(input) : 'A/V label');
  return av;
}
