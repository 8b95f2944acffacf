import { describeDestroy, PROCESSES } from '../machines/children-destroy';

/** DELETE /v1/accounts/:account/processes/:id — kill (spec 03 §3.1, §3.5). */
describeDestroy({ ...PROCESSES, deleter: 'license', protectedUser: 'licenseOwner' });
