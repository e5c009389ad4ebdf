// Disperse on the Hardhat node: settlement's batched payouts. Every recipient gets exactly its value in one
// transaction, or (a length mismatch, too small an allowance) nobody gets anything.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ContractFactory, JsonRpcProvider, Wallet, parseUnits } from "ethers";
import { chainDir, runProcess, startHardhatNode, tempDir } from "./helpers.mjs";

describe("disperse", () => {
  let node;
  let provider;
  let buildDir;
  let deployer;
  let hotWallet;
  let artifacts;

  const deploy = async (name, ...args) => {
    const { abi, bytecode } = artifacts[name];
    const contract = await new ContractFactory(abi, bytecode, deployer).deploy(...args);
    await contract.waitForDeployment();
    return contract;
  };
  const recipients = (count) => Array.from({ length: count }, () => Wallet.createRandom().address);
  const unlimited = 2n ** 256n - 1n;
  // A fresh Disperse and USDC, 1000 USDC in the hot wallet, and the hot wallet's allowance to Disperse (none when null).
  const setUp = async (allowance) => {
    const disperse = await deploy("Disperse");
    const usdc = await deploy("TestToken", "USD Coin", "USDC", 6);
    const hot = await hotWallet.getAddress();
    await (await usdc.mint(hot, parseUnits("1000", 6))).wait();
    if (allowance !== null) await (await usdc.connect(hotWallet).approve(await disperse.getAddress(), allowance)).wait();
    return { disperse, usdc, hot };
  };

  before(async () => {
    // Compiled into a throw-away folder so build/ is never touched.
    buildDir = tempDir("build");
    const [compiled, started] = await Promise.all([
      runProcess(process.execPath, [path.join(chainDir, "scripts", "compile.mjs"), "--out", buildDir]),
      startHardhatNode(),
    ]);
    node = started;
    assert.equal(compiled.code, 0, compiled.stderr);
    artifacts = Object.fromEntries(
      ["Disperse", "TestToken"].map((name) => [name, JSON.parse(fs.readFileSync(path.join(buildDir, `${name}.json`), "utf8"))]),
    );
    provider = new JsonRpcProvider(node.url, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    [deployer, hotWallet] = await Promise.all([0, 1].map((i) => provider.getSigner(i)));
  });

  after(async () => {
    provider?.destroy();
    await node?.stop();
    if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
  });

  test("pays every recipient exactly its value in one transaction, from the approving caller", async () => {
    const { disperse, usdc, hot } = await setUp(unlimited);
    const to = recipients(5);
    const values = [1n, parseUnits("10.5", 6), parseUnits("0.000001", 6), parseUnits("99", 6), 123456789n];

    const receipt = await (await disperse.connect(hotWallet).disperseToken(await usdc.getAddress(), to, values)).wait();

    assert.equal(receipt.status, 1);
    for (let i = 0; i < to.length; i++) assert.equal(await usdc.balanceOf(to[i]), values[i]);
    const sent = values.reduce((a, b) => a + b, 0n);
    assert.equal(await usdc.balanceOf(hot), parseUnits("1000", 6) - sent);
    // Nothing stays in the contract, and an unlimited approval is not spent down.
    assert.equal(await usdc.balanceOf(await disperse.getAddress()), 0n);
    assert.equal(await usdc.allowance(hot, await disperse.getAddress()), unlimited);
  });

  test("reverts whole when recipients and values differ in length", async () => {
    const { disperse, usdc, hot } = await setUp(unlimited);
    const to = recipients(3);

    await assert.rejects(
      disperse.connect(hotWallet).disperseToken(await usdc.getAddress(), to, [1n, 2n]),
      /recipients and values differ in length/,
    );
    for (const recipient of to) assert.equal(await usdc.balanceOf(recipient), 0n);
    assert.equal(await usdc.balanceOf(hot), parseUnits("1000", 6));
  });

  test("reverts whole when the allowance covers only some of the values", async () => {
    // Enough for the first two values, not the third: the first two must be undone too.
    const { disperse, usdc, hot } = await setUp(parseUnits("30", 6));
    const to = recipients(3);

    await assert.rejects(
      disperse.connect(hotWallet).disperseToken(await usdc.getAddress(), to, [parseUnits("10", 6), parseUnits("10", 6), parseUnits("20", 6)]),
      /insufficient allowance/,
    );
    for (const recipient of to) assert.equal(await usdc.balanceOf(recipient), 0n);
    assert.equal(await usdc.balanceOf(hot), parseUnits("1000", 6));
    assert.equal(await usdc.allowance(hot, await disperse.getAddress()), parseUnits("30", 6));
  });

  test("without any approval nothing moves", async () => {
    const { disperse, usdc } = await setUp(null);
    const to = recipients(2);

    await assert.rejects(disperse.connect(hotWallet).disperseToken(await usdc.getAddress(), to, [1n, 1n]), /insufficient allowance/);
    for (const recipient of to) assert.equal(await usdc.balanceOf(recipient), 0n);
  });
});
