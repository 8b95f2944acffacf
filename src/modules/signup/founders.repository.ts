import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { User } from '@app/modules/users/user.entity';

/**
 * Writes an account's founding admins inside the sign-up transaction. Sign-up is the one
 * place users are created before their account exists to a request, so it cannot go
 * through the users service (which works on a request context of an existing account).
 */
@Injectable()
export class FoundersRepository {
  async insertAdmins(m: EntityManager, admins: User[]): Promise<void> {
    if (admins.length > 0) {
      await m.getRepository(User).insert(admins as never);
    }
  }
}
