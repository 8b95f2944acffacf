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

const pointerTo = (attr: string): { pointer: string } => ({ pointer: `/data/attributes/${attr}` });

export interface AccountValidationInput {
  /** The slug exactly as it will be validated (create: as sent, before lower-casing). */
  slug?: string;
  name?: string | null;
  /** Whether another account already uses the slug (case-insensitive). */
  slugTaken?: boolean;
}

/**
 * Keygen's account model validations in declaration order: slug format, reserved words,
 * uniqueness, length; name length; then the custom "cannot resemble a UUID" rule.
 * Errors with the same code and pointer are collapsed (spec 00 §4.5.6).
 */
export function accountValidationErrors(input: AccountValidationInput): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  const { slug, name } = input;
  if (slug !== undefined) {
    if (!/^[a-z0-9][-a-z0-9]+$/.test(slug)) {
      errors.push({
        code: 'SLUG_INVALID',
        detail: 'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
        source: pointerTo('slug'),
        links: about('slug'),
      });
    }
    if (slug === 'action' || slug === 'actions') {
      errors.push({ code: 'SLUG_NOT_ALLOWED', detail: 'is reserved', source: pointerTo('slug'), links: about('slug') });
    }
    if (input.slugTaken) {
      errors.push({ code: 'SLUG_TAKEN', detail: 'has already been taken', source: pointerTo('slug'), links: about('slug') });
    }
    if ([...slug].length > 255) {
      errors.push({
        code: 'SLUG_TOO_LONG',
        detail: 'is too long (maximum is 255 characters)',
        source: pointerTo('slug'),
        links: about('slug'),
      });
    }
  }
  if (name !== undefined && name !== null && [...name].length > 255) {
    errors.push({
      code: 'NAME_TOO_LONG',
      detail: 'is too long (maximum is 255 characters)',
      source: pointerTo('name'),
      links: about('name'),
    });
  }
  if (slug !== undefined && resemblesUuid(slug)) {
    errors.push({
      code: 'SLUG_NOT_ALLOWED',
      detail: 'cannot resemble a UUID',
      source: pointerTo('slug'),
      links: about('slug'),
    });
  }
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.code}|${e.source?.pointer}`;
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

/** Slugs that, with dashes removed, are 32 hex digits would shadow account ids. */
export function resemblesUuid(slug: string): boolean {
  return /^[0-9a-f]{32}$/i.test(slug.replace(/-/g, ''));
}

/** 422 for a slug Keygen refuses outright (reserved, UUID-like, taken by the e-mail domain). */
export class SlugNotAllowedError extends UnprocessableError {
  constructor(detail: string) {
    super({ code: 'SLUG_NOT_ALLOWED', detail, source: pointerTo('slug'), links: about('slug') });
  }
}
