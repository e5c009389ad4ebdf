// The signer on its own (no chain): what it signs, what it refuses, and how it keeps its keys.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Transaction, Wallet, getAddress } from "ethers";
import { SIGNER_PASSWORD, postJson, rpc, startSigner, tempDir } from "./helpers.mjs";

const RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("signer", () => {
  let keystore;
  let signer;
  let accounts;

  before(async () => {
    keystore = tempDir("keystore");
    signer = await startSigner(keystore, { create: 2 });
    accounts = (await rpc(signer.url, "eth_accounts", [])).result;
  });

  after(async () => {
    await signer?.stop();
    fs.rmSync(keystore, { recursive: true, force: true });
  });

  const eip1559 = (overrides = {}) => ({
    from: accounts[0],
    to: RECIPIENT,
    gas: "0x5208",
    maxFeePerGas: "0x77359400",
    maxPriorityFeePerGas: "0x3b9aca00",
    nonce: "0x7",
    value: "0xde0b6b3a7640000",
    data: "0x",
    chainId: "0x7a69",
    type: "0x2",
    ...overrides,
  });

  async function expectInvalidParams(tx, pattern) {
    const response = await rpc(signer.url, "eth_signTransaction", [tx]);
    assert.equal(response.result, undefined, "must not sign");
    assert.equal(response.error?.code, -32602);
    assert.match(response.error.message, pattern);
  }

  test("reports its accounts, checksummed and sorted, and says it is ready", () => {
    assert.equal(signer.accounts, 2);
    assert.equal(accounts.length, 2);
    for (const account of accounts) assert.equal(account, getAddress(account));
    assert.deepEqual(accounts, [...accounts].sort());
  });

  test("health answers ok", async () => {
    assert.equal((await rpc(signer.url, "health")).result, "ok");
  });

  test("signs an EIP-1559 transaction: sender recovers to from, fields equal the request", async () => {
    const request = eip1559({ data: "0xa9059cbb" + "00".repeat(64) });
    const response = await rpc(signer.url, "eth_signTransaction", [request]);
    assert.equal(typeof response.result, "string", JSON.stringify(response.error));
    assert.match(response.result, /^0x02[0-9a-f]+$/);
    const tx = Transaction.from(response.result);
    assert.equal(tx.from, request.from);
    assert.equal(tx.type, 2);
    assert.equal(tx.to, request.to);
    assert.equal(tx.gasLimit, BigInt(request.gas));
    assert.equal(tx.maxFeePerGas, BigInt(request.maxFeePerGas));
    assert.equal(tx.maxPriorityFeePerGas, BigInt(request.maxPriorityFeePerGas));
    assert.equal(tx.nonce, Number(request.nonce));
    assert.equal(tx.value, BigInt(request.value));
    assert.equal(tx.data, request.data);
    assert.equal(tx.chainId, BigInt(request.chainId));
  });

  test("accepts input instead of data, and null for absent fields", async () => {
    const request = eip1559({ data: undefined, input: "0xdeadbeef", accessList: null });
    delete request.data;
    const tx = Transaction.from((await rpc(signer.url, "eth_signTransaction", [request])).result);
    assert.equal(tx.data, "0xdeadbeef");
    assert.equal(tx.from, accounts[0]);
  });

  test("signs a legacy (type 0x0) transaction with EIP-155 replay protection", async () => {
    const request = {
      from: accounts[1],
      to: RECIPIENT,
      gas: "0x5208",
      gasPrice: "0x3b9aca00",
      nonce: "0x0",
      value: "0x1",
      chainId: "0x7a69",
      type: "0x0",
    };
    const tx = Transaction.from((await rpc(signer.url, "eth_signTransaction", [request])).result);
    assert.equal(tx.type, 0);
    assert.equal(tx.from, accounts[1]);
    assert.equal(tx.gasPrice, 0x3b9aca00n);
    assert.equal(tx.chainId, 31337n);
  });

  test("signs a contract creation only when it has data", async () => {
    const creation = eip1559({ data: "0x6080" });
    delete creation.to;
    const tx = Transaction.from((await rpc(signer.url, "eth_signTransaction", [creation])).result);
    assert.equal(tx.to, null);
    delete creation.data;
    await expectInvalidParams(creation, /to is required/);
  });

  test("refuses a from that is not one of its keys", async () => {
    await expectInvalidParams(eip1559({ from: RECIPIENT }), /not an account of this signer/);
  });

  test("refuses a transaction without chainId (no replay protection)", async () => {
    const tx = eip1559();
    delete tx.chainId;
    await expectInvalidParams(tx, /chainId is required/);
  });

  test("refuses a transaction without nonce or gas", async () => {
    const noNonce = eip1559();
    delete noNonce.nonce;
    await expectInvalidParams(noNonce, /nonce is required/);
    const noGas = eip1559();
    delete noGas.gas;
    await expectInvalidParams(noGas, /gas is required/);
  });

  test("refuses malformed hex", async () => {
    await expectInvalidParams(eip1559({ value: "0xzz" }), /value must be a hex quantity/);
    await expectInvalidParams(eip1559({ nonce: 7 }), /nonce must be a hex quantity/);
    await expectInvalidParams(eip1559({ gas: "0x" }), /gas must be a hex quantity/);
    await expectInvalidParams(eip1559({ data: "0xabc" }), /data must be hex bytes/);
    await expectInvalidParams(eip1559({ to: "0x1234" }), /to must be a 20-byte hex address/);
    // Mixed case with a wrong EIP-55 checksum (one letter's case flipped).
    await expectInvalidParams(eip1559({ to: RECIPIENT.replace("C51812", "c51812") }), /checksum/);
  });

  test("refuses inconsistent or unknown fields", async () => {
    await expectInvalidParams(eip1559({ gasPrice: "0x1" }), /gasPrice is not allowed/);
    await expectInvalidParams(eip1559({ type: "0x1" }), /not supported/);
    await expectInvalidParams(eip1559({ maxPriorityFeePerGas: "0xffffffffff" }), /must not exceed/);
    await expectInvalidParams(eip1559({ gasLimit: "0x5208" }), /unsupported transaction field/);
    await expectInvalidParams(eip1559({ data: "0x01", input: "0x02" }), /differ/);
    const response = await rpc(signer.url, "eth_signTransaction", []);
    assert.equal(response.error.code, -32602);
  });

  test("answers an unknown method with -32601", async () => {
    const response = await rpc(signer.url, "eth_sendTransaction", [eip1559()]);
    assert.equal(response.error.code, -32601);
    assert.equal((await rpc(signer.url, "eth_sign", [])).error.code, -32601);
  });

  test("handles batches, including errors and notifications inside them", async () => {
    const { status, body } = await postJson(signer.url, [
      { jsonrpc: "2.0", id: 1, method: "health" },
      { jsonrpc: "2.0", id: "two", method: "eth_accounts" },
      { jsonrpc: "2.0", id: 3, method: "eth_signTransaction", params: [eip1559()] },
      { jsonrpc: "2.0", id: 4, method: "nope" },
      { jsonrpc: "2.0", method: "health" },
      { not: "a request" },
    ]);
    assert.equal(status, 200);
    assert.equal(body.length, 5, "the notification gets no response");
    assert.deepEqual(body[0], { jsonrpc: "2.0", id: 1, result: "ok" });
    assert.deepEqual(body[1].result, accounts);
    assert.equal(body[1].id, "two");
    assert.equal(Transaction.from(body[2].result).from, accounts[0]);
    assert.equal(body[3].error.code, -32601);
    assert.equal(body[4].error.code, -32600);

    const empty = await postJson(signer.url, []);
    assert.equal(empty.body.error.code, -32600);
    const onlyNotifications = await postJson(signer.url, [{ jsonrpc: "2.0", method: "health" }]);
    assert.equal(onlyNotifications.status, 204);
  });

  test("refuses bad JSON, oversized bodies, browsers and non-POST", async () => {
    assert.equal((await postJson(signer.url, "{not json")).body.error.code, -32700);
    const big = await postJson(signer.url, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "health", pad: "x".repeat(1024 * 1024) }));
    assert.equal(big.status, 413);
    const browser = await postJson(signer.url, { jsonrpc: "2.0", id: 1, method: "eth_accounts" }, { origin: "http://example.com" });
    assert.equal(browser.status, 403);
    const get = await fetch(signer.url, { signal: AbortSignal.timeout(5000) });
    assert.equal(get.status, 405);
    // Still serving after all that.
    assert.equal((await rpc(signer.url, "health")).result, "ok");
  });

  test("keeps keys encrypted, one 0600 file per address, and never prints them", async () => {
    const files = fs.readdirSync(keystore).sort();
    assert.deepEqual(files, accounts.map((a) => `${a}.json`));
    for (const file of files) {
      const full = path.join(keystore, file);
      assert.equal(fs.statSync(full).mode & 0o777, 0o600);
      const text = fs.readFileSync(full, "utf8");
      const json = JSON.parse(text);
      // Web3 Secret Storage v3; ethers writes the section as "Crypto", geth as "crypto".
      const crypto = json.crypto ?? json.Crypto;
      assert.equal(json.version, 3);
      assert.equal(crypto.kdf, "scrypt");
      assert.equal(crypto.kdfparams.n, 1 << 14);
      const wallet = await Wallet.fromEncryptedJson(text, SIGNER_PASSWORD);
      assert.equal(`${wallet.address}.json`, file);
      const keyHex = wallet.privateKey.slice(2);
      assert.ok(!text.toLowerCase().includes(keyHex), "private key must not appear in the keystore file");
      assert.ok(!signer.output().toLowerCase().includes(keyHex), "private key must not appear in the output");
    }
    assert.ok(!signer.output().includes(SIGNER_PASSWORD), "password must not appear in the output");
  });
});

describe("signer start-up", () => {
  test("reuses the keys on restart and tops up to --create", async () => {
    const keystore = tempDir("keystore");
    try {
      const first = await startSigner(keystore, { create: 1 });
      const firstAccounts = (await rpc(first.url, "eth_accounts")).result;
      await first.stop();

      const second = await startSigner(keystore, { create: 1 });
      assert.deepEqual((await rpc(second.url, "eth_accounts")).result, firstAccounts);
      await second.stop();

      const third = await startSigner(keystore, { create: 3 });
      const thirdAccounts = (await rpc(third.url, "eth_accounts")).result;
      await third.stop();
      assert.equal(thirdAccounts.length, 3);
      assert.ok(thirdAccounts.includes(firstAccounts[0]));

      // Without --create it just loads what is there.
      const fourth = await startSigner(keystore);
      assert.deepEqual((await rpc(fourth.url, "eth_accounts")).result, thirdAccounts);
      await fourth.stop();
    } finally {
      fs.rmSync(keystore, { recursive: true, force: true });
    }
  });

  test("refuses to start without a password or with a wrong one", async () => {
    const keystore = tempDir("keystore");
    try {
      await assert.rejects(startSigner(keystore, { create: 1, password: null }), /CRYPTOPOCKET_SIGNER_PASSWORD must be set/);
      assert.deepEqual(fs.readdirSync(keystore), [], "no key is made without a password");
      const ok = await startSigner(keystore, { create: 1 });
      await ok.stop();
      await assert.rejects(startSigner(keystore, { password: "wrong" }), /cannot decrypt/);
    } finally {
      fs.rmSync(keystore, { recursive: true, force: true });
    }
  });
});
