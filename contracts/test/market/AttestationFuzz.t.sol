// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttestationCenter} from "../../src/interfaces/IAttestationCenter.sol";
import {IModelMarket} from "../../src/interfaces/IModelMarket.sol";
import {AttestationCenter} from "../../src/market/AttestationCenter.sol";
import {AttestationBase} from "./AttestationCenter.t.sol";

/// @dev Fuzzes the signature sets given to attest: the quorum threshold, duplicates, order,
///      outsiders and replays across chains and deployments.
contract AttestationFuzzTest is AttestationBase {
    int256 internal constant SCORE = 700_000;
    uint256 internal constant SECP256K1_N =
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function setUp() public {
        _deployMarket();
        taskId = _createTask(100 ether);
    }

    function _status(uint256 id) internal view returns (IModelMarket.CandidateStatus) {
        return market.getCandidate(id).status;
    }

    /// @dev Any subset of five operators with random stakes settles iff it holds > 2/3.
    function testFuzz_quorumIsStrictlyMoreThanTwoThirds(uint256[5] memory stakes, uint8 mask)
        public
    {
        uint256 total;
        for (uint256 i; i < 5; ++i) {
            stakes[i] = bound(stakes[i], MIN_STAKE, 1e26);
            (address op, uint256 key) = makeAddrAndKey(string.concat("f", vm.toString(i)));
            _registerOperator(op, key, stakes[i]);
            total += stakes[i];
        }
        mask = uint8(bound(mask, 1, 31));
        (uint256 id,) = _candidateReadyForAttestation();
        bytes32 digest = _digest(id, SCORE);

        uint256 count;
        for (uint256 i; i < 5; ++i) {
            if (mask & (1 << i) != 0) ++count;
        }
        bytes[] memory sigs = new bytes[](count);
        uint256 signed;
        uint256 k;
        for (uint256 i; i < 5; ++i) {
            if (mask & (1 << i) == 0) continue;
            sigs[k++] = _sign(keyOf[operators[i]], digest);
            signed += registry.stakeOf(operators[i]);
        }

        if (3 * signed > 2 * total) {
            center.attest(id, SCORE, sigs);
            assertEq(uint8(_status(id)), uint8(IModelMarket.CandidateStatus.Improved));
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(IAttestationCenter.QuorumNotReached.selector, signed, total)
            );
            center.attest(id, SCORE, sigs);
        }
    }

    /// @dev Stake exactly two thirds fails; one more wei passes; each candidate uses the stake at
    ///      its own seed block.
    function testFuzz_justUnderAndJustOverTwoThirds(uint256 k) public {
        k = bound(k, MIN_STAKE, 1e26);
        (address a, uint256 aKey) = makeAddrAndKey("a");
        (address b, uint256 bKey) = makeAddrAndKey("b");
        _registerOperator(a, aKey, 2 * k);
        _registerOperator(b, bKey, k);

        (uint256 under,) = _candidateReadyForAttestation();
        bytes[] memory sigsUnder = new bytes[](1);
        sigsUnder[0] = _sign(aKey, _digest(under, SCORE));

        token.transfer(a, 1);
        vm.startPrank(a);
        token.approve(address(registry), 1);
        registry.increaseStake(1);
        vm.stopPrank();
        (uint256 over,) = _candidateReadyForAttestation();
        bytes[] memory sigsOver = new bytes[](1);
        sigsOver[0] = _sign(aKey, _digest(over, SCORE));

        vm.expectRevert(
            abi.encodeWithSelector(IAttestationCenter.QuorumNotReached.selector, 2 * k, 3 * k)
        );
        center.attest(under, SCORE, sigsUnder);

        vm.expectEmit(address(center));
        address[] memory signers = new address[](1);
        signers[0] = a;
        emit Attested(over, taskId, SCORE, signers, 2 * k + 1, 3 * k + 1);
        center.attest(over, SCORE, sigsOver);
    }

    function _fourOperators() internal returns (uint256 id, bytes[] memory sigs) {
        _addOperators(4, 1000 ether, "op");
        (id,) = _candidateReadyForAttestation();
        sigs = _signatures(id, SCORE, 4);
    }

    /// @dev A repeated signature is caught as a non-ascending signer, whatever its position.
    function testFuzz_duplicateSignerRejected(uint8 index) public {
        (uint256 id, bytes[] memory four) = _fourOperators();
        uint256 dup = bound(index, 0, 3);
        bytes[] memory sigs = new bytes[](5);
        uint256 k;
        for (uint256 i; i < 4; ++i) {
            sigs[k++] = four[i];
            if (i == dup) sigs[k++] = four[i];
        }
        vm.expectRevert(
            abi.encodeWithSelector(
                IAttestationCenter.SignersNotAscending.selector,
                dup + 1,
                operators[dup],
                operators[dup]
            )
        );
        center.attest(id, SCORE, sigs);
    }

    /// @dev Swapping any two signatures breaks the order and is rejected at the first descent.
    function testFuzz_unsortedSignersRejected(uint8 i, uint8 j) public {
        (uint256 id, bytes[] memory sigs) = _fourOperators();
        uint256 a = bound(i, 0, 3);
        uint256 b = bound(j, 0, 3);
        vm.assume(a != b);
        if (a > b) (a, b) = (b, a);
        (sigs[a], sigs[b]) = (sigs[b], sigs[a]);
        address[] memory order = _signersOf(4);
        (order[a], order[b]) = (order[b], order[a]);
        // The first descent is at a + 1 (order[a] is now larger than everything up to b).
        vm.expectRevert(
            abi.encodeWithSelector(
                IAttestationCenter.SignersNotAscending.selector, a + 1, order[a], order[a + 1]
            )
        );
        center.attest(id, SCORE, sigs);
    }

    /// @dev A signature by any key that is not an operator's is rejected, in its sorted place.
    function testFuzz_nonOperatorRejected(uint256 outsiderKey) public {
        (uint256 id, bytes[] memory four) = _fourOperators();
        outsiderKey = bound(outsiderKey, 1, SECP256K1_N - 1);
        address outsider = vm.addr(outsiderKey);
        vm.assume(keyOf[outsider] == 0);
        (, uint64 seedBlock) = market.seedOf(id);

        bytes[] memory sigs = new bytes[](5);
        uint256 k;
        bool placed;
        for (uint256 i; i < 4; ++i) {
            if (!placed && outsider < operators[i]) {
                sigs[k++] = _sign(outsiderKey, _digest(id, SCORE));
                placed = true;
            }
            sigs[k++] = four[i];
        }
        if (!placed) sigs[k] = _sign(outsiderKey, _digest(id, SCORE));
        vm.expectRevert(
            abi.encodeWithSelector(IAttestationCenter.NotOperator.selector, outsider, seedBlock)
        );
        center.attest(id, SCORE, sigs);
    }

    /// @dev Signatures made for another chain id do not verify here.
    function testFuzz_replayFromAnotherChainRejected(uint64 otherChain) public {
        vm.assume(otherChain != block.chainid && otherChain != 0);
        (uint256 id,) = _fourOperators();
        (, uint64 seedBlock) = market.seedOf(id);
        uint256 home = block.chainid;

        vm.chainId(otherChain);
        bytes32 foreignDigest = _digest(id, SCORE);
        bytes[] memory sigs = _signatures(id, SCORE, 4);
        vm.chainId(home);
        assertTrue(foreignDigest != _digest(id, SCORE), "domain binds the chain id");

        vm.expectRevert(_expectedRecoveryRevert(_digest(id, SCORE), sigs, seedBlock));
        center.attest(id, SCORE, sigs);
    }

    /// @dev Signatures made for another AttestationCenter (same market and registry, even) do not
    ///      verify on this one.
    function testFuzz_replayFromAnotherContractRejected(int256 score) public {
        score = bound(score, -1e12, 1e12);
        (uint256 id,) = _fourOperators();
        (bytes32 seed, uint64 seedBlock) = market.seedOf(id);
        AttestationCenter other = new AttestationCenter(registry, market);
        bytes32 paramsHash = market.getCandidate(id).paramsHash;
        bytes32 foreignDigest = other.attestationDigest(id, paramsHash, seed, score);
        bytes[] memory sigs = new bytes[](4);
        for (uint256 i; i < 4; ++i) {
            sigs[i] = _sign(keyOf[operators[i]], foreignDigest);
        }
        bytes32 digest = center.attestationDigest(id, paramsHash, seed, score);
        assertTrue(foreignDigest != digest, "domain binds the contract");

        vm.expectRevert(_expectedRecoveryRevert(digest, sigs, seedBlock));
        center.attest(id, score, sigs);
    }

    /// @dev Signatures over one candidate cannot settle another (different id, params and seed).
    function testFuzz_replayOnAnotherCandidateRejected(int256 score) public {
        score = bound(score, -1e12, 1e12);
        (uint256 first, bytes[] memory unused) = _fourOperators();
        unused;
        (uint256 second,) = _candidateReadyForAttestation();
        bytes[] memory sigs = _signatures(first, score, 4);
        (, uint64 seedBlock) = market.seedOf(second);
        vm.expectRevert(_expectedRecoveryRevert(_digest(second, score), sigs, seedBlock));
        center.attest(second, score, sigs);
        center.attest(first, score, sigs);
    }
}
