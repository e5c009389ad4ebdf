// The Hardhat node with the TestToken contract, and the signer's transactions accepted by that node.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ContractFactory, JsonRpcProvider, Transaction, parseEther, parseUnits } from "ethers";
import { chainDir, rpc, runProcess, startHardhatNode, startSigner, tempDir } from "./helpers.mjs";

const CHAIN_ID = 31337n;

async function compileInto(contractsDir, outDir) {
  return runProcess(process.execPath, [
    path.join(chainDir, "scripts", "compile.mjs"),
    "--contracts",
    contractsDir,
    "--out",
    outDir,
  ]);
}

describe("compile script", () => {
  test("fails loudly on a compiler error and writes nothing", async () => {
    const contracts = tempDir("contracts");
    const out = tempDir("build");
    try {
      fs.writeFileSync(path.join(contracts, "Broken.sol"), "pragma solidity ^0.8.28; contract Broken { uint x = ; }");
      const result = await compileInto(contracts, out);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /ParserError/);
      assert.deepEqual(fs.readdirSync(out), []);
    } finally {
      fs.rmSync(contracts, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("hardhat node", () => {
  let node;
  let provider;
  let artifact;
  let buildDir;

  before(async () => {
    buildDir = tempDir("build");
    // Compile and start the node at the same time; both take a few seconds.
    const [compiled, started] = await Promise.all([
      compileInto(path.join(chainDir, "contracts"), buildDir),
      startHardhatNode(),
    ]);
    node = started;
    assert.equal(compiled.code, 0, compiled.stderr);
    artifact = JSON.parse(fs.readFileSync(path.join(buildDir, "TestToken.json"), "utf8"));
    // A fixed network (no detection round-trips) and fast polling, so waits end as soon as blocks exist.
    provider = new JsonRpcProvider(node.url, Number(CHAIN_ID), { staticNetwork: true, pollingInterval: 100 });
  });

  after(async () => {
    provider?.destroy();
    await node?.stop();
    if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
  });

  async function deployToken(owner) {
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, owner);
    const token = await factory.deploy("Test USD", "TUSD", 6);
    await token.waitForDeployment();
    return token;
  }

  test("answers eth_chainId 31337 and mines a block every second without transactions", async () => {
    assert.equal((await rpc(node.url, "eth_chainId")).result, "0x7a69");
    const accounts = (await rpc(node.url, "eth_accounts")).result;
    assert.equal(accounts.length, 10);
    assert.equal(await provider.getBalance(accounts[0]) >= parseEther("9000"), true);
    const start = await provider.getBlockNumber();
    await new Promise((resolve) => setTimeout(resolve, 2200));
    assert.ok((await provider.getBlockNumber()) >= start + 2, "interval mining should add blocks");
  });

  test("deploys TestToken, mints, transfers and emits Transfer events", async () => {
    const owner = await provider.getSigner(0);
    const alice = await provider.getSigner(1);
    const bob = await provider.getSigner(2);
    const token = await deployToken(owner);

    assert.equal(artifact.contractName, "TestToken");
    assert.match(artifact.bytecode, /^0x[0-9a-f]+$/);
    assert.equal(await token.name(), "Test USD");
    assert.equal(await token.symbol(), "TUSD");
    assert.equal(await token.decimals(), 6n);
    assert.equal(await token.owner(), owner.address);

    const minted = await (await token.mint(alice.address, parseUnits("1000", 6))).wait();
    assert.equal(minted.status, 1);
    const mintEvent = token.interface.parseLog(minted.logs[0]);
    assert.equal(mintEvent.name, "Transfer");
    assert.deepEqual(mintEvent.args.toArray(), [
      "0x0000000000000000000000000000000000000000",
      alice.address,
      parseUnits("1000", 6),
    ]);

    const transferred = await (await token.connect(alice).transfer(bob.address, parseUnits("250", 6))).wait();
    assert.equal(transferred.status, 1);
    assert.equal(transferred.logs.length, 1);
    const log = transferred.logs[0];
    // Event signature plus the two indexed addresses.
    assert.equal(log.topics.length, 3);
    const event = token.interface.parseLog(log);
    assert.equal(event.name, "Transfer");
    assert.equal(event.args.from, alice.address);
    assert.equal(event.args.to, bob.address);
    assert.equal(event.args.value, parseUnits("250", 6));
    const filtered = await token.queryFilter(token.filters.Transfer(alice.address, bob.address), transferred.blockNumber);
    assert.equal(filtered.length, 1);

    assert.equal(await token.balanceOf(alice.address), parseUnits("750", 6));
    assert.equal(await token.balanceOf(bob.address), parseUnits("250", 6));
    assert.equal(await token.totalSupply(), parseUnits("1000", 6));

    // approve + transferFrom, and the allowance is spent down.
    await (await token.connect(alice).approve(bob.address, parseUnits("100", 6))).wait();
    assert.equal(await token.allowance(alice.address, bob.address), parseUnits("100", 6));
    await (await token.connect(bob).transferFrom(alice.address, bob.address, parseUnits("40", 6))).wait();
    assert.equal(await token.allowance(alice.address, bob.address), parseUnits("60", 6));
    assert.equal(await token.balanceOf(bob.address), parseUnits("290", 6));

    // The clear revert reasons.
    await assert.rejects(token.connect(bob).transfer(alice.address, parseUnits("1000", 6)), /insufficient balance/);
    await assert.rejects(
      token.connect(bob).transferFrom(alice.address, bob.address, parseUnits("61", 6)),
      /insufficient allowance/,
    );
    await assert.rejects(token.connect(alice).transfer("0x0000000000000000000000000000000000000000", 1n), /transfer to the zero address/);
    await assert.rejects(token.connect(alice).mint(alice.address, 1n), /caller is not the owner/);
  });

  test("accepts transactions signed by the signer (ETH and TestToken transfers)", async () => {
    const keystore = tempDir("keystore");
    const signer = await startSigner(keystore, { create: 1 });
    try {
      const [from] = (await rpc(signer.url, "eth_accounts")).result;
      const funder = await provider.getSigner(0);
      const recipient = (await provider.getSigner(3)).address;
      await (await funder.sendTransaction({ to: from, value: parseEther("1") })).wait();
      const token = await deployToken(funder);
      await (await token.mint(from, parseUnits("500", 6))).wait();

      // The caller (later: the C# server) picks nonce and fees; the signer only signs.
      const fees = async () => {
        const { baseFeePerGas } = await provider.getBlock("latest");
        const tip = parseUnits("1", "gwei");
        return { maxPriorityFeePerGas: tip, maxFeePerGas: baseFeePerGas * 2n + tip };
      };
      const hex = (n) => `0x${BigInt(n).toString(16)}`;
      const signAndSend = async (fields) => {
        const { maxFeePerGas, maxPriorityFeePerGas } = await fees();
        const request = {
          from,
          nonce: hex(await provider.getTransactionCount(from, "pending")),
          maxFeePerGas: hex(maxFeePerGas),
          maxPriorityFeePerGas: hex(maxPriorityFeePerGas),
          chainId: hex(CHAIN_ID),
          type: "0x2",
          ...fields,
        };
        const signed = await rpc(signer.url, "eth_signTransaction", [request]);
        assert.equal(typeof signed.result, "string", JSON.stringify(signed.error));
        const sent = await rpc(node.url, "eth_sendRawTransaction", [signed.result]);
        assert.equal(sent.error, undefined, JSON.stringify(sent.error));
        assert.equal(sent.result, Transaction.from(signed.result).hash);
        return sent.result;
      };

      const before = await provider.getBalance(recipient);
      const ethHash = await signAndSend({ to: recipient, gas: hex(21000), value: hex(parseEther("0.25")), data: "0x" });
      // Three confirmations: automine put it in a block; interval mining adds the next two.
      const ethReceipt = await provider.waitForTransaction(ethHash, 3, 15_000);
      assert.equal(ethReceipt.status, 1);
      assert.equal(ethReceipt.from, from);
      assert.ok((await ethReceipt.confirmations()) >= 3);
      assert.equal(await provider.getBalance(recipient), before + parseEther("0.25"));

      const data = token.interface.encodeFunctionData("transfer", [recipient, parseUnits("125", 6)]);
      const gas = await provider.estimateGas({ from, to: await token.getAddress(), data });
      const tokenHash = await signAndSend({ to: await token.getAddress(), gas: hex(gas), value: "0x0", data });
      const tokenReceipt = await provider.waitForTransaction(tokenHash, 1, 15_000);
      assert.equal(tokenReceipt.status, 1);
      const event = token.interface.parseLog(tokenReceipt.logs[0]);
      assert.equal(event.args.from, from);
      assert.equal(event.args.to, recipient);
      assert.equal(await token.balanceOf(recipient), parseUnits("125", 6));
      assert.equal(await token.balanceOf(from), parseUnits("375", 6));

      // A signature for another chain is refused by the node (EIP-155 replay protection at work).
      const foreign = await rpc(signer.url, "eth_signTransaction", [
        {
          from,
          to: recipient,
          gas: hex(21000),
          nonce: hex(await provider.getTransactionCount(from, "pending")),
          maxFeePerGas: hex(parseUnits("10", "gwei")),
          maxPriorityFeePerGas: hex(1n),
          value: "0x1",
          chainId: "0x1",
        },
      ]);
      const rejected = await rpc(node.url, "eth_sendRawTransaction", [foreign.result]);
      assert.ok(rejected.error, "a mainnet-signed transaction must not be accepted");
    } finally {
      await signer.stop();
      fs.rmSync(keystore, { recursive: true, force: true });
    }
  });
});
