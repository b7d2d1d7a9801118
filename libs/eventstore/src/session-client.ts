import pg from 'pg';

/**
 * A pg Client that always listens for 'error', so that a session ended under it (pg_terminate_backend, a server
 * restart, a network cut) can never end the process.
 *
 * pg reports such an end as an 'error' event when no query is in flight, and an 'error' event nobody listens to
 * throws. pg-pool listens while a client is idle, and stops listening the moment it hands the client out, before the
 * caller could add a listener of its own: when the server's FATAL arrives in the same read as the message that freed
 * the client (the end of the start-up, or of the last query), the client is handed to a waiting caller and the FATAL
 * is emitted in the same tick, to no one. Listening from construction closes that window. Nothing is lost: queries
 * in flight fail with the error, the client is no longer queryable, and the pool drops it when it is released.
 *
 * Give it to every pool as `Client` (node-postgres's documented option) and use it for single connections.
 */
export class SessionClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', ignoreSessionEnd);
  }
}

function ignoreSessionEnd(): void {
  // The failure reaches the caller through its next query ("Client has encountered a connection error").
}

/**
 * A pg Pool whose sessions are SessionClients, and which hears the errors of idle ones (pg-pool re-emits those on
 * the pool, and drops the client): the pool every test and tool outside TypeORM should build. The services' pool is
 * TypeORM's, given SessionClient through `extra.Client`.
 */
export function sessionPool(config: Omit<pg.PoolConfig, 'Client'>): pg.Pool {
  const pool = new pg.Pool({ ...config, Client: SessionClient });
  pool.on('error', ignoreSessionEnd);
  return pool;
}
