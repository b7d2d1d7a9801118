export interface PeriodicTaskOptions {
  /** One run; it may answer how long to wait before the next (default `intervalMs`). */
  run: () => Promise<number | void>;
  intervalMs: number;
  /** How long after `start` the first run comes (default `intervalMs`). */
  firstDelayMs?: number;
  /** A run that threw; the next comes after `intervalMs` all the same. */
  onError?: (error: unknown) => void;
  /** The timer does not keep the process alive. */
  unref?: boolean;
}

/**
 * A background job on a timer: one run at a time, the next planned when a run ends. `stop` cancels the planned run
 * and waits for the one in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(private readonly options: PeriodicTaskOptions) {}

  /** Whether `stop` was called (and `start` not since): a long run may end early. */
  get stopped(): boolean {
    return this.state === 'stopped';
  }

  start(): void {
    this.state = 'started';
    this.wake(this.options.firstDelayMs ?? this.options.intervalMs);
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs in `delayMs` instead of when planned; while a run is in progress, that run plans the next. */
  wake(delayMs: number): void {
    if (this.state !== 'started') return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.running !== undefined) return;
      this.running = this.runOnce().finally(() => (this.running = undefined));
    }, delayMs);
    if (this.options.unref) this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    let next = this.options.intervalMs;
    try {
      next = (await this.options.run()) ?? next;
    } catch (error) {
      this.options.onError?.(error);
    }
    this.wake(next);
  }
}
