import { Identity1732250000000 } from './1732250000000-identity';

/** Every migration, oldest first. Never edit one after it merged: add a new one. */
export const MIGRATIONS = [Identity1732250000000];
