// The demo's accounts and terms. Only viem is imported here, so `npm run dev` can load this before
// the Turbo build has produced the workspaces' dist/ (demo.mjs, which seeds the chain with the
// engine and the generated ABIs, is imported only after the build).
import { parseEther } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

/** anvil's public test mnemonic: its accounts are known to everyone, local chains only. */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

/** Which HD index plays which part. 0–9 are the portal's dev accounts (voters). */
export const roleIndex = {
  deployer: 0,
  trainer: 10,
  faultyTrainer: 11,
  verifier: 12,
  fraudVerifier: 13,
  operator1: 14,
  operator2: 15,
  operator3: 16,
  optimizer: 17,
  /** the faulty trainer's second address: squats its fraudulent round by challenging a correct step */
  squatter: 18,
};
export const ACCOUNT_COUNT = 20;

export class DemoError extends Error {
  name = 'DemoError';
}

/** The dev accounts as {address, privateKey}, by role and by index. */
export function demoAccounts(mnemonic = TEST_MNEMONIC) {
  const at = (addressIndex) => {
    const account = mnemonicToAccount(mnemonic, { addressIndex });
    const key = account.getHdKey().privateKey;
    return {
      index: addressIndex,
      address: account.address,
      privateKey: `0x${Buffer.from(key).toString('hex')}`,
    };
  };
  const byRole = Object.fromEntries(Object.entries(roleIndex).map(([role, i]) => [role, at(i)]));
  const voters = Array.from({ length: 10 }, (_, i) => at(i));
  return { ...byRole, voters, at };
}

/** Tunables of the demo; the end-to-end suite shortens the windows. */
export const defaultDemoTerms = {
  stepsPerRound: 10,
  challengeWindow: 60n,
  leaseDuration: 300n,
  workerDeposit: parseEther('1'),
  challengerDeposit: parseEther('0.5'),
  rewardPerRound: parseEther('0.01'),
  pool: parseEther('50'),
  voterTokens: parseEther('20000000'),
  /** of which each dev account stakes this much in the court (its voting weight) */
  voterStake: parseEther('10000000'),
  /** dev accounts that judge the first disputes of the fraud run with `um-worker vote --wait` */
  autoVoters: [8, 9],
  /** the correct step (index in the faulty round) the squatter challenges */
  squatStepIndex: 0,
  operatorTokens: parseEther('1000'),
  operatorStake: '500',
  /** the faulty trainer's wrong step: inside its second round */
  faultStep: 15,
  /** rounds of the fraud run (its maxRounds): after the fraud ruling the faulty trainer redoes
   *  the voided rounds, so its fault is challenged again in a later dispute */
  faultRunRounds: 3n,
  /** court periods (seconds) set once the first disputes opened, so the later dispute stays open
   *  for a visitor to vote on; null keeps the deployed ones */
  laterCourt: { commitPeriod: 21_600, revealPeriod: 3_600, unstakeCooldown: 28_800 },
  x2TrainSteps: 150,
};
