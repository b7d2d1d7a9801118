import { describe, expect, it } from '@jest/globals';
import { ALL_TOPICS, dlqTopicOf, SERVICE_NAMES, serviceKafkaAcls, TOPIC_INFO } from './index.js';

describe('serviceKafkaAcls', () => {
  it("gives the order service its own events, the dead letters of what it reads, what it reads and its group", () => {
    expect(serviceKafkaAcls('order', 'staging.')).toEqual([
      { resourceType: 'topic', name: 'staging.order.events', operation: 'write' },
      { resourceType: 'topic', name: 'staging.order.commands.dlq', operation: 'write' },
      { resourceType: 'topic', name: 'staging.inventory.events.dlq', operation: 'write' },
      { resourceType: 'topic', name: 'staging.order.commands', operation: 'read' },
      { resourceType: 'topic', name: 'staging.inventory.events', operation: 'read' },
      { resourceType: 'group', name: 'staging.order-service', operation: 'read' },
    ]);
  });

  it('lets the notification service write its events though nobody inside consumes them', () => {
    expect(serviceKafkaAcls('notification').filter((acl) => acl.operation === 'write').map((acl) => acl.name)).toEqual([
      'notification.events',
      'order.events.dlq',
      'inventory.events.dlq',
      'supplier.events.dlq',
    ]);
  });

  it('never lets a service write a topic another service owns, nor a command topic, and reads only what it consumes', () => {
    for (const service of SERVICE_NAMES) {
      const acls = serviceKafkaAcls(service);
      for (const topic of ALL_TOPICS) {
        const info = TOPIC_INFO[topic];
        const writes = acls.some((acl) => acl.name === topic && acl.operation === 'write');
        expect({ service, topic, writes }).toEqual({ service, topic, writes: info.owner === service && topic.endsWith('.events') });
        const reads = acls.some((acl) => acl.name === topic && acl.operation === 'read');
        expect({ service, topic, reads }).toEqual({ service, topic, reads: info.consumers.includes(service) });
        const deadLetters = acls.some((acl) => acl.name === dlqTopicOf(topic) && acl.operation === 'write');
        expect({ service, topic, deadLetters }).toEqual({ service, topic, deadLetters: info.consumers.includes(service) });
      }
      expect(acls.filter((acl) => acl.resourceType === 'group')).toEqual([{ resourceType: 'group', name: `${service}-service`, operation: 'read' }]);
    }
  });
});
