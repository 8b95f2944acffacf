import { Injectable } from '@nestjs/common';
import { verifyPassword } from '@libs/crypto';
import type { Bearer } from '@app/common/auth/bearer';
import { PasswordAuthenticator } from '@app/common/auth/ports';
import type { RequestContext } from '@app/common/context/request-context';
import { UnauthorizedError } from '@app/common/errors/api-error';
import { OTP_POINTER, OtpService } from '@app/modules/second-factors/otp.service';
import { userBearer } from '@app/modules/users/user-bearer';
import { UsersRepository } from '@app/modules/users/users.repository';

const EMAIL_RE = /^[^@\s]+@((?:[-a-z0-9]+\.)+[a-z]{2,})$/i;
const AUTH_HEADER = { header: 'Authorization' };

/** Basic email:password on token generation (spec 01 §1.5), in the spec's order. */
@Injectable()
export class PasswordAuthenticatorImpl extends PasswordAuthenticator {
  constructor(
    private readonly users: UsersRepository,
    private readonly otp: OtpService,
  ) {
    super();
  }

  async authenticate(ctx: RequestContext, email: string, password: string, otp: unknown): Promise<Bearer> {
    if (!EMAIL_RE.test(email)) {
      throw new UnauthorizedError('EMAIL_REQUIRED', 'email is required', { source: AUTH_HEADER });
    }
    const user = await this.users.findForLogin(ctx.scope, email);
    if (!user) {
      throw new UnauthorizedError('EMAIL_INVALID', 'email must be valid', { source: AUTH_HEADER });
    }
    if (!user.passwordDigest) {
      throw new UnauthorizedError('PASSWORD_NOT_SUPPORTED', 'password is unsupported', { source: AUTH_HEADER });
    }
    if (password === '') {
      throw new UnauthorizedError('PASSWORD_REQUIRED', 'password is required', { source: AUTH_HEADER });
    }
    const factor = await this.otp.enabledFactor(ctx, user.id);
    if (factor) {
      if (otp === undefined || otp === null || otp === '') {
        throw new UnauthorizedError('OTP_REQUIRED', 'second factor is required', { source: OTP_POINTER });
      }
      await this.otp.verify(ctx, factor, otp);
    }
    if (!(await verifyPassword(password, user.passwordDigest))) {
      throw new UnauthorizedError('PASSWORD_INVALID', 'password must be valid', { source: AUTH_HEADER });
    }
    return userBearer(user);
  }
}
