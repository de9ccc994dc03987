#!/usr/bin/env node
// `npm start`: builds the extension, makes sure code-server is installed, installs the
// extension into a private throw-away profile, opens the examples/ folder and prints the
// loopback URL to open in a browser. Runs until Ctrl+C, then cleans up.
//
// Options: --port <n>        listen on this port (default: any free port)
//          --folder <path>   open this folder instead of examples/
//          --no-build        reuse the current dist/
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from './code-server.mjs';
import { repoRoot, run } from './env.mjs';
import { installRepoExtension } from './extension-folder.mjs';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string' },
    folder: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

const starterNote = `# Tensor Derivatives examples

Open the command palette (Ctrl+Shift+P) and run
"Tensor Derivatives: Analyze Tensor Expressions in Document".

\`\`\`tensor
x: R^n
A: R^{m×n}
y = A x
\`\`\`
`;

/** examples/ is the project's own; only a checkout without one gets a starter note. */
function ensureExamplesFolder(folder) {
  if (existsSync(folder)) return;
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'getting-started.md'), starterNote);
  console.log(`created ${folder} with a starter note`);
}

async function main() {
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port must be a TCP port number, got "${options.port}"`);
  }
  const folder = options.folder ? resolve(options.folder) : join(repoRoot, 'examples');
  if (!options.folder) ensureExamplesFolder(folder);
  if (!options['no-build']) await run('npm', ['run', '--silent', 'build'], { cwd: repoRoot });

  const server = await startCodeServer({
    folder,
    port,
    install: ({ extensionsDir }) => installRepoExtension(extensionsDir, repoRoot),
  });
  console.log(`\nTensor Derivatives is running in VS Code (code-server) at:\n\n  ${server.workbenchUrl()}\n`);
  console.log(`code-server log: ${server.logFile}`);
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  // If code-server dies on its own, say why instead of leaving a dead URL behind.
  const watchdog = setInterval(() => {
    if (!server.hasExited() || stopping) return;
    clearInterval(watchdog);
    console.error(`\ncode-server stopped unexpectedly:\n${server.logTail()}`);
    void shutdown(1);
  }, 1000);
}

try {
  await main();
} catch (error) {
  // Starting is this command's whole job: a missing prerequisite is an error here too.
  console.error(`\n[start] ERROR: ${error.message}`);
  process.exit(1);
}
