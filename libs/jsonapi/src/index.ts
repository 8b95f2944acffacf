/** Keyward JSON:API toolkit: keys, body parsing, errors, typed params, pagination, documents. */
export * from './keys';
export * from './json';
export * from './errors';
export * from './params';
export * from './pagination';
export * from './document';
export * from './metadata';
export * from './exact';
