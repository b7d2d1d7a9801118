import type { Logger } from 'pino';

/** How far a rebuild has got: events handled of the events in the store when it started. */
export interface RebuildProgress {
  processed: number;
  total: number;
}

/** A read model the admin routes can rebuild from the event store (`POST /admin/projections/:name/rebuild`). */
export interface RebuildableProjection {
  readonly name: string;
  /** Empties the read model and replays the store into it, reporting progress; resolves when caught up. */
  rebuild(onProgress: (progress: RebuildProgress) => void): Promise<RebuildProgress>;
}

export interface RebuildStatus {
  name: string;
  state: 'running' | 'done' | 'failed';
  processed: number;
  total: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/**
 * What a service offers its operators beyond its API: the projections it can rebuild, the topics it consumes (whose
 * dead letters are its own), and the retention prune. Filled while the service starts (`runService` and the
 * service's modules), read by the admin routes.
 */
export class AdminRegistry {
  private readonly projections = new Map<string, RebuildableProjection>();
  private readonly rebuilds = new Map<string, RebuildStatus>();
  /** contract topics this service's consumer reads */
  readonly consumedTopics = new Set<string>();
  /** the retention prune (inbox and Idempotency-Keys), set by runService */
  prune: (() => Promise<number>) | undefined;

  constructor(private readonly logger?: Logger) {}

  register(projection: RebuildableProjection): void {
    if (this.projections.has(projection.name)) throw new Error(`projection ${projection.name} is registered twice`);
    this.projections.set(projection.name, projection);
  }

  projectionNames(): string[] {
    return [...this.projections.keys()].sort();
  }

  status(name: string): RebuildStatus | undefined {
    return this.rebuilds.get(name);
  }

  /**
   * Starts a rebuild of `name` in the background and returns its status at once; undefined for an unknown name, the
   * running status itself when one is running already (a rebuild is never started twice at once).
   */
  startRebuild(name: string, now = () => new Date()): { status: RebuildStatus; started: boolean } | undefined {
    const projection = this.projections.get(name);
    if (projection === undefined) return undefined;
    const current = this.rebuilds.get(name);
    if (current?.state === 'running') return { status: { ...current }, started: false };
    const status: RebuildStatus = { name, state: 'running', processed: 0, total: 0, startedAt: now().toISOString(), finishedAt: null, error: null };
    this.rebuilds.set(name, status);
    this.logger?.info({ projection: name }, 'projection rebuild started');
    projection
      .rebuild((progress) => {
        status.processed = progress.processed;
        status.total = Math.max(progress.total, progress.processed);
      })
      .then(
        (final) => {
          status.processed = final.processed;
          status.total = Math.max(final.total, final.processed);
          status.state = 'done';
          status.finishedAt = now().toISOString();
          this.logger?.info({ projection: name, processed: status.processed }, 'projection rebuild done');
        },
        (error: unknown) => {
          status.state = 'failed';
          status.error = error instanceof Error ? error.message : String(error);
          status.finishedAt = now().toISOString();
          this.logger?.error({ projection: name, err: error }, 'projection rebuild failed');
        },
      );
    return { status: { ...status }, started: true };
  }
}
