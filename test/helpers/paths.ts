import { join } from 'node:path';

/** The read-only data sets beside the checkout (CI gets the same). */
const DATA = join(__dirname, '..', '..', '..', 'shared', 'data');
export const DRIVE = process.env.VESSEL_DRIVE ?? join(DATA, 'DRIVE');
export const STARE = join(DATA, 'STARE');
export const LESAV = join(DATA, 'LES-AV');
