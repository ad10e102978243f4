import { defineConfig } from "vitest/config";

export default defineConfig({
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
