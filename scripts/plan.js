#!/usr/bin/env node
// npm run plan: the stack under Pulumi's mocks, offline, loaded the way `pulumi up` loads it
// (see lib/pulumi-typescript.js). Everything else is TypeScript in scripts/lib/plan/.
"use strict";
const path = require("path");
const { runTypeScriptMain } = require("./lib/pulumi-typescript");

runTypeScriptMain(path.resolve(__dirname, ".."), path.join(__dirname, "lib", "plan", "cli.ts"), "plan");
