#!/usr/bin/env node
// The floor of bench:intake: what this machine does with the least code between HTTP and PostgreSQL. A node:http server
// that parses the JSON body and runs one INSERT per request through a pg pool, nothing else.
import http from 'node:http';
import pg from 'pg';

const admin = new pg.Client({ connectionString: process.env.ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${process.env.DATABASE_NAME}`);
await admin.end();
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
await pool.query('CREATE TABLE orders (order_id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body jsonb NOT NULL, placed_at timestamptz NOT NULL DEFAULT now())');

const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const { rows } = await pool.query('INSERT INTO orders (body) VALUES ($1) RETURNING order_id', [body]);
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ orderId: rows[0].order_id, status: 'pending' }));
    } catch {
      res.writeHead(400);
      res.end();
    }
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');

const stop = async () => {
  server.close();
  await pool.end();
  const cleanup = new pg.Client({ connectionString: process.env.ADMIN_URL });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${process.env.DATABASE_NAME} WITH (FORCE)`);
  await cleanup.end();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
