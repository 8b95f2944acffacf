import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RequestLogSink } from '@app/common/http/response-finalizer';
import { EventLogRecorder } from './event-log-recorder';
import { EventLog } from './event-log.entity';
import { EventLogsController } from './event-logs.controller';
import { EventLogsRepository } from './event-logs.repository';
import { EventLogsService } from './event-logs.service';
import { PruneLogsJob } from './jobs/prune-logs.job';
import { WriteLogsJob } from './jobs/write-logs.job';
import { LogRetentionService } from './log-retention.service';
import { LogWriterService } from './log-writer.service';
import { LogsDataSourceModule } from './logs-data-source';
import { RequestLogRecorder } from './request-log-recorder';
import { RequestLog } from './request-log.entity';
import { RequestLogsController } from './request-logs.controller';
import { RequestLogsRepository } from './request-logs.repository';
import { RequestLogsService } from './request-logs.service';

/**
 * Request logs and event logs (spec 06). Global only so that CoreModule's
 * ResponseFinalizer can resolve the RequestLogSink this module provides (its
 * `@Optional()` dependency); nothing else should inject from here.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RequestLog, EventLog]), LogsDataSourceModule],
  controllers: [RequestLogsController, EventLogsController],
  providers: [
    RequestLogsRepository,
    EventLogsRepository,
    RequestLogsService,
    EventLogsService,
    RequestLogRecorder,
    { provide: RequestLogSink, useExisting: RequestLogRecorder },
    EventLogRecorder,
    LogWriterService,
    LogRetentionService,
    WriteLogsJob,
    PruneLogsJob,
  ],
  exports: [RequestLogsService, RequestLogSink],
})
export class LogsModule {}
