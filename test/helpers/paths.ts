import { join } from 'node:path';

/** The read-only DRIVE copy beside the checkout (CI gets the same). */
export const DRIVE = process.env.VESSEL_DRIVE ?? join(__dirname, '..', '..', '..', 'shared', 'data', 'DRIVE');
