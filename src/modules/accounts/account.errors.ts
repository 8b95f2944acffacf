import { UnprocessableError, type ApiErrorItem } from '@app/common/errors/api-error';

const about = (attr: string): { about: string } => ({
  about: `https://keygen.sh/docs/api/accounts/#accounts-object-attrs-${attr}`,
});

export function slugErrors(slug: string): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  const pointer = { pointer: '/data/attributes/slug' };
  if (!/^[a-z0-9][-a-z0-9]+$/.test(slug)) {
    errors.push({
      code: 'SLUG_INVALID',
      detail: 'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
      source: pointer,
      links: about('slug'),
    });
  }
  if (slug === 'action' || slug === 'actions') {
    errors.push({ code: 'SLUG_NOT_ALLOWED', detail: 'is reserved', source: pointer, links: about('slug') });
  }
  if (/^[0-9a-f]{32}$/i.test(slug.replace(/-/g, ''))) {
    errors.push({ code: 'SLUG_NOT_ALLOWED', detail: 'cannot resemble a UUID', source: pointer, links: about('slug') });
  }
  if (slug.length > 255) {
    errors.push({
      code: 'SLUG_TOO_LONG',
      detail: 'is too long (maximum is 255 characters)',
      source: pointer,
      links: about('slug'),
    });
  }
  return errors;
}

export class SlugTakenError extends UnprocessableError {
  constructor() {
    super({
      code: 'SLUG_TAKEN',
      detail: 'has already been taken',
      source: { pointer: '/data/attributes/slug' },
      links: about('slug'),
    });
  }
}

export class NameTooLongError extends UnprocessableError {
  constructor() {
    super({
      code: 'NAME_TOO_LONG',
      detail: 'is too long (maximum is 255 characters)',
      source: { pointer: '/data/attributes/name' },
      links: about('name'),
    });
  }
}
