// DepositFactory and DepositForwarder on the Hardhat node: CREATE2 deposit addresses that receive funds before any
// code exists there, and sweeps that move everything to the treasury.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ContractFactory, JsonRpcProvider, ZeroAddress, getCreate2Address, id, keccak256, parseEther, parseUnits } from "ethers";
import { chainDir, runProcess, startHardhatNode, tempDir } from "./helpers.mjs";

// Two deliberately non-standard tokens, compiled only for these tests: one whose transfer() returns nothing (as
// USDT on Ethereum does) and one that answers false instead of reverting. Minimal on purpose.
const ODD_TOKENS = `// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;
contract NoBoolToken {
    mapping(address => uint256) public balanceOf;
    function mint(address to, uint256 amount) external { balanceOf[to] += amount; }
    function transfer(address to, uint256 amount) external { balanceOf[msg.sender] -= amount; balanceOf[to] += amount; }
}
contract FalseToken {
    mapping(address => uint256) public balanceOf;
    function mint(address to, uint256 amount) external { balanceOf[to] += amount; }
    function transfer(address, uint256) external pure returns (bool) { return false; }
}
`;

describe("deposit factory", () => {
  let node;
  let provider;
  let buildDir;
  let contractsDir;
  let artifacts;
  let deployer;
  let customer;
  let stranger;
  let treasury;

  const artifact = (name) => JSON.parse(fs.readFileSync(path.join(buildDir, `${name}.json`), "utf8"));
  const deploy = async (name, ...args) => {
    const { abi, bytecode } = artifacts[name];
    const contract = await new ContractFactory(abi, bytecode, deployer).deploy(...args);
    await contract.waitForDeployment();
    return contract;
  };
  const sweep = async (factory, salt, tokens, from = deployer) => {
    const receipt = await (await factory.connect(from).sweep(salt, tokens)).wait();
    assert.equal(receipt.status, 1);
    // The Flushed events come from the forwarder, so they are parsed with its ABI.
    const forwarder = new ContractFactory(artifacts.DepositForwarder.abi, "0x").interface;
    return receipt.logs
      .map((log) => ({ log, parsed: forwarder.parseLog(log) }))
      .filter(({ parsed }) => parsed?.name === "Flushed")
      .map(({ log, parsed }) => ({ emitter: log.address, token: parsed.args.token, amount: parsed.args.amount }));
  };

  before(async () => {
    // The real contracts plus the odd tokens, compiled into throw-away folders so build/ is never touched.
    contractsDir = tempDir("contracts");
    buildDir = tempDir("build");
    for (const file of fs.readdirSync(path.join(chainDir, "contracts"))) {
      fs.copyFileSync(path.join(chainDir, "contracts", file), path.join(contractsDir, file));
    }
    fs.writeFileSync(path.join(contractsDir, "OddTokens.sol"), ODD_TOKENS);
    const [compiled, started] = await Promise.all([
      runProcess(process.execPath, [path.join(chainDir, "scripts", "compile.mjs"), "--contracts", contractsDir, "--out", buildDir]),
      startHardhatNode(),
    ]);
    node = started;
    assert.equal(compiled.code, 0, compiled.stderr);
    artifacts = Object.fromEntries(
      ["DepositFactory", "DepositForwarder", "TestToken", "NoBoolToken", "FalseToken"].map((name) => [name, artifact(name)]),
    );
    // cacheTimeout -1: ethers otherwise answers an identical call made within 250 ms from its cache, and these tests
    // ask the same question (getCode, estimateGas) before and after a sweep changes the answer.
    provider = new JsonRpcProvider(node.url, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    [deployer, customer, stranger] = await Promise.all([0, 1, 2].map((i) => provider.getSigner(i)));
    // A fresh random address as treasury, so its balances start at zero and owe nothing to gas.
    treasury = getCreate2Address(ZeroAddress, id("treasury"), id("any"));
  });

  after(async () => {
    provider?.destroy();
    await node?.stop();
    for (const dir of [buildDir, contractsDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the predicted address is EIP-1014's formula and is where the forwarder is created", async () => {
    const factory = await deploy("DepositFactory", treasury);
    const factoryAddress = await factory.getAddress();
    const codeHash = keccak256(artifacts.DepositForwarder.bytecode);
    assert.equal(await factory.forwarderCodeHash(), codeHash);
    assert.equal(await factory.treasury(), treasury);

    const salt = id("op-predicted");
    const predicted = await factory.depositAddress(salt);
    assert.equal(predicted, getCreate2Address(factoryAddress, salt, codeHash));
    assert.equal(await provider.getCode(predicted), "0x");

    await sweep(factory, salt, []);
    assert.notEqual(await provider.getCode(predicted), "0x");
    const forwarder = new ContractFactory(artifacts.DepositForwarder.abi, "0x", deployer).attach(predicted);
    assert.equal(await forwarder.factory(), factoryAddress);
    // Another salt, another address.
    assert.notEqual(await factory.depositAddress(id("op-other")), predicted);
  });

  test("tokens and native coin sent before deployment reach the treasury, and a second deposit is swept too", async () => {
    const factory = await deploy("DepositFactory", treasury);
    const usdc = await deploy("TestToken", "USD Coin", "USDC", 6);
    const usdt = await deploy("TestToken", "Tether USD", "USDT", 6);
    const idle = await deploy("TestToken", "Idle", "IDLE", 18);
    const salt = id("op-1");
    const deposit = await factory.depositAddress(salt);
    const tokens = [await usdc.getAddress(), await usdt.getAddress(), await idle.getAddress()];

    await (await usdc.mint(await customer.getAddress(), parseUnits("1000", 6))).wait();
    await (await usdc.connect(customer).transfer(deposit, parseUnits("120.5", 6))).wait();
    await (await usdt.mint(deposit, parseUnits("7", 6))).wait();
    await (await customer.sendTransaction({ to: deposit, value: parseEther("0.75") })).wait();

    const first = await sweep(factory, salt, tokens);
    // One event per asset actually moved, from the deposit address, native last; the idle token is skipped.
    assert.deepEqual(first, [
      { emitter: deposit, token: tokens[0], amount: parseUnits("120.5", 6) },
      { emitter: deposit, token: tokens[1], amount: parseUnits("7", 6) },
      { emitter: deposit, token: ZeroAddress, amount: parseEther("0.75") },
    ]);
    assert.equal(await usdc.balanceOf(treasury), parseUnits("120.5", 6));
    assert.equal(await usdt.balanceOf(treasury), parseUnits("7", 6));
    assert.equal(await provider.getBalance(treasury), parseEther("0.75"));
    assert.equal(await usdc.balanceOf(deposit), 0n);
    assert.equal(await provider.getBalance(deposit), 0n);

    // Now the forwarder exists: a second deposit lands on its code (receive()) and the next sweep moves it.
    await (await usdc.connect(customer).transfer(deposit, parseUnits("30", 6))).wait();
    await (await customer.sendTransaction({ to: deposit, value: parseEther("0.25") })).wait();
    const second = await sweep(factory, salt, tokens, stranger);
    assert.deepEqual(second, [
      { emitter: deposit, token: tokens[0], amount: parseUnits("30", 6) },
      { emitter: deposit, token: ZeroAddress, amount: parseEther("0.25") },
    ]);
    assert.equal(await usdc.balanceOf(treasury), parseUnits("150.5", 6));
    assert.equal(await provider.getBalance(treasury), parseEther("1"));
  });

  test("a sweep of an empty address moves nothing and does not revert, the first time and again", async () => {
    const factory = await deploy("DepositFactory", treasury);
    const usdc = await deploy("TestToken", "USD Coin", "USDC", 6);
    const salt = id("op-empty");
    assert.deepEqual(await sweep(factory, salt, [await usdc.getAddress()]), []);
    assert.deepEqual(await sweep(factory, salt, [await usdc.getAddress()]), []);
    assert.notEqual(await provider.getCode(await factory.depositAddress(salt)), "0x");
  });

  test("only the factory may call flush", async () => {
    const factory = await deploy("DepositFactory", treasury);
    const salt = id("op-flush");
    const deposit = await factory.depositAddress(salt);
    await (await customer.sendTransaction({ to: deposit, value: parseEther("1") })).wait();
    await sweep(factory, salt, []);
    await (await customer.sendTransaction({ to: deposit, value: parseEther("1") })).wait();
    const forwarder = new ContractFactory(artifacts.DepositForwarder.abi, "0x", stranger).attach(deposit);
    await assert.rejects(forwarder.flush([]), /caller is not the factory/);
    assert.equal(await provider.getBalance(deposit), parseEther("1"));
  });

  test("a token whose transfer returns nothing is swept; one that returns false makes the sweep revert", async () => {
    const factory = await deploy("DepositFactory", treasury);
    const noBool = await deploy("NoBoolToken");
    const falseToken = await deploy("FalseToken");
    const salt = id("op-odd");
    const deposit = await factory.depositAddress(salt);
    await (await noBool.mint(deposit, 42n)).wait();
    assert.deepEqual(await sweep(factory, salt, [await noBool.getAddress()]), [
      { emitter: deposit, token: await noBool.getAddress(), amount: 42n },
    ]);
    assert.equal(await noBool.balanceOf(treasury), 42n);

    await (await falseToken.mint(deposit, 5n)).wait();
    await assert.rejects(factory.sweep(salt, [await falseToken.getAddress()]), /token transfer failed/);
  });

  test("the constructor refuses the zero address as treasury", async () => {
    await assert.rejects(deploy("DepositFactory", ZeroAddress), /treasury is the zero address/);
  });
});
