import { Controller } from '@nestjs/common';
import { MachineChildRelationshipRoutes } from '@app/modules/machines/machine-relationship-routes';
import { ComponentRelationshipsService } from './component-relationships.service';

/** `/components/{id}/product|license|machine` (spec 03 §2.1). */
@Controller('v1/accounts/:account/components/:id')
export class ComponentRelationshipsController extends MachineChildRelationshipRoutes {
  constructor(protected override readonly relationships: ComponentRelationshipsService) {
    super();
  }
}
