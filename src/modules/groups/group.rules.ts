import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { groupAttributeError } from './group.errors';

export const NAME_MIN = 1;
export const NAME_MAX = 255;

/** Character count as Ruby's String#length sees it (code points). */
function charLength(s: string): number {
  return [...s].length;
}

/** Model validation of a group (spec 01 §8.2) in Keygen's order: name, metadata. */
export function groupValidationErrors(g: { name: string; metadata: unknown }): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  const n = charLength(g.name);
  if (n < NAME_MIN) {
    errors.push(
      groupAttributeError('name', 'NAME_TOO_SHORT', 'is too short (minimum is 1 character)'),
    );
  }
  if (n > NAME_MAX) {
    errors.push(
      groupAttributeError(
        'name',
        'NAME_TOO_LONG',
        `is too long (maximum is ${NAME_MAX} characters)`,
      ),
    );
  }
  const metadata = metadataModelError(g.metadata);
  if (metadata) {
    errors.push(groupAttributeError('metadata', 'METADATA_TOO_LONG', metadata));
  }
  return errors;
}

/**
 * Whether a group with `max` already holds as many members as allowed (null = unlimited).
 * Keygen compares the current count before the new member joins: `count >= max`.
 */
export function limitReached(max: number | null, count: number): boolean {
  return max !== null && count >= max;
}

/**
 * Keygen's environment rule for a member and its group (spec 01 §3.3.4): a global member
 * needs a global group; an isolated one its own environment's; a shared one its own or a
 * global group.
 */
export function memberEnvironmentFits(
  member: { environmentId: string | null; shared: boolean },
  groupEnvironmentId: string | null,
): boolean {
  if (member.environmentId === null) {
    return groupEnvironmentId === null;
  }
  if (groupEnvironmentId === member.environmentId) {
    return true;
  }
  return member.shared && groupEnvironmentId === null;
}
