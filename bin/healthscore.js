#!/usr/bin/env node
// Entry point of the `healthscore` command. The code is TypeScript run by Node 24's type stripping;
// check the version first so an older node gets a clear message instead of a parse error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `healthscore needs Node.js 24 or newer (this is ${process.version}).\n` +
      "Run it through npm (npx healthscore, npm start): the project's own Node 24 (devDependency 'node') is used there.\n",
  );
  process.exit(2);
}
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
