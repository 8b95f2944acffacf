export * from './keys';
export * from './signer';
export * from './http-signature';
export * from './tokens';
export * from './at-rest';
export * from './totp';
export * from './passwords';
export * from './verify';
