import type { Response } from 'supertest';
import { ValidationTouchWriter } from '@app/modules/licenses/validation/validation-touch';
import { License } from '@app/modules/licenses/license.entity';
import type { TestApp } from '../../../support/app';

export const FORBIDDEN = 'You do not have permission to complete the request';
export const DENIED = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const lacks = (who: string): string =>
  `${FORBIDDEN} (${who} lacks permission to perform action)`;

export const notFound = (id: string) => ({
  title: 'Not found',
  detail: `The requested license '${id}' was not found`,
  code: 'NOT_FOUND',
});

export const badRequest = (detail: string, pointer: string) => ({
  title: 'Bad request',
  detail,
  source: { pointer },
});

export const JSONAPI = 'application/vnd.api+json';

/** `meta` of a validation with the given outcome (ts checked separately). */
export const verdict = (valid: boolean, code: string, detail?: string) =>
  detail === undefined ? { valid, code } : { valid, code, detail };

/** POST validate-key with `meta`. */
export function validateKey(
  t: TestApp,
  base: string,
  meta: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return t.http
    .post(`${base}/licenses/actions/validate-key`)
    .set({ 'Content-Type': JSONAPI, Accept: JSONAPI, ...headers })
    .send({ meta });
}

/** POST /licenses/{id}/actions/validate with an optional body. */
export function validateById(
  t: TestApp,
  base: string,
  id: string,
  headers: Record<string, string>,
  body?: Record<string, unknown>,
) {
  const req = t.http
    .post(`${base}/licenses/${encodeURIComponent(id)}/actions/validate`)
    .set({ 'Content-Type': JSONAPI, Accept: JSONAPI, ...headers });
  return body === undefined ? req : req.send(body);
}

/** GET /licenses/{id}/actions/validate (quick validation). */
export function quickValidate(
  t: TestApp,
  base: string,
  id: string,
  headers: Record<string, string>,
) {
  return t.http
    .get(`${base}/licenses/${encodeURIComponent(id)}/actions/validate`)
    .set({ Accept: JSONAPI, ...headers });
}

/** Writes the batched lastValidated touches now. */
export function flushTouches(t: TestApp): Promise<void> {
  return t.app.get(ValidationTouchWriter).flush();
}

export function reload(t: TestApp, id: string): Promise<License> {
  return t.ds.getRepository(License).findOneByOrFail({ id });
}

/** Asserts the meta code (and validity) with a readable failure. */
export function expectVerdict(res: Response, valid: boolean, code: string, detail?: string): void {
  expect(res.status).toBe(200);
  expect(res.body.meta).toMatchObject(verdict(valid, code, detail));
}
