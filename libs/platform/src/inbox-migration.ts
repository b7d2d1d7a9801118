/**
 * Statements that merge a service's former inboxes into the one named after the service: every id claimed before
 * stays claimed, under the new name. Run once, in a migration; the old rows are removed.
 */
export function oneInboxPerService(service: string, formerNames: readonly string[]): string[] {
  const names = formerNames.map((name) => `'${name.replaceAll("'", "''")}'`).join(', ');
  return [
    `INSERT INTO es_inbox (consumer, message_id, processed_at)
     SELECT '${service}', message_id, processed_at FROM es_inbox WHERE consumer IN (${names})
     ON CONFLICT (consumer, message_id) DO NOTHING`,
    `DELETE FROM es_inbox WHERE consumer IN (${names})`,
  ];
}
