// Compile a jsii module's TypeScript into its assembly and Python package with jsii-srcmak's
// API, as `cdk8s import` does (its CLI cannot set the assembly's name, `moduleKey`).
// Run by build.py:  node jsii-src/srcmak.mjs NODE_MODULES '{"srcdir": ..., ...srcmak options}'
import { createRequire } from 'node:module';
import path from 'node:path';

const [nodeModules, json] = process.argv.slice(2);
const { srcdir, ...options } = JSON.parse(json);
const require = createRequire(path.join(path.resolve(nodeModules), 'noop.js'));
const { srcmak } = require('jsii-srcmak');
await srcmak(srcdir, options);
