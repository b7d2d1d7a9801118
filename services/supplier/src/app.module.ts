import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceRuntime } from '@fulfillment/platform';

@Module({})
export class SupplierModule {
  static register(_rt: ServiceRuntime): DynamicModule {
    return { module: SupplierModule };
  }
}
