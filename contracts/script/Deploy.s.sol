// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../src/UMToken.sol";
import {Script} from "forge-std/Script.sol";

/// @title Deploy
/// @notice Deploys the Unstoppable Models system to any RPC and writes deployments/<chainId>.json
///         (addresses and start blocks) for the subgraph, indexer, worker and portal.
/// @dev Run through `npm run deploy:local` (anvil) or:
///      forge script contracts/script/Deploy.s.sol --rpc-url $RPC --broadcast --private-key $KEY
///      Environment: UM_TOKEN_HOLDER (default: the broadcaster), UM_TOKEN_SUPPLY (default 1e9 UM),
///      UM_DEPLOYMENTS_DIR (default <repo>/deployments; must lie under ./deployments or ./.data).
contract Deploy is Script {
    /// @notice The deployed addresses, also written to disk.
    struct Deployed {
        UMToken token;
    }

    function run() external returns (Deployed memory deployed) {
        uint256 startBlock = block.number;
        vm.startBroadcast();
        (, address broadcaster,) = vm.readCallers();
        address holder = vm.envOr("UM_TOKEN_HOLDER", broadcaster);
        uint256 supply = vm.envOr("UM_TOKEN_SUPPLY", uint256(1_000_000_000 ether));
        deployed.token = new UMToken(holder, supply);
        vm.stopBroadcast();

        _write(deployed, startBlock);
    }

    function _write(Deployed memory deployed, uint256 startBlock) internal {
        string memory contracts =
            _entry("contracts", "UMToken", address(deployed.token), startBlock);

        string memory root = "deployment";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeUint(root, "startBlock", startBlock);
        string memory json = vm.serializeString(root, "contracts", contracts);
        string memory dir =
            vm.envOr("UM_DEPLOYMENTS_DIR", string.concat(vm.projectRoot(), "/deployments"));
        string memory path = string.concat(dir, "/", vm.toString(block.chainid), ".json");
        vm.writeJson(json, path);
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
