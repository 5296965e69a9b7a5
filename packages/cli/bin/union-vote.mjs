#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader (this repository ships no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
