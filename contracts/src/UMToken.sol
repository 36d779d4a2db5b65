// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title UMToken
/// @notice The Unstoppable Models governance token. Holders resolve training disputes by vote and
///         operators stake it to attest accuracy scores.
/// @dev Voting power follows OpenZeppelin governance: balances carry no votes until the holder
///      delegates (to itself or to another address), and past votes are read per block so that a
///      dispute's snapshot cannot be gamed by tokens moved after it opened.
contract UMToken is ERC20, ERC20Permit, ERC20Votes {
    /// @notice Mints the whole fixed supply to `holder`.
    /// @param holder Receives `supply`; usually a treasury or, on a dev chain, the deployer.
    /// @param supply Total supply in wei-units (18 decimals).
    constructor(address holder, uint256 supply)
        ERC20("Unstoppable Models", "UM")
        ERC20Permit("Unstoppable Models")
    {
        _mint(holder, supply);
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
