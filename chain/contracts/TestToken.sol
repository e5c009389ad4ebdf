// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @title TestToken
/// @notice A deliberately small ERC-20 (EIP-20) for the Cryptopocket sandbox chain: it stands in for the
///         stablecoins a real deployment would pay out. Only the deployer can mint, so tests control supply.
/// @dev Written from the EIP-20 text, not derived from a library. Solidity >= 0.8 checks arithmetic, so an
///      overflow or underflow reverts on its own; the explicit require()s are there to give clear reasons.
contract TestToken {
    string public name;
    string public symbol;
    uint8 public immutable decimals;
    /// @notice The deployer; the only address allowed to mint.
    address public immutable owner;

    uint256 public totalSupply;
    mapping(address account => uint256) public balanceOf;
    mapping(address holder => mapping(address spender => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    modifier onlyOwner() {
        require(msg.sender == owner, "TestToken: caller is not the owner");
        _;
    }

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
        owner = msg.sender;
    }

    /// @notice Creates `amount` new tokens for `to`. A mint is reported as a Transfer from address(0), as
    ///         EIP-20 recommends, so indexers see it like any other credit.
    function mint(address to, uint256 amount) external onlyOwner {
        require(to != address(0), "TestToken: mint to the zero address");
        totalSupply += amount;
        // Cannot overflow: no balance exceeds totalSupply, which was just checked.
        unchecked {
            balanceOf[to] += amount;
        }
        emit Transfer(address(0), to, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    /// @notice Sets (does not add to) the allowance of `spender` over the caller's tokens.
    /// @dev Overwriting has the known EIP-20 race (a spender may use old and new allowance); callers who care
    ///      set it to zero first. This is a sandbox token, so the standard behaviour is kept as is.
    function approve(address spender, uint256 amount) external returns (bool) {
        require(spender != address(0), "TestToken: approve to the zero address");
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        // The maximum value means "unlimited" and is not spent down, the usual convention wallets rely on.
        if (allowed != type(uint256).max) {
            require(allowed >= amount, "TestToken: insufficient allowance");
            unchecked {
                allowance[from][msg.sender] = allowed - amount;
            }
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        require(to != address(0), "TestToken: transfer to the zero address");
        uint256 fromBalance = balanceOf[from];
        require(fromBalance >= amount, "TestToken: insufficient balance");
        unchecked {
            // Safe: checked just above, and the sum of two balances never exceeds totalSupply.
            balanceOf[from] = fromBalance - amount;
            balanceOf[to] += amount;
        }
        emit Transfer(from, to, amount);
    }
}
