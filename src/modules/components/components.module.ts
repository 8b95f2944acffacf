import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LicensesModule } from '@app/modules/licenses/licenses.module';
import { MachineComponent } from '@app/modules/machines/machine.entity';
import { MachinesModule } from '@app/modules/machines/machines.module';
import { ComponentRelationshipsController } from './component-relationships.controller';
import { ComponentRelationshipsService } from './component-relationships.service';
import { ComponentsController } from './components.controller';
import { ComponentsRepository } from './components.repository';
import { ComponentsService } from './components.service';
import { MachineComponentsController } from './machine-components.controller';

/**
 * Machine components (spec 03 §2): CRUD with the componentUniquenessStrategy, list
 * filters, relationship reads and a machine's components. Inline components at
 * activation are the machines module's (it cannot import this one).
 */
@Module({
  imports: [TypeOrmModule.forFeature([MachineComponent]), LicensesModule, MachinesModule],
  controllers: [
    ComponentsController,
    ComponentRelationshipsController,
    MachineComponentsController,
  ],
  providers: [ComponentsRepository, ComponentsService, ComponentRelationshipsService],
  exports: [ComponentsService],
})
export class ComponentsModule {}
