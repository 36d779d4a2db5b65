// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Deploy} from "../../script/Deploy.s.sol";
import {AttestationCenter} from "../../src/market/AttestationCenter.sol";
import {ModelMarket} from "../../src/market/ModelMarket.sol";
import {OperatorRegistry} from "../../src/market/OperatorRegistry.sol";
import {Test} from "forge-std/Test.sol";

/// @dev Runs the deploy script in-process and checks the market's wiring and its JSON entries.
///      The JSON goes to .data/ (UM_DEPLOYMENTS_DIR) so a developer's deployments/ stays intact.
contract DeployMarketTest is Test {
    function test_deploy_wiresMarketAndWritesAddresses() public {
        string memory dir = string.concat(vm.projectRoot(), "/.data/deploy-market-test");
        vm.createDir(dir, true);
        vm.setEnv("UM_DEPLOYMENTS_DIR", dir);

        Deploy.Deployed memory deployed = new Deploy().run();
        OperatorRegistry registry = deployed.market.registry;
        ModelMarket market = deployed.market.market;
        AttestationCenter center = deployed.market.center;

        assertEq(address(registry.token()), address(deployed.token));
        assertEq(registry.attestationCenter(), address(center));
        assertEq(block.chainid, 31_337);
        assertEq(registry.exitCooldown(), 60, "local-friendly cooldown on anvil's chain id");
        assertEq(registry.minStake(), 100 ether);
        assertEq(market.attestationCenter(), address(center));
        assertEq(market.expiryBlocks(), 7200);
        assertEq(address(center.registry()), address(registry));
        assertEq(address(center.market()), address(market));

        string memory json =
            vm.readFile(string.concat(dir, "/", vm.toString(block.chainid), ".json"));
        assertEq(
            vm.parseJsonAddress(json, ".contracts.OperatorRegistry.address"), address(registry)
        );
        assertEq(vm.parseJsonAddress(json, ".contracts.ModelMarket.address"), address(market));
        assertEq(vm.parseJsonAddress(json, ".contracts.AttestationCenter.address"), address(center));
        assertEq(vm.parseJsonAddress(json, ".contracts.UMToken.address"), address(deployed.token));
        assertEq(vm.parseJsonUint(json, ".contracts.ModelMarket.startBlock"), block.number);
    }
}
