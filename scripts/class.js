#!/usr/bin/env node
// npm run class: per-student stacks. `class plan` runs every student's stack through the same mock
// engine as npm run plan, so it loads TypeScript the same way (lib/pulumi-typescript.js).
"use strict";
const path = require("path");
const { runTypeScriptMain } = require("./lib/pulumi-typescript");

runTypeScriptMain(path.resolve(__dirname, ".."), path.join(__dirname, "lib", "class", "cli.ts"), "class");
