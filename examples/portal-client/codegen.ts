import type { CodegenConfig } from '@graphql-codegen/cli';

/** GovGraph's identifier and date scalars are all JSON strings (each names its standard in @specifiedBy). */
const scalars = { IdNumber: 'string', CreditCode: 'string', RegionCode: 'string', Date: 'string', DateTime: 'string' };

const config: CodegenConfig = {
  // The app's own schema, printed by `npm run -s contracts -- schema --app oneservice-portal`: no URL is read.
  schema: 'schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      // strictScalars: a scalar the graph adds later stops generation until it is mapped here.
      config: { scalars, strictScalars: true, enumsAsTypes: true, useTypeImports: true },
    },
    // Apollo Client's keyFields and connection fields, from the schema's "Cache key:" notes.
    'src/gql/type-policies.ts': { plugins: ['apollo-type-policies.cjs'] },
  },
};

export default config;
