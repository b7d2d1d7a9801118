import type { Logger } from 'pino';
import { ConfigError } from './config-error.js';

/**
 * The start and stop of every app of this project (the four services and the console), in one place: a bad setting is
 * one line on stderr and exit 78 (EX_CONFIG), a failed start-up a fatal log line and exit 1, and SIGTERM/SIGINT a
 * clean stop bounded by the shutdown timeout.
 */
export function configOrExit<C>(load: () => C): C {
  try {
    return load();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
}

/** Reports a start-up that failed after the logger existed, and ends the process. */
export function startupFailed(logger: Logger, name: string, error: unknown): never {
  logger.fatal({ err: error }, 'start-up failed');
  process.stderr.write(`${name}: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
}

/**
 * On the first SIGTERM or SIGINT: `close` (which stops what the app started, in its order), then exit 0; exit 1 when
 * that takes longer than `shutdownTimeoutMs`.
 */
export function stopOnSignals(logger: Logger, shutdownTimeoutMs: number, close: () => Promise<void>): void {
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs);
    force.unref();
    await close();
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
