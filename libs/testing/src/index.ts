export { testInfra, repoRoot, type TestInfra } from './infra.js';
export { createTestDatabase, uniqueSuffix, withDatabase, type TestDatabase } from './database.js';
export { testKafka, createTestTopics, type TestTopics } from './kafka.js';
export { eventually } from './wait.js';
