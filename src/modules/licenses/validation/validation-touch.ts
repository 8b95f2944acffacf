import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ValidationTouches } from './license-validation';
import { ValidationReadRepository } from './validation-read.repository';

interface PendingTouch {
  licenseId: string;
  at: Date;
  checksum: string | null;
  version: string | null;
}

/**
 * The validation touch (spec 02 §6.2, §11): lastValidated (+ checksum/version) is
 * written off the request path. Touches are coalesced per license and flushed in
 * one statement every FLUSH_MS (or at MAX_BATCH licenses); rows under lock are
 * skipped, and a failed write is dropped, as Keygen's TouchLicenseWorker does.
 * The response already shows the new values.
 */
@Injectable()
export class ValidationTouchWriter implements OnModuleDestroy {
  static readonly FLUSH_MS = 250;
  static readonly MAX_BATCH = 500;

  private readonly logger = new Logger('ValidationTouchWriter');
  private pending = new Map<string, PendingTouch>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly repo: ValidationReadRepository) {}

  record(licenseId: string, touches: ValidationTouches): void {
    const prev = this.pending.get(licenseId);
    this.pending.set(licenseId, {
      licenseId,
      at:
        prev && prev.at.getTime() > touches.lastValidatedAt.getTime()
          ? prev.at
          : touches.lastValidatedAt,
      checksum: touches.lastValidatedChecksum ?? prev?.checksum ?? null,
      version: touches.lastValidatedVersion ?? prev?.version ?? null,
    });
    if (this.pending.size >= ValidationTouchWriter.MAX_BATCH) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), ValidationTouchWriter.FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far (tests call it instead of waiting). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  private async write(batch: PendingTouch[]): Promise<void> {
    for (let i = 0; i < batch.length; i += ValidationTouchWriter.MAX_BATCH) {
      const chunk = batch.slice(i, i + ValidationTouchWriter.MAX_BATCH);
      try {
        await this.repo.touch(chunk);
      } catch (e) {
        this.logger.warn(`validation touch dropped for ${chunk.length} licenses: ${String(e)}`);
      }
    }
  }
}
