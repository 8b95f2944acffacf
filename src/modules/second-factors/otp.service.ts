import { Inject, Injectable } from '@nestjs/common';
import { SecretBox, verifyTotp } from '@libs/crypto';
import type { RequestContext } from '@app/common/context/request-context';
import { UnauthorizedError } from '@app/common/errors/api-error';
import type { SecondFactor } from './second-factor.entity';
import { SecondFactorsRepository } from './second-factors.repository';

export const OTP_POINTER = { pointer: '/meta/otp' };

/** TOTP checks shared by login, second-factor changes and anything else needing an OTP. */
@Injectable()
export class OtpService {
  constructor(
    private readonly repo: SecondFactorsRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  enabledFactor(ctx: RequestContext, userId: string): Promise<SecondFactor | null> {
    return this.repo.findForUser(ctx.scope, userId).then((f) => (f?.enabled ? f : null));
  }

  /** Verifies `otp` against the factor (no replay); throws 401 OTP_INVALID. */
  async verify(ctx: RequestContext, factor: SecondFactor, otp: unknown): Promise<void> {
    const code =
      typeof otp === 'string' ? otp : typeof otp === 'number' ? String(otp).padStart(6, '0') : '';
    const step = verifyTotp(
      this.box.decrypt(factor.secret),
      code,
      ctx.clock.now().getTime(),
      factor.lastVerifiedStep,
    );
    if (step === null) {
      throw new UnauthorizedError('OTP_INVALID', 'second factor must be valid', {
        source: OTP_POINTER,
      });
    }
    await this.repo.markVerified(ctx.scope, factor.id, step, ctx.clock.now());
    factor.lastVerifiedStep = step;
  }
}
