import { UnprocessableError } from '@app/common/errors/api-error';

/** Action-level 422s of the pool pop (spec 02 §2.6): no code, pointer at the pool. */
class PoolError extends UnprocessableError {
  constructor(detail: string) {
    super({ detail, source: { pointer: '/data/relationships/pool' } }, 'Unprocessable entity');
  }
}

export class PoolNotSupportedError extends PoolError {
  constructor() {
    super('pool is not supported');
  }
}

export class PoolEmptyError extends PoolError {
  constructor() {
    super('pool is empty');
  }
}
