import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { blankPolicy } from '@app/modules/policies/policy.entity';
import { License } from '../license.entity';
import { effectiveLicensePermissions, licenseBearer, licenseBearerRecord } from './license-bearer';

describe('effectiveLicensePermissions', () => {
  const own = ['license.read', 'license.validate', 'machine.create'];

  it('is the license’s own set without an owner', () => {
    expect(effectiveLicensePermissions(own, null)).toBe(own);
  });

  it('intersects with the owner’s set', () => {
    expect(
      effectiveLicensePermissions(own, ['license.read', 'machine.create', 'user.read']),
    ).toEqual(['license.read', 'machine.create']);
  });

  it('defers to the owner when the license holds the wildcard', () => {
    const owner = ['license.read'];
    expect(effectiveLicensePermissions(['*'], owner)).toBe(owner);
  });

  it('defers to the license when the owner holds the wildcard', () => {
    expect(effectiveLicensePermissions(own, ['*'])).toBe(own);
  });

  it('computes each pair once', () => {
    const owner = ['license.read', 'machine.create'];
    expect(effectiveLicensePermissions(own, owner)).toBe(effectiveLicensePermissions(own, owner));
  });
});

describe('licenseBearer', () => {
  const license = (): License =>
    Object.assign(new License(), { id: 'l1', environmentId: null, permissions: null });

  it('renders a license bearer with the default set and the policy’s strategy', () => {
    const policy = Object.assign(blankPolicy(), { authenticationStrategy: 'LICENSE' });
    const b = licenseBearer(licenseBearerRecord(license(), policy, null));
    expect(b).toMatchObject({ type: 'licenses', id: 'l1', role: 'license', bannedAt: null });
    expect(b.permissions).toBe(DEFAULT_PERMISSIONS.license);
    expect((b.record as { authenticationStrategy: string }).authenticationStrategy).toBe('LICENSE');
  });

  it('carries the owner’s ban and the intersected permissions', () => {
    const bannedAt = new Date();
    const owner = {
      id: 'u1',
      email: 'u@x',
      role: 'user' as const,
      bannedAt,
      permissions: ['license.read'],
    };
    const b = licenseBearer(licenseBearerRecord(license(), blankPolicy(), owner));
    expect(b.bannedAt).toBe(bannedAt);
    expect(b.permissions).toEqual(['license.read']);
  });
});
