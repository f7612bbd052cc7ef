/**
 * Jest runs TypeScript through SWC (type-checking is `npm run typecheck`). jose is ESM-only, so it is
 * transformed too, and so is the OTLP exporter's transport: it loads node:http with import(), which jest's
 * CommonJS sandbox cannot run (SWC makes it a require).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/bench', '<rootDir>/gateway', '<rootDir>/http', '<rootDir>/subgraphs', '<rootDir>/contracts', '<rootDir>/audit', '<rootDir>/scripts', '<rootDir>/tests'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@opentelemetry/exporter-trace-otlp-http|@opentelemetry/otlp-exporter-base)/)'],
  // Inside this repository the kit's package name is its source (tsconfig.json paths say the same); its build is ignored.
  moduleNameMapper: { '^@govgraph/department-kit$': '<rootDir>/subgraphs/kit/index.ts' },
  modulePathIgnorePatterns: ['<rootDir>/subgraphs/kit/dist'],
  testTimeout: 60000,
};
