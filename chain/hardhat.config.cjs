// Hardhat configuration for the Cryptopocket sandbox chain. It is CommonJS (.cjs) because package.json
// declares "type": "module" and Hardhat 2 loads its config with require().
//
// Only the in-process "hardhat" network is used, through `hardhat node`. Contracts are NOT compiled by
// Hardhat: scripts/compile.mjs uses the solc-js package so that nothing is ever downloaded.

/** @type {import('hardhat/config').HardhatUserConfig} */
module.exports = {
  defaultNetwork: "hardhat",
  networks: {
    hardhat: {
      // The well-known local chain id; the server and the signer refuse transactions for any other chain.
      chainId: 31337,
      mining: {
        // Automine: every transaction is mined at once in its own block, so a test sees its receipt straight away.
        auto: true,
        // Interval mining as well: an empty block every second, so "N confirmations" keeps advancing even when
        // nobody sends transactions.
        interval: 1000,
      },
      // initialBaseFeePerGas is left at Hardhat's default (1 gwei, then EIP-1559 adjusts it per block).
      accounts: {
        // Hardhat's public test mnemonic ("test test ... junk"): 10 accounts with 10000 ETH each. These keys are
        // published everywhere; they must never hold anything of value.
        mnemonic: "test test test test test test test test test test test junk",
        path: "m/44'/60'/0'/0",
        initialIndex: 0,
        count: 10,
        accountsBalance: "10000000000000000000000",
      },
    },
  },
  // Keep Hardhat's own folders inside build/ (git-ignored) should any task create them.
  paths: {
    sources: "./contracts",
    cache: "./build/hardhat-cache",
    artifacts: "./build/hardhat-artifacts",
  },
};
