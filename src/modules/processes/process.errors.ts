import { UnprocessableError, type ApiErrorItem } from '@app/common/errors/api-error';
import { modelError } from '@app/modules/machines/machine.errors';

/** 422 items of a process (`links.about` on the processes topic, spec 03 §0.5). */
export const processAttributeError = (attr: string, code: string, detail: string): ApiErrorItem =>
  modelError('processes', code, detail, `/data/attributes/${attr}`);

export const processRelationshipError = (rel: string, code: string, detail: string): ApiErrorItem =>
  modelError('processes', code, detail, `/data/relationships/${rel}`);

/** `data.id` already used by a process (any account, as Keygen checks). */
export const processIdConflict = (): ApiErrorItem =>
  modelError('processes', 'ID_CONFLICT', 'must not conflict with another process', '/data/id');

/** §3.3: the process limit of the leasing bucket (base error on `/data`). */
export const processLimitExceeded = (bucket: string, max: number): ApiErrorItem =>
  modelError(
    'processes',
    'MACHINE_PROCESS_LIMIT_EXCEEDED',
    `process count has exceeded maximum allowed for ${bucket} (${max})`,
    '/data',
  );

/** A ping on a process that is dead for good (§3.4). */
export class ProcessHeartbeatDeadError extends UnprocessableError {
  constructor() {
    super({ detail: 'is dead', code: 'PROCESS_HEARTBEAT_DEAD' }, 'Unprocessable entity');
  }
}
