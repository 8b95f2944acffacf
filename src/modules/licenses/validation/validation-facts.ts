import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@app/common/context/request-context';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { License } from '../license.entity';
import { effectiveLimits, type LicenseOwner, type MachineStats } from '../license.view';
import {
  distinct,
  has,
  scopeFingerprints,
  type MachineFacts,
  type ScopeFacts,
  type ValidationScope,
} from './license-validation';
import { ReleaseLookup } from './release-lookup';
import { ValidationReadRepository } from './validation-read.repository';

/** A license with everything the algorithm and its document need. */
export interface ValidationSubject {
  license: License;
  policy: Policy;
  owner: LicenseOwner | null;
  usersCount: number;
  machineStats: MachineStats;
  /** Already loaded by the hot read; undefined = load when the scope asks. */
  fingerprintMachines?: MachineFacts[];
}

/**
 * Loads what the scope and the policy's leasing strategies need before the pure
 * algorithm runs (spec 02 §6.3 steps 6 and 9). Nothing is read for a plain scope:
 * the hot read already carries the fingerprint matches.
 */
@Injectable()
export class ValidationFactsLoader {
  constructor(
    private readonly reads: ValidationReadRepository,
    private readonly releases: ReleaseLookup,
  ) {}

  /** The facts the scope and the leasing strategies need (spec 02 §6.3 steps 6 and 9). */
  async load(
    ctx: RequestContext,
    s: ValidationSubject,
    scope: ValidationScope | null,
  ): Promise<ScopeFacts> {
    const l = s.license;
    const p = s.policy;
    const facts: ScopeFacts = {};
    const work: Array<Promise<void>> = [];
    const userValue = scope && has(scope, 'user') ? (scope.user ?? null) : undefined;
    const limits = effectiveLimits(l, p);
    const processLeasing = p.processLeasingStrategy ?? 'PER_MACHINE';
    const needsBucket =
      p.strict &&
      (p.machineLeasingStrategy === 'PER_USER' ||
        (processLeasing === 'PER_USER' && limits.maxProcesses !== null));

    if (userValue) {
      facts.scopeUser = await this.scopeUser(ctx, s, userValue);
    }
    if (needsBucket) {
      const owner = userValue ? (facts.scopeUser?.id ?? null) : null;
      work.push(
        this.reads.userBucket(ctx.scope, l.id, owner).then((b) => {
          facts.userBucket = b;
        }),
      );
    }
    if (p.strict && processLeasing === 'PER_LICENSE' && limits.maxProcesses !== null) {
      work.push(
        this.reads.licenseProcesses(ctx.scope, l.id).then((n) => {
          facts.licenseProcesses = n;
        }),
      );
    }
    if (scope) {
      if (scope.entitlements !== undefined) {
        const codes = distinct(scope.entitlements);
        if (codes.length > 0) {
          work.push(
            this.reads.entitlementMatches(ctx.scope, l.id, l.policyId, codes).then((n) => {
              facts.entitlementMatches = n;
            }),
          );
        }
      }
      if (scope.machine !== undefined && s.machineStats.count > 0) {
        work.push(
          this.reads.machineById(ctx.scope, l.id, scope.machine).then((m) => {
            facts.machine = m;
          }),
        );
      }
      const fingerprints = scopeFingerprints(scope);
      if (fingerprints !== null && fingerprints.length > 0 && s.machineStats.count > 0) {
        if (s.fingerprintMachines) {
          facts.fingerprintMachines = s.fingerprintMachines;
        } else {
          work.push(
            this.reads.machinesByFingerprint(ctx.scope, l.id, fingerprints).then((ms) => {
              facts.fingerprintMachines = ms;
            }),
          );
        }
      }
      if (scope.components !== undefined && scope.fingerprint !== undefined) {
        const components = distinct(scope.components);
        if (components.length > 0) {
          work.push(
            this.reads
              .componentMatches(ctx.scope, l.id, scope.fingerprint, components)
              .then((n) => {
                facts.componentMatches = n;
              }),
          );
        }
      }
      const accessor = {
        id: l.id,
        productId: l.productId,
        policyId: l.policyId,
        expiry: l.expiry,
        expirationStrategy: p.expirationStrategy,
      };
      if (scope.checksum !== undefined) {
        const checksum = scope.checksum;
        work.push(
          this.releases.artifactByChecksum(ctx.scope, accessor, checksum).then((r) => {
            facts.checksumRelease = r;
          }),
        );
      }
      if (scope.version !== undefined) {
        const version = scope.version;
        work.push(
          this.releases.releaseByVersion(ctx.scope, accessor, version).then((r) => {
            facts.versionRelease = r;
          }),
        );
      }
    }
    await Promise.all(work);
    // PER_MACHINE process limits count the scoped machines' processes (step 9.8).
    if (p.strict && processLeasing === 'PER_MACHINE' && limits.maxProcesses !== null) {
      const scoped = [
        ...(facts.fingerprintMachines ?? []),
        ...(facts.machine ? [facts.machine] : []),
      ];
      const counts = await this.reads.processCounts(ctx.scope, [
        ...new Set(scoped.map((m) => m.id)),
      ]);
      for (const m of scoped) {
        m.processCount = counts.get(m.id) ?? 0;
      }
    }
    return facts;
  }

  /**
   * The license's user named by `value` (id or email): the owner without a query,
   * else a licensee.
   */
  private async scopeUser(
    ctx: RequestContext,
    s: ValidationSubject,
    value: string,
  ): Promise<{ id: string; email: string } | null> {
    const o = s.owner;
    if (o && (o.email === value || (isUuidLike(value) && normalizeUuid(value) === o.id))) {
      return { id: o.id, email: o.email };
    }
    if (s.usersCount - (s.license.ownerId ? 1 : 0) === 0) {
      return null;
    }
    return this.reads.scopeUser(ctx.scope, s.license.id, s.license.ownerId, value);
  }
}
