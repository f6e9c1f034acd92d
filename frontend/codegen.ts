import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed documents from the schema the hub prints (`facturehub schema > frontend/schema.graphql`).
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { Date: "string", DateTime: "string", Decimal: "string", Upload: "File"},
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
