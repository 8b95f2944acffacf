import { p } from '@libs/jsonapi';

/** `POST /licenses/{id}/actions/increment-usage`: optional `{"meta":{"increment": n}}`. */
export const IncrementUsageParams = p.object({
  meta: p.object({ increment: p.integer({ optional: true }) }, { optional: true }),
});

export interface IncrementUsageBody {
  meta?: { increment?: number };
}

/** `POST /licenses/{id}/actions/decrement-usage`: optional `{"meta":{"decrement": n}}`. */
export const DecrementUsageParams = p.object({
  meta: p.object({ decrement: p.integer({ optional: true }) }, { optional: true }),
});

export interface DecrementUsageBody {
  meta?: { decrement?: number };
}
