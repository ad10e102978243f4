import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The config lives in test/ (the project keeps only its named top-level entries); paths are
  // from the repository root.
  root: resolve(__dirname, ".."),
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: suites that start real haproxy/apache/chromium must not starve each other.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ["default"],
  },
});
