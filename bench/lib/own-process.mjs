/**
 * The child side of `ownProcess` (contestants.mjs): one of our contestants alone in a fresh Node
 * process, as a user's process trains one model.
 *
 *   node own-process.mjs <config JSON> <module URL> <export name>
 *
 * Imports the module, calls the export with the config to get `{ info, run }`, and speaks the harness's
 * line protocol like the Node peers (peers/protocol.mjs).
 */
import { serve } from '../peers/protocol.mjs';

const [moduleUrl, exportName] = process.argv.slice(3);
const module = await import(moduleUrl);
if (typeof module[exportName] !== 'function') throw new Error(`${moduleUrl} has no function export ${exportName}`);
await serve(module[exportName]);
