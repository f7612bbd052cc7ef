/** Jest runs TypeScript through SWC (type-checking is `npm run typecheck`). jose is ESM-only, so it is transformed too. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/bench', '<rootDir>/gateway', '<rootDir>/http', '<rootDir>/subgraphs', '<rootDir>/contracts', '<rootDir>/audit', '<rootDir>/scripts', '<rootDir>/tests'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: { '^@govgraph/department-kit$': '<rootDir>/subgraphs/kit/index.ts' },
  testTimeout: 60000,
};
