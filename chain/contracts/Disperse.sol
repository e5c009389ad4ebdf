// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.28;

/// @dev The one ERC-20 call a disperse makes. Declared here rather than imported so the file stands alone (and named
///      apart from DepositFactory's interface: the build refuses two contracts with one name).
interface IERC20Disperse {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @title Disperse
/// @notice Several token payouts in one transaction: settlement's batches. Each value moves straight from the caller
///         to its recipient with transferFrom, so the caller must have approved this contract for the token.
/// @dev No owner and no stored funds: the contract never holds a token between calls, so there is nothing to steal and
///      nobody to trust. Anyone may call it, but only ever to spend their own approved tokens. Any failing transfer
///      reverts the whole call, so a batch is delivered entirely or not at all, never in part.
contract Disperse {
    function disperseToken(address token, address[] calldata recipients, uint256[] calldata values) external {
        require(recipients.length == values.length, "Disperse: recipients and values differ in length");
        IERC20Disperse erc20 = IERC20Disperse(token);
        for (uint256 i = 0; i < recipients.length; i++) {
            // require() on the result: a token that answers false instead of reverting must still undo the batch.
            require(erc20.transferFrom(msg.sender, recipients[i], values[i]), "Disperse: transfer refused");
        }
    }
}
