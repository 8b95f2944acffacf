import { UnprocessableError } from '@app/common/errors/api-error';

/** Manual retry without a target endpoint (spec 05 §2.3): hand-rendered, no code. */
export class WebhookRetryError extends UnprocessableError {
  constructor() {
    super({ detail: 'webhook event failed to retry' }, 'Unprocessable entity');
  }
}
