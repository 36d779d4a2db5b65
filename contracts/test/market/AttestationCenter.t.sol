// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttestationCenter} from "../../src/interfaces/IAttestationCenter.sol";
import {IAttestationCenterEvents, IModelMarketEvents} from "../../src/interfaces/IMarketEvents.sol";
import {IModelMarket} from "../../src/interfaces/IModelMarket.sol";
import {IOperatorRegistry} from "../../src/interfaces/IOperatorRegistry.sol";
import {AttestationCenter} from "../../src/market/AttestationCenter.sol";
import {MarketBase} from "./MarketBase.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @dev Shared by the unit and fuzz suites: predicts the exact revert of a signature set that
///      recovers to unexpected addresses (wrong domain, wrong score, foreign keys).
abstract contract AttestationBase is MarketBase, IAttestationCenterEvents, IModelMarketEvents {
    uint256 internal taskId;

    function _expectedRecoveryRevert(bytes32 digest, bytes[] memory sigs, uint256 seedBlock)
        internal
        view
        returns (bytes memory)
    {
        address previous;
        address[] memory recovered = new address[](sigs.length);
        for (uint256 i; i < sigs.length; ++i) {
            recovered[i] = ECDSA.recover(digest, sigs[i]);
            if (recovered[i] <= previous) {
                return abi.encodeWithSelector(
                    IAttestationCenter.SignersNotAscending.selector, i, previous, recovered[i]
                );
            }
            previous = recovered[i];
        }
        for (uint256 i; i < sigs.length; ++i) {
            if (registry.stakeAt(recovered[i], seedBlock) == 0) {
                return abi.encodeWithSelector(
                    IAttestationCenter.NotOperator.selector, recovered[i], seedBlock
                );
            }
        }
        revert("signature set unexpectedly valid");
    }

    function _candidateReadyForAttestation() internal returns (uint256 id, uint64 seedBlock) {
        id = _submit(taskId, optimizer, keccak256(abi.encode("params", market.candidateCount())));
        _rollPastSeed(id);
        (, seedBlock) = market.seedOf(id);
    }
}

contract AttestationCenterTest is AttestationBase {
    int256 internal constant BETTER = 600_000;
    int256 internal constant WORSE = 400_000;

    function setUp() public {
        _deployMarket();
        _addOperators(4, 1000 ether, "op");
        taskId = _createTask(10 ether);
    }

    function test_constructor_rejectsZeroAddresses() public {
        vm.expectRevert(IAttestationCenter.ZeroAddress.selector);
        new AttestationCenter(IOperatorRegistry(address(0)), market);
        vm.expectRevert(IAttestationCenter.ZeroAddress.selector);
        new AttestationCenter(registry, IModelMarket(address(0)));
        assertEq(address(center.registry()), address(registry));
        assertEq(address(center.market()), address(market));
    }

    function test_domain_isBoundToChainAndContract() public view {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) =
            center.eip712Domain();
        assertEq(name, "UM AttestationCenter");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifying, address(center));
        bytes32 expected = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("UM AttestationCenter"),
                keccak256("1"),
                block.chainid,
                address(center)
            )
        );
        assertEq(center.DOMAIN_SEPARATOR(), expected);
        assertEq(
            center.ATTESTATION_TYPEHASH(),
            keccak256(
                "Attestation(uint256 candidateId,bytes32 paramsHash,bytes32 seed,int256 score)"
            )
        );
    }

    /// @dev The same vector is checked by packages/protocol/test/attestation.test.ts with viem.
    function test_digest_matchesTypeScriptVector() public {
        vm.chainId(31_337);
        AttestationCenter etched = AttestationCenter(0x5FbDB2315678afecb367f032d93F642f64180aa3);
        vm.etch(address(etched), address(center).code);
        // Immutables live in the code, so the etched copy keeps this center's registry/market but
        // its EIP-712 domain is rebuilt for the new address.
        bytes32 digest =
            etched.attestationDigest(7, keccak256("params"), keccak256("seed"), -1_234_567);
        assertEq(digest, 0xb5df527c7978802807f90e5cda89cc7c3561e7b9def9a5e3e67c1e020efdf1c5);
    }

    function test_attest_improvementBecomesBestAndPaysOptimizer() public {
        (uint256 id, uint64 seedBlock) = _candidateReadyForAttestation();
        bytes[] memory sigs = _signatures(id, BETTER, 3);
        (bytes32 seed,) = market.seedOf(id);

        vm.expectEmit(address(market));
        emit SeedRecorded(id, seed, seedBlock);
        vm.expectEmit(address(center));
        emit Attested(id, taskId, BETTER, _signersOf(3), 3000 ether, 4000 ether);
        vm.expectEmit(address(market));
        emit BestModelChanged(taskId, id, optimizer, BASELINE, BETTER, REWARD);
        for (uint256 i; i < 3; ++i) {
            vm.expectEmit(address(market));
            emit FeePaid(id, taskId, operators[i], FEE);
        }
        center.attest(id, BETTER, sigs);

        IModelMarket.Candidate memory c = market.getCandidate(id);
        assertEq(uint8(c.status), uint8(IModelMarket.CandidateStatus.Improved));
        assertEq(c.score, BETTER);
        IModelMarket.Task memory task = market.getTask(taskId);
        assertEq(task.bestScore, BETTER);
        assertEq(task.bestCandidateId, id);
        assertEq(task.funds, 10 ether - 3 * FEE - REWARD);
        assertEq(task.pendingCandidates, 0);
        assertEq(market.credits(optimizer), REWARD + BOND);
        for (uint256 i; i < 3; ++i) {
            assertEq(market.credits(operators[i]), FEE);
        }
        assertEq(market.credits(operators[3]), 0, "non-signer earns nothing");
    }

    function test_attest_worseCandidateBondIsSplitAmongSigners() public {
        (uint256 id,) = _candidateReadyForAttestation();
        uint256 share = BOND / 3;
        uint256 dust = BOND - 3 * share;
        assertGt(dust, 0, "the test bond does not divide by three");

        vm.expectEmit(address(market));
        emit BondSlashed(id, taskId, BOND, share);
        center.attest(id, WORSE, _signatures(id, WORSE, 3));

        assertEq(
            uint8(market.getCandidate(id).status), uint8(IModelMarket.CandidateStatus.Rejected)
        );
        IModelMarket.Task memory task = market.getTask(taskId);
        assertEq(task.bestScore, BASELINE, "best unchanged");
        assertEq(task.bestCandidateId, 0);
        assertEq(task.funds, 10 ether - 3 * FEE + dust);
        assertEq(market.credits(optimizer), 0);
        for (uint256 i; i < 3; ++i) {
            assertEq(market.credits(operators[i]), FEE + share);
        }
    }

    function test_attest_gainBelowMinImprovementIsRejected() public {
        (uint256 id,) = _candidateReadyForAttestation();
        int256 almost = BASELINE + _config().minImprovement - 1;
        center.attest(id, almost, _signatures(id, almost, 4));
        assertEq(
            uint8(market.getCandidate(id).status), uint8(IModelMarket.CandidateStatus.Rejected)
        );

        (uint256 id2,) = _candidateReadyForAttestation();
        int256 exactly = BASELINE + _config().minImprovement;
        center.attest(id2, exactly, _signatures(id2, exactly, 4));
        assertEq(
            uint8(market.getCandidate(id2).status), uint8(IModelMarket.CandidateStatus.Improved)
        );
    }

    function test_attest_feesAndRewardAreCappedByFunds() public {
        vm.prank(owner);
        market.closeTask(taskId);
        taskId = _createTask(0.015 ether); // less than three fees
        (uint256 id,) = _candidateReadyForAttestation();

        vm.expectEmit(address(market));
        emit BestModelChanged(taskId, id, optimizer, BASELINE, BETTER, 0);
        center.attest(id, BETTER, _signatures(id, BETTER, 3));
        for (uint256 i; i < 3; ++i) {
            assertEq(market.credits(operators[i]), 0.005 ether);
        }
        assertEq(market.credits(optimizer), BOND, "no funds left for the reward");
        assertEq(market.getTask(taskId).funds, 0);
    }

    function test_attest_rewardCappedByRemainingFunds() public {
        vm.prank(owner);
        market.closeTask(taskId);
        taskId = _createTask(0.5 ether);
        (uint256 id,) = _candidateReadyForAttestation();
        center.attest(id, BETTER, _signatures(id, BETTER, 4));
        assertEq(market.credits(optimizer), BOND + 0.5 ether - 4 * FEE);
        assertEq(market.getTask(taskId).funds, 0);
    }

    function test_attest_secondAttestationReverts() public {
        (uint256 id,) = _candidateReadyForAttestation();
        center.attest(id, BETTER, _signatures(id, BETTER, 3));
        bytes[] memory sigs = _signatures(id, WORSE, 4);
        vm.expectRevert(abi.encodeWithSelector(IAttestationCenter.CandidateNotPending.selector, id));
        center.attest(id, WORSE, sigs);
    }

    function test_attest_expiredCandidateReverts() public {
        (uint256 id,) = _candidateReadyForAttestation();
        bytes[] memory sigs = _signatures(id, BETTER, 3);
        vm.roll(block.number + EXPIRY + 1);
        market.expireCandidate(id);
        vm.expectRevert(abi.encodeWithSelector(IAttestationCenter.CandidateNotPending.selector, id));
        center.attest(id, BETTER, sigs);
    }

    function test_attest_revertsBeforeSeedAndForUnknownCandidate() public {
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        vm.expectRevert(
            abi.encodeWithSelector(
                IModelMarket.SeedNotAvailable.selector, id, block.number + SEED_DELAY + 1
            )
        );
        center.attest(id, BETTER, new bytes[](0));
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.CandidateNotFound.selector, 99));
        center.attest(99, BETTER, new bytes[](0));
    }

    function test_attest_revertsWithoutSignatures() public {
        (uint256 id,) = _candidateReadyForAttestation();
        vm.expectRevert(IAttestationCenter.NoSignatures.selector);
        center.attest(id, BETTER, new bytes[](0));
    }

    function test_attest_revertsOnMalformedSignature() public {
        (uint256 id,) = _candidateReadyForAttestation();
        bytes[] memory sigs = _signatures(id, BETTER, 3);
        sigs[1] = bytes.concat(bytes32(0), bytes32(0)); // 64 bytes
        vm.expectRevert(abi.encodeWithSelector(IAttestationCenter.InvalidSignature.selector, 1));
        center.attest(id, BETTER, sigs);
    }

    function test_attest_revertsOnMalleableSignature() public {
        (uint256 id,) = _candidateReadyForAttestation();
        bytes[] memory sigs = _signatures(id, BETTER, 3);
        bytes32 r;
        bytes32 s;
        uint8 v;
        // Flip to the high-s twin of the same signature: ecrecover accepts it, OpenZeppelin not.
        bytes memory raw = sigs[0];
        assembly {
            r := mload(add(raw, 32))
            s := mload(add(raw, 64))
            v := byte(0, mload(add(raw, 96)))
        }
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        sigs[0] = abi.encodePacked(r, bytes32(n - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSelector(IAttestationCenter.InvalidSignature.selector, 0));
        center.attest(id, BETTER, sigs);
    }

    function test_attest_revertsWithTwoThirdsExactly() public {
        // Three equal operators of four sign 3/4; two of three sign exactly 2/3 and must fail.
        vm.prank(operators[3]);
        registry.requestExit();
        (uint256 id,) = _candidateReadyForAttestation();
        bytes[] memory two = _signatures(id, BETTER, 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAttestationCenter.QuorumNotReached.selector, 2000 ether, 3000 ether
            )
        );
        center.attest(id, BETTER, two);
        center.attest(id, BETTER, _signatures(id, BETTER, 3));
    }

    function test_attest_usesStakeAtSeedBlock() public {
        (uint256 id, uint64 seedBlock) = _candidateReadyForAttestation();
        // After the seed block: an operator exits (its signature still counts) and a whale joins
        // (its stake does not, and its signature is rejected).
        address exited = operators[0];
        vm.prank(exited);
        registry.requestExit();
        (address whale, uint256 whaleKey) = makeAddrAndKey("whale");
        _registerOperator(whale, whaleKey, 1_000_000 ether);
        vm.roll(block.number + 1);

        bytes32 digest = _digest(id, BETTER);
        bytes[] memory withWhale = new bytes[](operators.length);
        address[] memory signers = new address[](operators.length);
        for (uint256 i; i < operators.length; ++i) {
            withWhale[i] = _sign(keyOf[operators[i]], digest);
            signers[i] = operators[i];
        }
        vm.expectRevert(
            abi.encodeWithSelector(IAttestationCenter.NotOperator.selector, whale, seedBlock)
        );
        center.attest(id, BETTER, withWhale);

        // Without the whale, the exited operator (the lowest address of the original four) and
        // the next two hold 3000 of the 4000 staked at the seed block.
        bytes[] memory sigs = new bytes[](3);
        address[] memory three = new address[](3);
        uint256 k;
        for (uint256 i; i < operators.length && k < 3; ++i) {
            if (operators[i] == whale) continue;
            sigs[k] = withWhale[i];
            three[k++] = signers[i];
        }
        assertEq(three[0], exited);
        vm.expectEmit(address(center));
        emit Attested(id, taskId, BETTER, three, 3000 ether, 4000 ether);
        center.attest(id, BETTER, sigs);
    }

    function test_attest_wrongScoreRecoversOtherSigners() public {
        (uint256 id, uint64 seedBlock) = _candidateReadyForAttestation();
        bytes[] memory sigs = _signatures(id, BETTER, 3);
        vm.expectRevert(_expectedRecoveryRevert(_digest(id, BETTER + 1), sigs, seedBlock));
        center.attest(id, BETTER + 1, sigs);
    }
}
