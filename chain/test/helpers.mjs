// Shared test helpers: start child processes on free loopback ports, wait for their "ready" line, and make sure
// they are always stopped, even when a test fails or times out.

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const chainDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Every child runs in its own process group (detached), so a kill reaches anything it started too.
const running = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// Last line of defence: if the runner exits while children are alive (a crash, a forgotten stop()), kill them.
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});
// The test runner stops a file that overran its timeout with SIGTERM, which skips "exit" handlers unless the
// signal is handled; so handle it (and Ctrl-C), then exit with the usual 128 + signal number.
for (const [signal, number] of [["SIGTERM", 15], ["SIGINT", 2]]) {
  process.once(signal, () => process.exit(128 + number));
}

// The parent's environment plus `env`; a key whose value is undefined is removed.
function withEnv(env) {
  const merged = { ...process.env, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it; there is a small race, acceptable here). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cryptopocket-${prefix}-`));
}

/**
 * Starts `command args` and resolves once a stdout line matches `ready`, with { child, match, output(), stop() }.
 * Rejects (after killing the child) if the process exits first or `timeoutMs` passes.
 */
export function startProcess(command, args, { env = {}, cwd = chainDir, ready, timeoutMs = 30_000 } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: withEnv(env),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  // A child that a failed test never stopped must not keep the test file alive until its timeout; the exit
  // handler above still kills it.
  child.unref();
  child.stdout.unref();
  child.stderr.unref();
  let output = "";
  const exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = async (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      await stop();
      reject(new Error(`${message}\n--- output of ${path.basename(args[0] ?? command)} ---\n${output}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text) => {
      output += text;
    });
    child.stdout.on("data", (text) => {
      output += text;
      const match = ready && output.match(ready);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, match, output: () => output, stop, exited });
      }
    });
    exited.then(({ code, signal }) => fail(`exited early (code ${code}, signal ${signal})`));
    child.on("error", (error) => fail(`could not start: ${error.message}`));
  });
}

/** Runs a command to completion and returns { code, stdout, stderr }; kills it after `timeoutMs`. */
export function runProcess(command, args, { env = {}, cwd = chainDir, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: withEnv(env), detached: true });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Posts a JSON body and returns { status, body } (body parsed when it is JSON). */
export async function postJson(url, payload, headers = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof payload === "string" ? payload : JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Left as text.
  }
  return { status: response.status, body };
}

let nextId = 1;

/** One JSON-RPC call; returns the whole response object ({ result } or { error }). */
export async function rpc(url, method, params) {
  const request = { jsonrpc: "2.0", id: nextId++, method };
  if (params !== undefined) request.params = params;
  const { body } = await postJson(url, request);
  return body;
}

export const SIGNER_PASSWORD = "sandbox-test-password";

/** Starts the signer on a free port (--port 0) and resolves with { url, port, stop, ... }. */
export async function startSigner(keystore, { create, password = SIGNER_PASSWORD, port = 0 } = {}) {
  const args = [path.join(chainDir, "signer", "signer.mjs"), "--port", String(port), "--keystore", keystore];
  if (create !== undefined) args.push("--create", String(create));
  // password: null starts it with no password at all (the variable is removed, not just empty).
  const env = { CRYPTOPOCKET_SIGNER_PASSWORD: password ?? undefined };
  const started = await startProcess(process.execPath, args, {
    env,
    ready: /signer ready on 127\.0\.0\.1:(\d+) with (\d+) account\(s\)/,
  });
  const actualPort = Number(started.match[1]);
  return { ...started, port: actualPort, url: `http://127.0.0.1:${actualPort}/`, accounts: Number(started.match[2]) };
}

/** Starts `hardhat node` from chain/ on a free port and resolves with { url, port, stop, ... }. */
export async function startHardhatNode() {
  const port = await freePort();
  const cli = path.join(chainDir, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
  const started = await startProcess(
    process.execPath,
    [cli, "node", "--hostname", "127.0.0.1", "--port", String(port), "--config", "hardhat.config.cjs"],
    {
      env: { HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
      ready: /Started HTTP and WebSocket JSON-RPC server at/,
      timeoutMs: 40_000,
    },
  );
  return { ...started, port, url: `http://127.0.0.1:${port}/` };
}
