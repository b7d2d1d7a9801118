import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  CommandPipeline,
  type Decision,
  type DomainEvent,
  type Outcome,
  type OutboxMessage,
  type PipelineOptions,
  type PostgresEventStore,
  type Tx,
} from '@fulfillment/eventstore';
import { EVENT_STORE, RUNTIME, type ServiceRuntime } from './service.js';

/** A read model a pipeline writes in its own transaction, for the aggregates that changed. */
export interface PipelineReadModel<C, E extends DomainEvent, S, O = undefined> {
  save(tx: Tx, changed: readonly Outcome<C, E, S, O>[]): Promise<void>;
}

export interface ServicePipelineSpec<C, E extends DomainEvent, S, O = undefined>
  extends Omit<PipelineOptions<C, E, S, O>, 'publish' | 'project'> {
  /** The contract topic the decisions are published to (`TOPICS.orderEvents`); the deployment's prefix is added. */
  readonly topic: string;
  /** The mapper of a decision to its messages on that topic. */
  readonly publish: (topic: string) => (decision: Decision<C, E, S, O>) => readonly OutboxMessage[];
  /** The read model kept in step: a provider of the service's module, injected as the constructor's third argument. */
  readonly readModel?: abstract new (...args: never[]) => PipelineReadModel<C, E, S, O>;
  /** Or a projection that is not a provider. */
  readonly project?: PipelineOptions<C, E, S, O>['project'];
}

export type ServicePipelineClass<C, E extends DomainEvent, S, O = undefined> = new (
  store: PostgresEventStore,
  rt: ServiceRuntime,
  readModel?: PipelineReadModel<C, E, S, O>,
) => CommandPipeline<C, E, S, O>;

const NO_READ_MODEL = Symbol('NO_READ_MODEL');

/**
 * The base of a service's pipeline for one aggregate, as a Nest provider: the event store and the runtime (for the
 * topic's real name) are injected, and the read model when the spec names one.
 * `export class OrderPipeline extends ServicePipeline({ aggregate, topic, publish, readModel: OrderViewRepository }) {}`
 */
export function ServicePipeline<C, E extends DomainEvent, S, O = undefined>(
  spec: ServicePipelineSpec<C, E, S, O>,
): ServicePipelineClass<C, E, S, O> {
  const { topic, publish, readModel, project, ...options } = spec;
  @Injectable()
  class Pipeline extends CommandPipeline<C, E, S, O> {
    constructor(
      @Inject(EVENT_STORE) store: PostgresEventStore,
      @Inject(RUNTIME) rt: ServiceRuntime,
      @Optional() @Inject(readModel ?? NO_READ_MODEL) listing?: PipelineReadModel<C, E, S, O>,
    ) {
      super(store, {
        ...options,
        publish: publish(rt.topics.name(topic)),
        ...(listing ? { project: (tx, changed) => listing.save(tx, changed) } : project ? { project } : {}),
      });
    }
  }
  return Pipeline;
}
