import type { License } from '../license.entity';
import type { LicenseView } from '../license.view';
import { toView } from '../licenses.repository';

/** The view after `patch` was written: same policy, owner and counts, status recomputed. */
export function withChanges(view: LicenseView, patch: Partial<License>, now: Date): LicenseView {
  const row = Object.assign(
    Object.create(Object.getPrototypeOf(view) as object) as License,
    view,
    patch,
  );
  return toView(row, view.policy, view.owner, now, {
    usersCount: view.usersCount,
    machineStats: view.machineStats,
  });
}
