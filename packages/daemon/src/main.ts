#!/usr/bin/env node
import { runDaemon } from './run.js';

process.exitCode = await runDaemon(process.argv.slice(2));
// Drivers may hold timers or handles; the daemon has shut down, so leave now.
process.exit();
