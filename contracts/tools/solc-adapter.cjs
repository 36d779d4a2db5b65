#!/usr/bin/env node
/**
 * A native-solc-compatible front end for the `solc` npm package (solcjs).
 *
 * forge talks to solc in exactly two ways, and this answers both:
 *   solc --version                  -> "Version: <semver>+commit.<hash>.Linux.g++"
 *   solc [flags] --standard-json    -> standard-JSON on stdin, standard-JSON on stdout
 *
 * forge also passes --base-path, --include-path and --allow-paths. solcjs' own CLI
 * rejects --allow-paths, which is why this adapter calls solc.compile() directly and
 * honours those paths in its import callback instead.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const solc = require('solc');

/** solcjs reports "0.8.37+commit.xxxxxxxx.Emscripten.clang"; forge parses a native-looking line. */
function nativeVersion() {
  const [semver, commit] = solc.version().split('+');
  const commitPart = (commit ?? '').split('.')[0] || 'commit.00000000';
  return `${semver}+${commitPart}.Linux.g++`;
}

/** Collects the values of a repeatable flag, accepting both `--flag v` and `--flag=v`. */
function flagValues(argv, name) {
  const values = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === name && i + 1 < argv.length) values.push(argv[++i]);
    else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
  }
  return values.flatMap((v) => v.split(',')).filter(Boolean);
}

function main(argv) {
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(
      `solc, the solidity compiler commandline interface\nVersion: ${nativeVersion()}\n`,
    );
    return 0;
  }
  if (!argv.includes('--standard-json')) {
    process.stderr.write(
      'solc adapter: only --version and --standard-json are supported (this wraps the solc npm package for forge)\n',
    );
    return 1;
  }

  const roots = [
    ...flagValues(argv, '--base-path'),
    ...flagValues(argv, '--include-path'),
    process.cwd(),
  ].map((p) => path.resolve(p));

  /** Import callback: forge normally inlines every source, this only covers the rest. */
  function findImports(importPath) {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : roots.map((root) => path.join(root, importPath));
    for (const candidate of candidates) {
      try {
        return { contents: fs.readFileSync(candidate, 'utf8') };
      } catch {
        // try the next root
      }
    }
    return { error: `File not found: ${importPath}` };
  }

  const input = fs.readFileSync(0, 'utf8');
  const output = solc.compile(input, { import: findImports });
  process.stdout.write(output);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
