// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @dev The two ERC-20 calls a forwarder makes. Declared here rather than imported so the file stands alone.
interface IERC20Minimal {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// @title DepositFactory
/// @notice Off-ramp deposit addresses without a private key per address. Each address is where a DepositForwarder
///         would be created with CREATE2 (EIP-1014) for a salt, so it is known, and can receive tokens and the native
///         coin, long before any code is there. `sweep` creates the forwarder when needed and has it hand everything
///         to the treasury in the same transaction.
/// @dev `sweep` is deliberately open to anyone: the treasury is fixed at construction and every forwarder can only
///      pay the treasury, so a stranger calling it merely pays our gas. Restricting it would need an owner and key
///      management for no gain in safety.
contract DepositFactory {
    /// @notice Where every sweep lands. Immutable: nothing can redirect deposits after deployment.
    address public immutable treasury;

    /// @notice keccak256 of DepositForwarder's creation code: the third input of every CREATE2 address computed here.
    ///         Exposed so off-chain code can derive deposit addresses without calling the chain for each one.
    bytes32 public immutable forwarderCodeHash = keccak256(type(DepositForwarder).creationCode);

    constructor(address treasury_) {
        require(treasury_ != address(0), "DepositFactory: treasury is the zero address");
        treasury = treasury_;
    }

    /// @notice The deposit address for `salt`, whether or not its forwarder exists yet (EIP-1014:
    ///         keccak256(0xff ++ factory ++ salt ++ keccak256(init code))[12:]).
    function depositAddress(bytes32 salt) public view returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, forwarderCodeHash)))));
    }

    /// @notice Moves the whole balance of each listed token, then the native balance, from the deposit address for
    ///         `salt` to the treasury, creating the forwarder there first if needed. Safe to repeat: a later sweep moves
    ///         whatever arrived since (possibly nothing).
    /// @return forwarder The deposit address that was swept.
    function sweep(bytes32 salt, address[] calldata tokens) external returns (address forwarder) {
        forwarder = depositAddress(salt);
        // A forwarder has no selfdestruct, so code once there stays there; no code means it was never created.
        if (forwarder.code.length == 0) {
            address created = address(new DepositForwarder{salt: salt}());
            // Cannot fail unless the address formula above and the EVM disagree; checked because funds depend on it.
            assert(created == forwarder);
        }
        DepositForwarder(payable(forwarder)).flush(tokens);
    }
}

/// @title DepositForwarder
/// @notice Lives at a deposit address and can only hand its balances to its factory's treasury.
/// @dev No constructor arguments, so its creation code, and therefore every deposit address, depends only on the
///      factory and the salt. `factory` is an immutable set from msg.sender: immutables are written into the runtime
///      code during construction and do not change the creation code's hash.
contract DepositForwarder {
    /// @notice The DepositFactory that created this forwarder; the only caller `flush` accepts.
    address public immutable factory;

    /// @notice One per asset moved. `token` is address(0) for the native coin. The server reads the moved amounts
    ///         from these in the sweep's receipt.
    event Flushed(address indexed token, uint256 amount);

    constructor() {
        factory = msg.sender;
    }

    /// @notice Customers (or exchanges) may send the native coin here; it waits for the next sweep.
    receive() external payable {}

    /// @notice Sends each listed token's whole balance (zero balances are skipped) and then the whole native
    ///         balance to the factory's treasury.
    function flush(address[] calldata tokens) external {
        require(msg.sender == factory, "DepositForwarder: caller is not the factory");
        // Read at each flush rather than copied at construction, so nothing about the treasury enters the
        // forwarder's creation code.
        address treasury = DepositFactory(factory).treasury();
        for (uint256 i = 0; i < tokens.length; i++) {
            address token = tokens[i];
            uint256 amount = IERC20Minimal(token).balanceOf(address(this));
            if (amount == 0) continue;
            _transferToken(token, treasury, amount);
            emit Flushed(token, amount);
        }
        uint256 native = address(this).balance;
        if (native > 0) {
            (bool sent, ) = treasury.call{value: native}("");
            require(sent, "DepositForwarder: native transfer failed");
            emit Flushed(address(0), native);
        }
    }

    /// @dev Some ERC-20s (USDT on Ethereum among them) return nothing from transfer(); others return false instead
    ///      of reverting. So: the call must succeed, and any return data must decode to true. Empty return data is
    ///      accepted only because the token answered balanceOf() just before, so it is a contract and not an
    ///      empty account (where every call "succeeds" with no data).
    function _transferToken(address token, address to, uint256 amount) private {
        (bool ok, bytes memory returned) = token.call(abi.encodeCall(IERC20Minimal.transfer, (to, amount)));
        require(ok && (returned.length == 0 || abi.decode(returned, (bool))), "DepositForwarder: token transfer failed");
    }
}
