import type { ApiErrorItem } from '@app/common/errors/api-error';
import { modelError } from '@app/modules/machines/machine.errors';

/** 422 items of a component (`links.about` on the components topic, spec 03 §0.5). */
export const componentAttributeError = (attr: string, code: string, detail: string): ApiErrorItem =>
  modelError('components', code, detail, `/data/attributes/${attr}`);

export const componentRelationshipError = (
  rel: string,
  code: string,
  detail: string,
): ApiErrorItem => modelError('components', code, detail, `/data/relationships/${rel}`);
