import { Controller } from '@nestjs/common';
import { MachineChildRelationshipRoutes } from '@app/modules/machines/machine-relationship-routes';
import { ProcessRelationshipsService } from './process-relationships.service';

/** `/processes/{id}/product|license|machine` (spec 03 §3.1). */
@Controller('v1/accounts/:account/processes/:id')
export class ProcessRelationshipsController extends MachineChildRelationshipRoutes {
  constructor(protected override readonly relationships: ProcessRelationshipsService) {
    super();
  }
}
