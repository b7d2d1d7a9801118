import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Project boundaries of docs/architecture.md, enforced from the tags in each project's package.json:
//   domain   -> contracts, util                 (pure: no Nest, TypeORM or kafkajs)
//   contracts-> util
//   data-access (eventstore, messaging) -> contracts, util
//   platform (Nest shell helpers) -> data-access, contracts, util
//   app      -> its own scope's domain, shared libs; never another service
//   testing  -> anything shared; imported by tests only (*.spec.ts, test/)
const depConstraints = [
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:util'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:order', 'scope:shared'] },
  { sourceTag: 'scope:inventory', onlyDependOnLibsWithTags: ['scope:inventory', 'scope:shared'] },
  { sourceTag: 'scope:supplier', onlyDependOnLibsWithTags: ['scope:supplier', 'scope:shared'] },
  { sourceTag: 'scope:notification', onlyDependOnLibsWithTags: ['scope:notification', 'scope:shared'] },
  // The console reads the services over HTTP only: shared libs, never a service's domain.
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared'] },
];
const boundaries = (allow) => ({ enforceBuildableLibDependency: false, allow, depConstraints });

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.local/**', '**/coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', boundaries([])],
    },
  },
  {
    // Tests of any project may use the test infrastructure; production code may not.
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/test-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(['@fulfillment/testing'])] },
  },
  {
    // Domain libraries stay pure.
    files: ['libs/*-domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg', 'kafkajs'], message: 'Domain code is pure: no Nest, TypeORM, pg or kafkajs.' }] },
      ],
    },
  },
];
