#!/usr/bin/env node
// The losscurve command: runs the compiled CLI and exits with the code it decided.
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv);
