import { Injectable } from '@nestjs/common';

/** Placeholder until the signup module lands: singleplayer first-boot setup. */
@Injectable()
export class SetupService {
  async ensureSingleplayerAccount(): Promise<void> {
    return Promise.resolve();
  }
}
