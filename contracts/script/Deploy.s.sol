// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../src/UMToken.sol";
import {IModelMarket} from "../src/interfaces/IModelMarket.sol";
import {IOperatorRegistry} from "../src/interfaces/IOperatorRegistry.sol";
import {AttestationCenter} from "../src/market/AttestationCenter.sol";
import {ModelMarket} from "../src/market/ModelMarket.sol";
import {OperatorRegistry} from "../src/market/OperatorRegistry.sol";
import {DisputeCourt} from "../src/training/DisputeCourt.sol";
import {RunFactory} from "../src/training/RunFactory.sol";
import {TrainingRun} from "../src/training/TrainingRun.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Script} from "forge-std/Script.sol";

/// @title Deploy
/// @notice Deploys the Unstoppable Models system to any RPC and writes deployments/<chainId>.json
///         (addresses and start blocks) for the subgraph, indexer, worker and portal.
/// @dev Run through `npm run deploy:local` (anvil) or:
///      forge script contracts/script/Deploy.s.sol --rpc-url $RPC --broadcast --private-key $KEY
///      One internal function per subsystem (_deployToken, _deployTraining, ...).
///      Environment:
///      - UM_TOKEN_HOLDER (default: the broadcaster), UM_TOKEN_SUPPLY (default 1e9 UM);
///      - UM_GOVERNANCE: owner of the court's parameters (default: the broadcaster; otherwise
///        ownership is offered with Ownable2Step and the governance address must accept it);
///      - UM_COURT_COMMIT_PERIOD and UM_COURT_REVEAL_PERIOD seconds (defaults 150 and 90 on
///        anvil's chain 31337, else 3 days and 1 day), UM_COURT_UNSTAKE_COOLDOWN seconds (600 on
///        31337, else 7 days; must exceed commit + reveal), UM_COURT_QUORUM_BPS (default 400 = 4 %
///        of the court's total stake), UM_COURT_FEE_BPS (default 1000 = 10 %);
///      - Market: UM_OPERATOR_MIN_STAKE (default 100 UM), UM_OPERATOR_EXIT_COOLDOWN (seconds;
///        default 60 on chain 31337, 7 days elsewhere), UM_MARKET_EXPIRY_BLOCKS (default 7200);
///      - UM_DEPLOYMENTS_DIR (default <repo>/deployments; must lie under ./deployments or ./.data).
contract Deploy is Script {
    /// @notice The deployed addresses, also written to disk.
    struct Deployed {
        UMToken token;
        DisputeCourt disputeCourt;
        TrainingRun trainingRunImplementation;
        RunFactory runFactory;
        MarketContracts market;
    }

    /// @notice The model market: operator stakes, tasks and candidates, attestations.
    struct MarketContracts {
        OperatorRegistry registry;
        ModelMarket market;
        AttestationCenter center;
    }

    /// @notice Thrown if the attestation center did not land at the address the registry and
    ///         market were built to trust (another transaction took a nonce in between).
    error MarketWiringMismatch(address predicted, address deployed);

    function run() external returns (Deployed memory deployed) {
        uint256 startBlock = block.number;
        vm.startBroadcast();
        (, address broadcaster,) = vm.readCallers();
        deployed.token = _deployToken(broadcaster);
        _deployTraining(deployed, broadcaster);
        deployed.market = _deployMarket(deployed.token, broadcaster);
        vm.stopBroadcast();

        _write(deployed, startBlock);
    }

    /// @dev The governance token, whole supply to UM_TOKEN_HOLDER.
    function _deployToken(address broadcaster) internal returns (UMToken) {
        address holder = vm.envOr("UM_TOKEN_HOLDER", broadcaster);
        uint256 supply = vm.envOr("UM_TOKEN_SUPPLY", uint256(1_000_000_000 ether));
        return new UMToken(holder, supply);
    }

    /// @dev Training runs: the DisputeCourt (voting on the token), the TrainingRun implementation
    ///      and the RunFactory that clones it, registered as the court's registrar.
    function _deployTraining(Deployed memory deployed, address broadcaster) internal {
        bool dev = block.chainid == 31_337;
        DisputeCourt.Parameters memory parameters = DisputeCourt.Parameters({
            commitPeriod: uint64(vm.envOr("UM_COURT_COMMIT_PERIOD", uint256(dev ? 150 : 3 days))),
            revealPeriod: uint64(vm.envOr("UM_COURT_REVEAL_PERIOD", uint256(dev ? 90 : 1 days))),
            unstakeCooldown: uint64(
                vm.envOr("UM_COURT_UNSTAKE_COOLDOWN", uint256(dev ? 600 : 7 days))
            ),
            quorumBps: uint16(vm.envOr("UM_COURT_QUORUM_BPS", uint256(400))),
            courtFeeBps: uint16(vm.envOr("UM_COURT_FEE_BPS", uint256(1000)))
        });
        address governance = vm.envOr("UM_GOVERNANCE", broadcaster);

        DisputeCourt court =
            new DisputeCourt(IERC20(address(deployed.token)), broadcaster, parameters);
        TrainingRun implementation = new TrainingRun();
        RunFactory factory = new RunFactory(court, address(implementation));
        court.setRegistrar(address(factory));
        if (governance != broadcaster) court.transferOwnership(governance);

        deployed.disputeCourt = court;
        deployed.trainingRunImplementation = implementation;
        deployed.runFactory = factory;
    }

    function _write(Deployed memory deployed, uint256 startBlock) internal {
        _entry("contracts", "UMToken", address(deployed.token), startBlock);
        _entry("contracts", "DisputeCourt", address(deployed.disputeCourt), startBlock);
        _entry(
            "contracts",
            "TrainingRunImplementation",
            address(deployed.trainingRunImplementation),
            startBlock
        );
        _entry("contracts", "RunFactory", address(deployed.runFactory), startBlock);
        string memory contracts = _marketEntries(deployed.market, startBlock);

        string memory root = "deployment";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeUint(root, "startBlock", startBlock);
        string memory json = vm.serializeString(root, "contracts", contracts);
        string memory dir =
            vm.envOr("UM_DEPLOYMENTS_DIR", string.concat(vm.projectRoot(), "/deployments"));
        string memory path = string.concat(dir, "/", vm.toString(block.chainid), ".json");
        vm.writeJson(json, path);
    }

    /// @dev Deploys OperatorRegistry, ModelMarket and AttestationCenter wired together. The
    ///      registry and market trust the center immutably, so its address is predicted from the
    ///      broadcaster's nonce (it is the third of these three deployments) and checked after.
    function _deployMarket(UMToken token, address broadcaster)
        internal
        returns (MarketContracts memory deployed)
    {
        uint256 minStake = vm.envOr("UM_OPERATOR_MIN_STAKE", uint256(100 ether));
        uint256 cooldown = vm.envOr(
            "UM_OPERATOR_EXIT_COOLDOWN", block.chainid == 31_337 ? uint256(60) : uint256(7 days)
        );
        uint256 expiryBlocks = vm.envOr("UM_MARKET_EXPIRY_BLOCKS", uint256(7200));

        address predicted = vm.computeCreateAddress(broadcaster, vm.getNonce(broadcaster) + 2);
        deployed.registry =
            new OperatorRegistry(IERC20(address(token)), predicted, minStake, uint64(cooldown));
        deployed.market = new ModelMarket(predicted, uint64(expiryBlocks));
        deployed.center = new AttestationCenter(
            IOperatorRegistry(address(deployed.registry)), IModelMarket(address(deployed.market))
        );
        if (address(deployed.center) != predicted) {
            revert MarketWiringMismatch(predicted, address(deployed.center));
        }
    }

    /// @dev Adds the market's three contracts to the "contracts" JSON object.
    function _marketEntries(MarketContracts memory deployed, uint256 startBlock)
        internal
        returns (string memory)
    {
        _entry("contracts", "OperatorRegistry", address(deployed.registry), startBlock);
        _entry("contracts", "ModelMarket", address(deployed.market), startBlock);
        return _entry("contracts", "AttestationCenter", address(deployed.center), startBlock);
    }

    /// @dev Adds {name: {address, startBlock}} to the JSON object `key` and returns it serialised.
    function _entry(string memory key, string memory name, address deployedAt, uint256 startBlock)
        internal
        returns (string memory)
    {
        string memory item = string.concat(key, ".", name);
        vm.serializeAddress(item, "address", deployedAt);
        string memory entry = vm.serializeUint(item, "startBlock", startBlock);
        return vm.serializeString(key, name, entry);
    }
}
