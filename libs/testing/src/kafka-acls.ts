import { SERVICE_NAMES, serviceKafkaAcls, type KafkaAcl, type ServiceName } from '@fulfillment/contracts';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Admin } from 'kafkajs';
import { testKafka, type KafkaTarget } from './kafka.js';
import { eventually } from './wait.js';

/** The kafkajs form of one contract ACL, allowed to `User:<user>` from any host. */
function aclOf(user: string, acl: KafkaAcl) {
  return {
    resourceType: acl.resourceType === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: acl.name,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${user}`,
    host: '*',
    operation: acl.operation === 'read' ? AclOperationTypes.READ : AclOperationTypes.WRITE,
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/**
 * Creates, as the super user behind `admin`, the ACLs of `serviceKafkaAcls` for each service's principal: by default
 * the user named like the service (`order`, `inventory`, ...). Returns how many were created.
 */
export async function createServiceAcls(
  admin: Admin,
  prefix: string,
  users: Partial<Record<ServiceName, string>> = Object.fromEntries(SERVICE_NAMES.map((service) => [service, service])),
): Promise<number> {
  const acl = Object.entries(users).flatMap(([service, user]) =>
    serviceKafkaAcls(service as ServiceName, prefix).map((entry) => aclOf(user!, entry)),
  );
  await admin.createAcls({ acl });
  return acl.length;
}

/**
 * Waits until the broker applies the ACLs it acknowledged (a moment later): until each target's user may start an
 * idempotent producer, as every service's publisher and dead-letter producer does first.
 */
export async function aclsInForce(targets: readonly KafkaTarget[], timeoutMs = 30_000): Promise<void> {
  for (const target of targets) {
    const kafka = await testKafka('acl-probe', target);
    await eventually(
      async () => {
        const probe = kafka.producer({ idempotent: true });
        try {
          await probe.connect();
          return true;
        } finally {
          await probe.disconnect().catch(() => undefined);
        }
      },
      { timeoutMs, intervalMs: 200, what: 'the ACLs in force' },
    );
  }
}
