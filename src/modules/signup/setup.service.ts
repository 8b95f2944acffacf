import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { resemblesUuid } from '@app/modules/accounts/account.errors';
import { AccountsService } from '@app/modules/accounts/accounts.service';
import { haikuSuffix, slugify } from './account-slug';
import { emailParts, isValidEmail, normalizeEmail } from './email-check';
import { SignupService } from './signup.service';

const DEFAULT_ADMIN_EMAIL = 'admin@keyward.local';
const DEFAULT_SLUG = 'keyward';
const PG_UNIQUE_VIOLATION = '23505';

/** What first boot created (returned for tests; the password only when generated). */
export interface SetupResult {
  created: boolean;
  accountId: string | null;
  adminEmail?: string;
  generatedPassword?: string;
}

/**
 * Singleplayer first boot: makes sure the one account (KEYGEN_ACCOUNT_ID) exists, with an
 * admin from KEYGEN_ADMIN_EMAIL / KEYGEN_ADMIN_PASSWORD. Missing values are generated and
 * printed once; an existing account is left alone, so restarts are no-ops.
 */
@Injectable()
export class SetupService {
  private readonly logger = new Logger('Setup');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly signup: SignupService,
  ) {}

  async ensureSingleplayerAccount(): Promise<SetupResult> {
    const { config } = this;
    if (config.mode !== 'singleplayer') {
      this.logger.log(
        'multiplayer mode: create accounts with POST /v1/accounts (open to anonymous callers)',
      );
      return { created: false, accountId: null };
    }
    const accountId = config.accountId;
    if (!accountId) {
      throw new Error(
        'singleplayer mode needs KEYGEN_ACCOUNT_ID (or a prepared runtime that generated one)',
      );
    }
    if (await this.accounts.findById(accountId)) {
      this.logger.log(`singleplayer account ${accountId}`);
      return { created: false, accountId };
    }

    const adminEmail = normalizeEmail(config.adminEmail ?? DEFAULT_ADMIN_EMAIL);
    if (!isValidEmail(adminEmail)) {
      throw new Error(`KEYGEN_ADMIN_EMAIL is not a valid e-mail address: ${adminEmail}`);
    }
    const generatedPassword = config.adminPassword
      ? undefined
      : randomBytes(18).toString('base64url');
    const password = config.adminPassword ?? generatedPassword!;
    if ([...password].length < 6 || [...password].length > 72) {
      throw new Error('KEYGEN_ADMIN_PASSWORD must be 6 to 72 characters long');
    }
    const slug = await this.slugFor(config.adminEmail ? adminEmail : null);

    try {
      await this.signup.persist({ id: accountId, slug, name: slug, apiVersion: undefined }, [
        { email: adminEmail, password },
      ]);
    } catch (e) {
      // Another replica booting at the same time won the race: nothing left to do.
      if (
        (e as { code?: string }).code === PG_UNIQUE_VIOLATION &&
        (await this.accounts.findById(accountId))
      ) {
        this.logger.log(`singleplayer account ${accountId}`);
        return { created: false, accountId };
      }
      throw e;
    }

    this.announce(accountId, adminEmail, generatedPassword);
    return { created: true, accountId, adminEmail, generatedPassword };
  }

  /** KEYGEN_ACCOUNT_SLUG, else derived from the admin's e-mail domain, else `keyward`. */
  private async slugFor(adminEmail: string | null): Promise<string> {
    const wanted = this.config.accountSlug;
    if (wanted) {
      const errors = await this.accounts.validationErrors({ slug: wanted });
      if (errors.length > 0) {
        throw new Error(
          `KEYGEN_ACCOUNT_SLUG ${JSON.stringify(wanted)}: ${errors.map((e) => e.detail).join('; ')}`,
        );
      }
      return wanted;
    }
    const host = adminEmail ? emailParts(adminEmail)?.host : undefined;
    const derived = host ? slugify(host) : '';
    let slug =
      /^[a-z0-9][-a-z0-9]+$/.test(derived) && !resemblesUuid(derived) ? derived : DEFAULT_SLUG;
    while (await this.accounts.slugExists(slug)) {
      slug = `${derived || DEFAULT_SLUG}-${haikuSuffix()}`;
    }
    return slug;
  }

  private announce(accountId: string, email: string, generatedPassword: string | undefined): void {
    const port = this.config.port;
    // Never echo a password that came from the environment.
    const credentials = generatedPassword
      ? `'${email}:${generatedPassword}'`
      : `"${email}:$KEYGEN_ADMIN_PASSWORD"`;
    const lines = [
      'Created the singleplayer account.',
      `  account id:     ${accountId}`,
      `  admin e-mail:   ${email}`,
      generatedPassword
        ? `  admin password: ${generatedPassword}   (generated; shown only once, store it now)`
        : '  admin password: from KEYGEN_ADMIN_PASSWORD',
      '  get an admin token:',
      `    curl -s -X POST http://localhost:${port}/v1/accounts/${accountId}/tokens -H 'Accept: application/vnd.api+json' -u ${credentials}`,
    ];
    this.logger.log(lines.join('\n'));
  }
}
