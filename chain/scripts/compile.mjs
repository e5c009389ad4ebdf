// Compiles every contracts/*.sol with solc-js and writes build/<Contract>.json = { contractName, abi, bytecode }.
//
// Why solc-js and not `hardhat compile`: the solc npm package bundles the compiler as WebAssembly (soljson.js),
// so this works offline and never downloads anything. Its version is pinned in package.json, which pins the
// compiler too. Only the standard-JSON interface is used (solc.compile); solc.loadRemoteVersion is never called.
//
// Usage: node scripts/compile.mjs [--contracts <DIR>] [--out <DIR>]   (npm run build uses the defaults,
//        contracts/ and build/; the tests pass other folders so they never touch the real build output)

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import solc from "solc";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: { contracts: { type: "string" }, out: { type: "string" } },
  strict: true,
  allowPositionals: false,
});
const contractsDir = path.resolve(args.contracts ?? path.join(root, "contracts"));
const buildDir = path.resolve(args.out ?? path.join(root, "build"));

function fail(message) {
  console.error(`compile: ${message}`);
  process.exit(1);
}

const files = fs.readdirSync(contractsDir).filter((f) => f.endsWith(".sol")).sort();
if (files.length === 0) fail(`no .sol files in ${contractsDir}`);

const sources = {};
for (const file of files) {
  sources[file] = { content: fs.readFileSync(path.join(contractsDir, file), "utf8") };
}

const input = {
  language: "Solidity",
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    // Pinned rather than left to the compiler default so that the bytecode does not change under us and
    // matches what the Hardhat node (Cancun rules) executes.
    evmVersion: "cancun",
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};

// Imports are resolved inside contracts/ only: nothing is fetched and no path may escape the folder.
function findImports(importPath) {
  const resolved = path.resolve(contractsDir, importPath);
  if (!resolved.startsWith(contractsDir + path.sep)) return { error: `import outside contracts/: ${importPath}` };
  if (!fs.existsSync(resolved)) return { error: `import not found: ${importPath}` };
  return { contents: fs.readFileSync(resolved, "utf8") };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

const diagnostics = output.errors ?? [];
const errors = diagnostics.filter((d) => d.severity === "error");
for (const d of diagnostics) console.error(d.formattedMessage ?? d.message);
if (errors.length > 0) fail(`${errors.length} error(s); nothing written`);

// Collect first, write afterwards: two contracts with one name in different files would overwrite each
// other's artifact, so that is an error rather than a silent loss.
const artifacts = new Map();
for (const [file, contracts] of Object.entries(output.contracts ?? {})) {
  for (const [contractName, compiled] of Object.entries(contracts)) {
    if (artifacts.has(contractName)) fail(`contract name ${contractName} is defined twice (${file})`);
    artifacts.set(contractName, {
      contractName,
      abi: compiled.abi,
      // Interfaces and abstract contracts have no bytecode; they get "0x" so their ABI is still usable.
      bytecode: `0x${compiled.evm.bytecode.object}`,
    });
  }
}
if (artifacts.size === 0) fail("the compiler produced no contracts");

fs.mkdirSync(buildDir, { recursive: true });
for (const [contractName, artifact] of artifacts) {
  const target = path.join(buildDir, `${contractName}.json`);
  // Write-then-rename, so a reader (the C# server, a test) never sees half a file.
  fs.writeFileSync(`${target}.tmp`, JSON.stringify(artifact, null, 2) + "\n");
  fs.renameSync(`${target}.tmp`, target);
}
console.log(`compiled ${[...artifacts.keys()].join(", ")} with solc ${solc.version()} into ${path.relative(process.cwd(), buildDir) || "."}`);
