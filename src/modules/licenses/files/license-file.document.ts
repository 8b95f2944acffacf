import {
  renderResource,
  timestamp,
  type RenderContext,
  type ResourceObject,
  type Serializer,
} from '@libs/jsonapi';
import { applyResponseMigrations } from '@app/common/versioning/response-migrations';
import { CURRENT_API_VERSION } from '@app/common/versioning/versions';
import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { EntitlementSerializer } from '@app/modules/entitlements/entitlement.serializer';
import type { Environment } from '@app/modules/environments/environment.entity';
import { EnvironmentSerializer } from '@app/modules/environments/environment.serializer';
import type { Group } from '@app/modules/groups/group.entity';
import { GroupSerializer } from '@app/modules/groups/group.serializer';
import { PolicySerializer } from '@app/modules/policies/policy.serializer';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import type { CheckoutInclude } from './checkout-options';

/** The records a license file carries besides the license, as loaded for its includes. */
export interface LicenseFileIncludes {
  entitlements?: Entitlement[];
  environment?: Environment | null;
  product?: Product | null;
  group?: Group | null;
  owner?: User | null;
  users?: User[];
}

export interface LicenseFileMeta {
  issued: Date;
  expiry: Date | null;
  ttl: number | null;
}

/**
 * The certificate payload (spec 02 §9.3 rule 2): the license document with
 * `meta {issued, expiry, ttl}` and, when includes were asked for, `included[]` in the
 * order asked (each record once). Included to-many relationships (`users`,
 * `entitlements`) carry linkage, as in a JSON:API compound document. Every resource
 * is migrated to `apiVersion` the way its show response would be.
 */
export function licenseFileDocument(
  view: LicenseView,
  includes: readonly CheckoutInclude[],
  records: LicenseFileIncludes,
  meta: LicenseFileMeta,
  apiVersion: string,
): Record<string, unknown> {
  const ctx: RenderContext = {
    accountId: view.accountId,
    apiVersion: CURRENT_API_VERSION,
    now: meta.issued,
    bearer: null,
    checkout: true,
  };
  const data = renderResource(LicenseSerializer, view, ctx);
  const included: ResourceObject[] = [];
  const seen = new Set<string>();
  const add = <T extends { id: string }>(s: Serializer<T>, r: T | null | undefined): void => {
    if (r && !seen.has(`${s.type}:${r.id}`)) {
      seen.add(`${s.type}:${r.id}`);
      included.push(renderResource(s, r, ctx));
    }
  };
  for (const name of includes) {
    switch (name) {
      case 'entitlements':
        linkMany(data, 'entitlements', 'entitlements', records.entitlements ?? []);
        records.entitlements?.forEach((e) => add(EntitlementSerializer, e));
        break;
      case 'environment':
        add(EnvironmentSerializer, records.environment);
        break;
      case 'product':
        add(ProductSerializer, records.product);
        break;
      case 'policy':
        add(PolicySerializer, view.policy);
        break;
      case 'group':
        add(GroupSerializer, records.group);
        break;
      case 'owner':
        add(UserSerializer, records.owner);
        break;
      case 'users':
        linkMany(data, 'users', 'users', records.users ?? []);
        records.users?.forEach((u) => add(UserSerializer, u));
        break;
    }
  }
  const doc: Record<string, unknown> = { data: migrate(data, apiVersion) };
  if (included.length > 0) {
    doc.included = included.map((r) => migrate(r, apiVersion));
  }
  doc.meta = {
    issued: timestamp(meta.issued),
    expiry: meta.expiry ? timestamp(meta.expiry) : null,
    ttl: meta.ttl,
  };
  return doc;
}

/** Adds `data` linkage to a to-many relationship (members links, data, meta). */
function linkMany(
  resource: ResourceObject,
  name: string,
  type: string,
  records: ReadonlyArray<{ id: string }>,
): void {
  const rel = resource.relationships?.[name];
  if (!rel || !resource.relationships) {
    return;
  }
  resource.relationships[name] = {
    ...(rel.links ? { links: rel.links } : {}),
    data: records.map((r) => ({ type, id: r.id })),
    ...(rel.meta ? { meta: rel.meta } : {}),
  };
}

/**
 * Keygen migrates the checkout document's data, not a route's response; the registered
 * migrations are route-scoped, so each resource goes through them as its own show response.
 */
function migrate(resource: ResourceObject, apiVersion: string): ResourceObject {
  const body: Record<string, unknown> = { data: resource };
  applyResponseMigrations(apiVersion, {
    method: 'GET',
    route: `/v1/accounts/:account/${resource.type}/:id`,
    status: 200,
    body,
    headers: {},
  });
  return body.data as ResourceObject;
}
