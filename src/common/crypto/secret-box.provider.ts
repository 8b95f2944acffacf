import { SecretBox } from '@libs/crypto';
import type { AppConfig } from '@app/config/app.config';

export { SecretBox };

/** Encrypts private keys and secrets at rest with ENCRYPTION_PRIMARY_KEY. */
export function secretBoxFactory(config: AppConfig): SecretBox {
  if (!config.encryptionKey) {
    throw new Error('ENCRYPTION_PRIMARY_KEY is not set (main.ts generates one for embedded setups)');
  }
  return new SecretBox(config.encryptionKey);
}
