import { Catch, UseFilters, applyDecorators, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, EventPattern, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import type { ConsumedMessage } from '../consumed-message.js';
import { KafkaBatchConsumer, type KafkaBatchConsumerOptions } from '../kafka-batch-consumer.js';

/** Transport id of `KafkaBatchTransport`, for `@EventPattern(topic, KAFKA_BATCH_TRANSPORT)` in hybrid apps. */
export const KAFKA_BATCH_TRANSPORT = Symbol('KafkaBatchTransport');

/** Without `topics`, the transport subscribes to exactly the topics its `@BatchEventPattern` handlers name. */
export type KafkaBatchTransportOptions = Omit<KafkaBatchConsumerOptions, 'handle' | 'topics'> & { topics?: string[] };

/** `@Ctx()` of a batch handler: the topic and partition every message of the batch comes from. */
export class KafkaBatchContext extends BaseRpcContext<[topic: string, partition: number]> {
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }
}

/**
 * Hands the handler's own exception back to the transport. Nest's default RPC filter replaces every exception with
 * `{ status: 'error', message: 'Internal server error' }`, and then the transport can no longer tell a
 * `NonRetryableError` (dead-letter now) from a lost database connection (never dead-letter).
 */
@Catch()
export class KafkaBatchErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

export interface BatchEventPatternOptions {
  /**
   * The only event types of the topic the method reads. Records of the topic's other types are committed without
   * being validated or handed over (a consumer that skips most of a topic then costs little); unset: every type.
   */
  types?: readonly string[];
}

/** `@EventPattern<string>(topic)` plus `KafkaBatchErrorFilter`: the method receives `ConsumedMessage[]`. */
export function BatchEventPattern(topic: string, options: BatchEventPatternOptions = {}): MethodDecorator {
  const extras = options.types === undefined ? {} : { types: [...options.types] };
  return applyDecorators(EventPattern<string>(topic, extras), UseFilters(new KafkaBatchErrorFilter()));
}

/**
 * A NestJS microservice transport driving a `KafkaBatchConsumer`. Controllers declare
 * `@EventPattern<string>('inventory.events')` on a method receiving the batch (`ConsumedMessage[]`, all from one
 * partition of that topic); the batch is committed once the method's promise or observable completes. Apply
 * `KafkaBatchErrorFilter` (or use `@BatchEventPattern`) so thrown errors keep their class for retry decisions.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  override transportId = KAFKA_BATCH_TRANSPORT;
  private readonly options: KafkaBatchTransportOptions;
  private consumer: KafkaBatchConsumer | undefined;
  private warnedAboutOpaqueErrors = false;

  constructor(options: KafkaBatchTransportOptions) {
    super();
    this.options = options;
  }

  /** The topics the transport consumes: the `topics` option, or those its handlers name (once they are registered). */
  subscribedTopics(): string[] {
    return this.options.topics ?? [...this.getHandlers().keys()];
  }

  listen(callback: (error?: unknown) => void): void {
    const topics = this.subscribedTopics();
    // A subscribed topic without a handler would send every one of its messages to the DLQ: refuse to start instead.
    const unhandled = topics.filter((topic) => this.getHandlerByPattern(topic) === null);
    if (unhandled.length > 0) {
      callback(new Error(`KafkaBatchTransport: no @EventPattern handler for topic(s) ${unhandled.join(', ')}`));
      return;
    }
    if (topics.length === 0) {
      callback(new Error('KafkaBatchTransport: no @BatchEventPattern handler, so no topic to consume'));
      return;
    }
    const wantedTypes = new Map<string, ReadonlySet<string>>();
    for (const topic of topics) {
      const types = (this.getHandlerByPattern(topic)?.extras as BatchEventPatternOptions | undefined)?.types;
      if (types !== undefined) wantedTypes.set(topic, new Set(types));
    }
    this.consumer = new KafkaBatchConsumer({ ...this.options, topics, wantedTypes, handle: (messages) => this.dispatch(messages) });
    this.consumer.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  /** For `/health`: the underlying consumer is connected and not crashed. */
  isHealthy(): boolean {
    return this.consumer?.isHealthy() ?? false;
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no events to listen to; use isHealthy() for its state');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaBatchTransport is not listening yet');
    return this.consumer as T;
  }

  private async dispatch(messages: ConsumedMessage[]): Promise<void> {
    const { topic, partition } = messages[0]!;
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`KafkaBatchTransport: no handler for topic ${topic}`);
    const context = new KafkaBatchContext([topic, partition]);
    await new Promise<void>((resolve, reject) => {
      // The processing hooks are Nest's seam for tracing; the batch settles inside them so a span covers it all.
      void this.onProcessingStartHook(KAFKA_BATCH_TRANSPORT, context, async () => {
        const runEndHook = this.createProcessingEndHookRunner(context);
        try {
          const result = await handler(messages, context);
          await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
          resolve();
        } catch (error) {
          reject(this.restoreError(error, topic));
        } finally {
          runEndHook();
        }
      });
    });
  }

  private restoreError(error: unknown, topic: string): unknown {
    if (error instanceof Error || !isNestOpaqueError(error)) return error;
    if (!this.warnedAboutOpaqueErrors) {
      this.warnedAboutOpaqueErrors = true;
      this.options.logger?.warn(
        { topic },
        "a batch handler's exception was replaced by Nest's default filter; apply KafkaBatchErrorFilter so it can be classified",
      );
    }
    return new Error(`batch handler failed (${String(error.message)})`);
  }
}

function isNestOpaqueError(value: unknown): value is { status: 'error'; message: unknown } {
  return typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'error';
}
