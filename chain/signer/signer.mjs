#!/usr/bin/env node
// Cryptopocket sandbox signer: a small JSON-RPC 2.0 server that holds private keys and signs transactions,
// in the manner of Web3Signer or Clef. The C# server asks it for signatures and never sees a key.
//
//   CRYPTOPOCKET_SIGNER_PASSWORD=... node signer/signer.mjs --port <PORT> --keystore <DIR> [--create <N>]
//
// Methods: eth_accounts, eth_signTransaction, health. See chain/README.md.
//
// What it deliberately does not do: broadcast, estimate gas, pick nonces or fees. The caller builds the whole
// transaction; the signer only checks it is well formed and signs it, so a signature never depends on state
// the caller cannot see.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { Transaction, Wallet, encryptKeystoreJson, getAddress } from "ethers";

const PASSWORD_ENV = "CRYPTOPOCKET_SIGNER_PASSWORD";
const HOST = "127.0.0.1";
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CREATE = 1000;
// scrypt cost for newly written keystore files. ethers' default is N = 2^17 (about a second per key in pure
// JavaScript); the sandbox decrypts every key at each start, and tests start the signer many times, so 2^14
// (8x cheaper, the cost geth calls "light") keeps start-up fast. The files stay encrypted; they are only
// cheaper to brute-force, which is acceptable for throw-away sandbox keys and NOT for real funds.
const SCRYPT_N = 1 << 14;
const UINT256_MAX = (1n << 256n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

// JSON-RPC 2.0 error codes.
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

class RpcError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const invalidParams = (message) => new RpcError(INVALID_PARAMS, message);

function die(message) {
  console.error(`signer: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------------------
// Command line and password

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        keystore: { type: "string" },
        create: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    die(`${error.message}\nusage: node signer/signer.mjs --port <PORT> --keystore <DIR> [--create <N>]`);
  }
  if (values.port === undefined || values.keystore === undefined) {
    die("usage: node signer/signer.mjs --port <PORT> --keystore <DIR> [--create <N>]");
  }
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  // Port 0 asks the OS for a free port; the "ready" line reports the one actually bound.
  if (!(port >= 0 && port <= 65535)) die(`--port must be a number from 0 to 65535, got "${values.port}"`);
  let create = 0;
  if (values.create !== undefined) {
    create = /^\d{1,4}$/.test(values.create) ? Number(values.create) : NaN;
    if (!(create >= 0 && create <= MAX_CREATE)) die(`--create must be a number from 0 to ${MAX_CREATE}`);
  }
  return { port, keystore: path.resolve(values.keystore), create };
}

function takePassword() {
  const password = process.env[PASSWORD_ENV];
  if (!password) die(`${PASSWORD_ENV} must be set to the keystore password; refusing to start without it`);
  // Out of the environment, so it is not inherited by anything this process might start, nor shown by tools
  // that read /proc/<pid>/environ of a live process (Node copies the environment, so this is best effort).
  delete process.env[PASSWORD_ENV];
  return password;
}

// ---------------------------------------------------------------------------------------------------------
// Keystore: one ethers/Web3 Secret Storage JSON file per key, named <checksummed address>.json, mode 0600.

function keystoreFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => entry.name)
    .sort();
}

async function createKeys(dir, wanted, password) {
  let count = keystoreFiles(dir).length;
  while (count < wanted) {
    // createRandom gives an HD wallet; only its private key is kept, so the file holds one encrypted secret
    // and not a mnemonic as well.
    const wallet = new Wallet(Wallet.createRandom().privateKey);
    // What Wallet.encrypt() does, but Wallet.encrypt() has no way to pass the scrypt cost (see SCRYPT_N).
    const json = await encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, password, {
      scrypt: { N: SCRYPT_N },
    });
    const file = path.join(dir, `${wallet.address}.json`);
    // "wx": never overwrite an existing key file; mode applies at creation, chmod covers a permissive umask.
    fs.writeFileSync(file, json, { mode: 0o600, flag: "wx" });
    fs.chmodSync(file, 0o600);
    count += 1;
  }
}

async function loadKeys(dir, password) {
  const wallets = new Map();
  for (const name of keystoreFiles(dir)) {
    const file = path.join(dir, name);
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) console.error(`signer: warning: ${name} is readable by other users (mode ${mode.toString(8)})`);
    let wallet;
    try {
      wallet = await Wallet.fromEncryptedJson(fs.readFileSync(file, "utf8"), password);
    } catch {
      // The cause is not echoed: it would say nothing useful and ethers may quote input.
      die(`cannot decrypt ${name}: wrong ${PASSWORD_ENV} or not a keystore file`);
    }
    // The file name is what operators see; a file whose name and key disagree was renamed or swapped.
    if (name.toLowerCase() !== `${wallet.address.toLowerCase()}.json`) {
      die(`${name} holds the key of ${wallet.address}; its file name must be ${wallet.address}.json`);
    }
    wallets.set(wallet.address, wallet);
  }
  return wallets;
}

// ---------------------------------------------------------------------------------------------------------
// Transaction parameters (the Ethereum JSON-RPC "transaction object"; quantities and data are hex strings)

const KNOWN_FIELDS = new Set([
  "from", "to", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "nonce", "value", "data", "input",
  "chainId", "type", "accessList",
]);

function quantity(tx, field, { required = false, max = UINT256_MAX } = {}) {
  const raw = tx[field];
  if (raw === undefined) {
    if (required) throw invalidParams(`${field} is required`);
    return undefined;
  }
  // JSON numbers lose precision past 2^53, so only hex strings are accepted, as in the Ethereum JSON-RPC.
  if (typeof raw !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(raw)) {
    throw invalidParams(`${field} must be a hex quantity such as "0x1a", got ${JSON.stringify(raw)}`);
  }
  const value = BigInt(raw);
  if (value > max) throw invalidParams(`${field} is too large`);
  return value;
}

function address(tx, field) {
  const raw = tx[field];
  if (typeof raw !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(raw)) {
    throw invalidParams(`${field} must be a 20-byte hex address, got ${JSON.stringify(raw)}`);
  }
  try {
    // Accepts all-lower or all-upper case; a mixed-case address must carry a valid EIP-55 checksum, which
    // catches typos.
    return getAddress(raw);
  } catch {
    throw invalidParams(`${field} has an invalid EIP-55 checksum: ${raw}`);
  }
}

function hexData(tx, field) {
  const raw = tx[field];
  if (typeof raw !== "string" || !/^0x(?:[0-9a-fA-F]{2})*$/.test(raw)) {
    throw invalidParams(`${field} must be hex bytes such as "0xa9059cbb…" (even length), got a malformed value`);
  }
  return raw.toLowerCase();
}

function accessList(tx) {
  const raw = tx.accessList;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidParams("accessList must be an array");
  return raw.map((entry, i) => {
    if (entry === null || typeof entry !== "object" || !Array.isArray(entry.storageKeys)) {
      throw invalidParams(`accessList[${i}] must be {"address", "storageKeys": [...]}`);
    }
    const addr = address(entry, "address");
    const storageKeys = entry.storageKeys.map((key, j) => {
      if (typeof key !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
        throw invalidParams(`accessList[${i}].storageKeys[${j}] must be a 32-byte hex value`);
      }
      return key.toLowerCase();
    });
    return { address: addr, storageKeys };
  });
}

// Turns the request's transaction object into an unsigned ethers Transaction, or throws a -32602 error that
// says exactly what is wrong. Strict on purpose: a signer that guesses signs things nobody meant.
function parseTransaction(params, wallets) {
  if (!Array.isArray(params) || params.length !== 1) {
    throw invalidParams("eth_signTransaction takes exactly one parameter, the transaction object");
  }
  const input = params[0];
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw invalidParams("the transaction must be a JSON object");
  }
  // Clients often send absent fields as null; treat them as absent.
  const tx = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  const unknown = Object.keys(tx).filter((key) => !KNOWN_FIELDS.has(key));
  // An ignored field could change what the caller believes was signed, so unknown fields are refused.
  if (unknown.length > 0) throw invalidParams(`unsupported transaction field(s): ${unknown.join(", ")}`);

  if (tx.from === undefined) throw invalidParams("from is required");
  const from = address(tx, "from");
  const wallet = wallets.get(from);
  if (!wallet) throw invalidParams(`from ${from} is not an account of this signer`);

  const to = tx.to === undefined ? null : address(tx, "to");

  // "input" is the newer name of "data"; both are accepted but must then agree.
  let data = "0x";
  if (tx.data !== undefined) data = hexData(tx, "data");
  if (tx.input !== undefined) {
    const other = hexData(tx, "input");
    if (tx.data !== undefined && other !== data) throw invalidParams("data and input are both set and differ");
    data = other;
  }
  if (to === null && data === "0x") {
    throw invalidParams("to is required (a transaction without to creates a contract and then needs data)");
  }

  // Without a chain id the signature would be valid on every chain (no EIP-155 replay protection).
  const chainId = quantity(tx, "chainId", { required: true, max: UINT64_MAX });
  if (chainId === 0n) throw invalidParams("chainId must not be 0");
  const nonce = quantity(tx, "nonce", { required: true, max: BigInt(Number.MAX_SAFE_INTEGER) });
  const gasLimit = quantity(tx, "gas", { required: true, max: UINT64_MAX });
  if (gasLimit === 0n) throw invalidParams("gas must not be 0");
  const value = quantity(tx, "value") ?? 0n;

  let type;
  if (tx.type !== undefined) {
    const t = quantity(tx, "type", { max: 0xffn });
    if (t !== 0n && t !== 2n) throw invalidParams(`type ${tx.type} is not supported; use "0x2" (EIP-1559) or "0x0" (legacy)`);
    type = Number(t);
  } else {
    // Without a type the fee fields say which kind is meant, as in geth.
    type = tx.gasPrice !== undefined ? 0 : 2;
  }

  const fields = { type, chainId, nonce: Number(nonce), gasLimit, to, value, data };
  if (type === 2) {
    if (tx.gasPrice !== undefined) throw invalidParams("gasPrice is not allowed in a type 0x2 transaction; use maxFeePerGas");
    fields.maxFeePerGas = quantity(tx, "maxFeePerGas", { required: true });
    fields.maxPriorityFeePerGas = quantity(tx, "maxPriorityFeePerGas", { required: true });
    if (fields.maxPriorityFeePerGas > fields.maxFeePerGas) {
      throw invalidParams("maxPriorityFeePerGas must not exceed maxFeePerGas");
    }
    fields.accessList = accessList(tx);
  } else {
    if (tx.maxFeePerGas !== undefined || tx.maxPriorityFeePerGas !== undefined) {
      throw invalidParams("maxFeePerGas and maxPriorityFeePerGas are not allowed in a type 0x0 transaction");
    }
    if (tx.accessList !== undefined) throw invalidParams("accessList is not allowed in a type 0x0 transaction");
    fields.gasPrice = quantity(tx, "gasPrice", { required: true });
  }
  return { wallet, transaction: Transaction.from(fields) };
}

// ---------------------------------------------------------------------------------------------------------
// JSON-RPC dispatch

function makeMethods(wallets) {
  // Sorted once: the order is stable across calls and restarts (it does not depend on directory order).
  const accounts = [...wallets.keys()].sort();
  return {
    health: () => "ok",
    eth_accounts: (params) => {
      if (params !== undefined && !(Array.isArray(params) && params.length === 0)) {
        throw invalidParams("eth_accounts takes no parameters");
      }
      return accounts;
    },
    eth_signTransaction: (params) => {
      const { wallet, transaction } = parseTransaction(params, wallets);
      transaction.signature = wallet.signingKey.sign(transaction.unsignedHash);
      // An audit line with what was signed; nothing secret is in it.
      console.log(
        `signed type ${transaction.type} tx ${transaction.hash} from ${wallet.address} ` +
          `nonce ${transaction.nonce} chainId ${transaction.chainId}`,
      );
      return transaction.serialized;
    },
  };
}

function handleOne(request, methods) {
  const isObject = request !== null && typeof request === "object" && !Array.isArray(request);
  const hasId = isObject && Object.hasOwn(request, "id");
  const id = hasId && (request.id === null || ["string", "number"].includes(typeof request.id)) ? request.id : null;
  const reply = (body) => ({ jsonrpc: "2.0", id, ...body });
  if (
    !isObject ||
    request.jsonrpc !== "2.0" ||
    typeof request.method !== "string" ||
    (hasId && id !== request.id) ||
    (request.params !== undefined && (request.params === null || typeof request.params !== "object"))
  ) {
    return reply({ error: { code: INVALID_REQUEST, message: "invalid JSON-RPC 2.0 request" } });
  }
  let response;
  const method = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
  if (!method) {
    response = reply({ error: { code: METHOD_NOT_FOUND, message: `method ${request.method} is not supported` } });
  } else {
    try {
      response = reply({ result: method(request.params) });
    } catch (error) {
      if (error instanceof RpcError) {
        response = reply({ error: { code: error.code, message: error.message } });
      } else {
        // Details stay out of the response and the log: they could quote request data or internals.
        console.error(`signer: internal error in ${request.method}: ${error?.code ?? error?.name ?? "unknown"}`);
        response = reply({ error: { code: INTERNAL_ERROR, message: "internal error" } });
      }
    }
  }
  // A notification (no id) gets no response, per JSON-RPC 2.0.
  return hasId ? response : undefined;
}

function handleBody(text, methods) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { jsonrpc: "2.0", id: null, error: { code: PARSE_ERROR, message: "parse error: the body is not JSON" } };
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) {
      return { jsonrpc: "2.0", id: null, error: { code: INVALID_REQUEST, message: "empty batch" } };
    }
    const responses = parsed.map((r) => handleOne(r, methods)).filter((r) => r !== undefined);
    return responses.length > 0 ? responses : undefined;
  }
  return handleOne(parsed, methods);
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

function send(res, status, body) {
  if (body === undefined) {
    res.writeHead(status === 200 ? 204 : status).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

function rpcFailure(code, message) {
  return { jsonrpc: "2.0", id: null, error: { code, message } };
}

function createServer(methods, getPort) {
  return http.createServer((req, res) => {
    // Loopback is not enough against a web page in a local browser: it can POST to 127.0.0.1, and with DNS
    // rebinding even read the answer. Browsers always send Origin on such requests and the Host would be the
    // attacker's name, so either one is refused. Non-browser clients (the C# server, curl) send neither.
    const host = req.headers.host ?? "";
    if (req.headers.origin !== undefined || ![`127.0.0.1:${getPort()}`, `localhost:${getPort()}`].includes(host)) {
      send(res, 403, rpcFailure(INVALID_REQUEST, "requests from browsers or for other host names are refused"));
      return;
    }
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      send(res, 405, rpcFailure(INVALID_REQUEST, "use POST with a JSON-RPC 2.0 body"));
      return;
    }
    const tooLarge = () => {
      // Connection: close, so the rest of an oversized upload is not read.
      res.setHeader("connection", "close");
      send(res, 413, rpcFailure(INVALID_REQUEST, `request body larger than ${MAX_BODY_BYTES} bytes`));
      req.destroy();
    };
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      tooLarge();
      return;
    }
    const chunks = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      send(res, 200, handleBody(Buffer.concat(chunks).toString("utf8"), methods));
    });
    req.on("error", () => {
      done = true;
    });
  });
}

// ---------------------------------------------------------------------------------------------------------

async function main() {
  const options = readOptions();
  let password = takePassword();

  if (!fs.existsSync(options.keystore)) {
    if (options.create === 0) die(`keystore directory ${options.keystore} does not exist (use --create <N> to make keys)`);
    fs.mkdirSync(options.keystore, { recursive: true, mode: 0o700 });
  }
  if (!fs.statSync(options.keystore).isDirectory()) die(`${options.keystore} is not a directory`);
  await createKeys(options.keystore, options.create, password);
  const wallets = await loadKeys(options.keystore, password);
  // Not needed after start-up: keys are decrypted and new ones are made only at start.
  password = undefined;

  const methods = makeMethods(wallets);
  let port = options.port;
  const server = createServer(methods, () => port);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on("error", (error) => die(`cannot listen on ${HOST}:${options.port}: ${error.code ?? error.message}`));
  server.listen(options.port, HOST, () => {
    port = server.address().port;
    console.log(`signer ready on ${HOST}:${port} with ${wallets.size} account(s)`);
  });

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    // Do not hang on a slow client.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => die(`failed to start: ${error?.message ?? error}`));
