// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketBase} from "./MarketBase.sol";

/// @dev Gas of attest with 4, 16 and 64 signers and of submitCandidate, recorded in docs/gas.md.
///      Method: every contract's account and storage is made cold (vm.cool) so the call costs
///      what it would as the first call of a transaction; execution gas is measured with
///      gasleft() around the call, and the transaction total adds 21,000 and the calldata cost
///      (4 gas per zero byte, 16 per non-zero byte, EIP-2028). Budgets fail the test on
///      regressions. Run: npx forge test --match-contract MarketGasTest -vv
contract MarketGasTest is MarketBase {
    int256 internal constant SCORE = 650_000;

    function _cool() internal {
        vm.cool(address(market));
        vm.cool(address(registry));
        vm.cool(address(center));
        vm.cool(address(token));
    }

    function _calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    /// @dev `accrued`: the signers already hold unwithdrawn credits from an earlier attestation,
    ///      the steady state of operators who withdraw now and then (credit slots are non-zero).
    function _measureAttest(uint256 signers, bool accrued)
        internal
        returns (uint256 execution, uint256 total)
    {
        _deployMarket();
        _addOperators(signers, 1000 ether, "gas");
        uint256 taskId = _createTask(100 ether);
        if (accrued) {
            uint256 earlier = _submit(taskId, optimizer, keccak256("earlier"));
            _rollPastSeed(earlier);
            center.attest(earlier, SCORE - 1, _signatures(earlier, SCORE - 1, signers));
        }
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        _rollPastSeed(id);
        bytes[] memory sigs = _signatures(id, SCORE, signers);
        _cool();
        uint256 before = gasleft();
        center.attest(id, SCORE, sigs);
        execution = before - gasleft();
        total = 21_000 + _calldataGas(abi.encodeCall(center.attest, (id, SCORE, sigs))) + execution;
        string memory label = string.concat(
            "attest, ", vm.toString(signers), " signers", accrued ? ", credits accrued" : ""
        );
        emit log_named_uint(string.concat(label, ", execution"), execution);
        emit log_named_uint(string.concat(label, ", transaction"), total);
    }

    function test_gas_attest4() public {
        (, uint256 total) = _measureAttest(4, false);
        assertLt(total, 400_000);
    }

    function test_gas_attest16() public {
        (, uint256 total) = _measureAttest(16, false);
        assertLt(total, 900_000);
    }

    function test_gas_attest64() public {
        (, uint256 total) = _measureAttest(64, false);
        assertLt(total, 3_000_000);
    }

    function test_gas_attest4WithAccruedCredits() public {
        (, uint256 total) = _measureAttest(4, true);
        assertLt(total, 300_000);
    }

    function test_gas_attest64WithAccruedCredits() public {
        (, uint256 total) = _measureAttest(64, true);
        assertLt(total, 2_000_000);
    }

    function test_gas_submitCandidate() public {
        _deployMarket();
        uint256 taskId = _createTask(1 ether);
        _submit(taskId, optimizer, keccak256("warm-up")); // the first submission creates counters
        string memory uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
        _cool();
        vm.prank(optimizer);
        uint256 before = gasleft();
        market.submitCandidate{value: BOND}(taskId, uri, keccak256("p"));
        uint256 execution = before - gasleft();
        uint256 total = 21_000
            + _calldataGas(abi.encodeCall(market.submitCandidate, (taskId, uri, keccak256("p"))))
            + execution;
        emit log_named_uint("submitCandidate, execution", execution);
        emit log_named_uint("submitCandidate, transaction", total);
        assertLt(total, 250_000);
    }
}
