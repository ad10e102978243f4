// Registers TypeScript exactly as `pulumi up` does (@pulumi/pulumi/cmd/run/run.js): the same
// ts-node (Pulumi's vendored one unless the project has its own), the project's TypeScript,
// tsconfig.json's options over Pulumi's defaults, type-checking on. Used by the offline tools
// (plan, class) so a type error that would break `pulumi up` breaks them too.
"use strict";
const path = require("path");

exports.registerTypeScriptLikePulumi = function registerTypeScriptLikePulumi(root) {
  const tsutils = require("@pulumi/pulumi/tsutils");
  // semver comes with @pulumi/pulumi (its run.js uses it the same way).
  const semver = require(require.resolve("semver", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }));
  const tsConfigPath = path.join(root, "tsconfig.json");
  const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
  const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck;
  const ts = require(typescriptRequire);
  const tsVersion = semver.parse(ts.version);
  const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
  require(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly,
    project: tsConfigPath,
    skipProject: false,
    compilerOptions: {
      target: "ES2020",
      module: useNodeNext ? "nodenext" : "commonjs",
      moduleResolution: useNodeNext ? "nodenext" : "node",
      sourceMap: "true",
      ...compilerOptions,
    },
  });
};

/** Loads `modulePath` (TypeScript) after registering, runs its `main(argv, root)`, exits with its code. */
exports.runTypeScriptMain = function runTypeScriptMain(root, modulePath, name) {
  exports.registerTypeScriptLikePulumi(root);
  require(modulePath)
    .main(process.argv.slice(2), root)
    .then((code) => process.exit(code))
    .catch((error) => {
      process.stderr.write(`${name}: ${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    });
};
