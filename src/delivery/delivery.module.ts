import { Global, Module } from '@nestjs/common';
import { DeliveryEngine } from './delivery-engine.js';

/** The outbound-delivery engine, shared by webhooks and (later) the national portal sync. */
@Global()
@Module({ providers: [DeliveryEngine], exports: [DeliveryEngine] })
export class DeliveryModule {}
