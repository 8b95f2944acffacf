export * from './duration';
export * from './license-keys';
export * from './certificate';
