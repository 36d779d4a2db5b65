// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../../src/UMToken.sol";
import {TaskConfig} from "../../src/interfaces/IMarketEvents.sol";
import {IModelMarket} from "../../src/interfaces/IModelMarket.sol";
import {AttestationCenter} from "../../src/market/AttestationCenter.sol";
import {ModelMarket} from "../../src/market/ModelMarket.sol";
import {OperatorRegistry} from "../../src/market/OperatorRegistry.sol";
import {Test} from "forge-std/Test.sol";

/// @dev Deploys the market trio wired as the deploy script does, with helpers for operators,
///      tasks, candidates and signatures. Operators are kept sorted by address.
abstract contract MarketBase is Test {
    uint256 internal constant MIN_STAKE = 100 ether;
    uint64 internal constant COOLDOWN = 1 days;
    uint64 internal constant EXPIRY = 1000;
    uint64 internal constant SEED_DELAY = 5;
    uint128 internal constant REWARD = 1 ether;
    uint128 internal constant FEE = 0.01 ether;
    uint128 internal constant BOND = 0.1 ether;
    int256 internal constant BASELINE = 500_000; // 0.5

    UMToken internal token;
    OperatorRegistry internal registry;
    ModelMarket internal market;
    AttestationCenter internal center;

    address internal owner = makeAddr("owner");
    address internal optimizer = makeAddr("optimizer");

    address[] internal operators;
    mapping(address operator => uint256 key) internal keyOf;

    function _deployMarket() internal {
        token = new UMToken(address(this), 1_000_000_000 ether);
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 2);
        registry = new OperatorRegistry(token, predicted, MIN_STAKE, COOLDOWN);
        market = new ModelMarket(predicted, EXPIRY);
        center = new AttestationCenter(registry, market);
        assertEq(address(center), predicted, "center address prediction");
        vm.deal(owner, 1000 ether);
        vm.deal(optimizer, 100 ether);
    }

    /// @dev Creates `count` operators (deterministic keys from `salt`), each staking `stake`.
    function _addOperators(uint256 count, uint256 stake, string memory salt) internal {
        for (uint256 i; i < count; ++i) {
            (address op, uint256 key) = makeAddrAndKey(string.concat(salt, "-", vm.toString(i)));
            _registerOperator(op, key, stake);
        }
    }

    function _registerOperator(address op, uint256 key, uint256 stake) internal {
        keyOf[op] = key;
        token.transfer(op, stake);
        vm.startPrank(op);
        token.approve(address(registry), stake);
        registry.register(stake);
        vm.stopPrank();
        _insertSorted(op);
    }

    function _insertSorted(address op) internal {
        operators.push(op);
        for (uint256 i = operators.length - 1; i > 0 && operators[i - 1] > operators[i]; --i) {
            (operators[i - 1], operators[i]) = (operators[i], operators[i - 1]);
        }
    }

    function _config() internal pure returns (TaskConfig memory) {
        return TaskConfig({
            archURI: "ipfs://arch",
            initialParamsURI: "ipfs://params0",
            initialParamsHash: keccak256("params0"),
            evalSpecURI: "ipfs://eval",
            evalSpecHash: keccak256("eval"),
            baselineScore: BASELINE,
            minImprovement: 10_000, // 0.01
            rewardPerImprovement: REWARD,
            attestationFee: FEE,
            submissionBond: BOND,
            seedDelay: SEED_DELAY
        });
    }

    function _createTask(uint256 funds) internal returns (uint256 taskId) {
        vm.prank(owner);
        taskId = market.createTask{value: funds}(_config());
    }

    function _submit(uint256 taskId, address who, bytes32 paramsHash)
        internal
        returns (uint256 candidateId)
    {
        vm.prank(who);
        candidateId = market.submitCandidate{value: BOND}(taskId, "ipfs://candidate", paramsHash);
    }

    /// @dev Moves past the candidate's planned seed block so its seed is readable.
    function _rollPastSeed(uint256 candidateId) internal {
        IModelMarket.Candidate memory c = market.getCandidate(candidateId);
        if (block.number <= c.seedBlock) vm.roll(c.seedBlock + 1);
    }

    function _digest(uint256 candidateId, int256 score) internal view returns (bytes32) {
        (bytes32 seed,) = market.seedOf(candidateId);
        bytes32 paramsHash = market.getCandidate(candidateId).paramsHash;
        return center.attestationDigest(candidateId, paramsHash, seed, score);
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Signatures of the first `count` operators (ascending), over the candidate's score.
    function _signatures(uint256 candidateId, int256 score, uint256 count)
        internal
        view
        returns (bytes[] memory sigs)
    {
        bytes32 digest = _digest(candidateId, score);
        sigs = new bytes[](count);
        for (uint256 i; i < count; ++i) {
            sigs[i] = _sign(keyOf[operators[i]], digest);
        }
    }

    function _signersOf(uint256 count) internal view returns (address[] memory signers) {
        signers = new address[](count);
        for (uint256 i; i < count; ++i) {
            signers[i] = operators[i];
        }
    }
}
