import { COMPONENTS, describeDestroy } from '../machines/children-destroy';

/** DELETE /v1/accounts/:account/components/:id (spec 03 §2.1, §2.6). */
describeDestroy({ ...COMPONENTS, deleter: 'product', protectedUser: 'machineOwner' });
