// UMToken: balances, delegation and voting power (ERC20Votes), for the court's voters.
import { Address } from '@graphprotocol/graph-ts';
import { DelegateChanged, DelegateVotesChanged, Transfer } from '../generated/UMToken/UMToken';
import { DelegateChange, VotingPowerChange } from '../generated/schema';
import { eventId, getProtocol, getVoter } from './helpers';

export function handleDelegateChanged(event: DelegateChanged): void {
  const protocol = getProtocol(event);
  const delegator = getVoter(event.params.delegator, protocol);
  const to = event.params.toDelegate;
  if (to.equals(Address.zero())) {
    delegator.delegate = null;
  } else if (to.equals(event.params.delegator)) {
    delegator.delegate = delegator.id;
  } else {
    const delegate = getVoter(to, protocol);
    delegate.save();
    delegator.delegate = delegate.id;
  }
  delegator.save();

  const change = new DelegateChange(eventId(event));
  change.delegator = delegator.id;
  change.fromDelegate = event.params.fromDelegate;
  change.toDelegate = to;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transaction = event.transaction.hash;
  change.save();
  protocol.save();
}

export function handleDelegateVotesChanged(event: DelegateVotesChanged): void {
  const protocol = getProtocol(event);
  const voter = getVoter(event.params.delegate, protocol);
  voter.votingPower = event.params.newVotes;
  voter.save();

  const change = new VotingPowerChange(eventId(event));
  change.voter = voter.id;
  change.previousVotes = event.params.previousVotes;
  change.newVotes = event.params.newVotes;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transaction = event.transaction.hash;
  change.save();
  protocol.save();
}

export function handleTransfer(event: Transfer): void {
  const protocol = getProtocol(event);
  const from = event.params.from;
  const to = event.params.to;
  const value = event.params.value;
  if (from.equals(Address.zero())) {
    protocol.tokenSupply = protocol.tokenSupply.plus(value);
  } else {
    const sender = getVoter(from, protocol);
    sender.balance = sender.balance.minus(value);
    sender.save();
  }
  if (to.equals(Address.zero())) {
    protocol.tokenSupply = protocol.tokenSupply.minus(value);
  } else {
    // Loaded after the sender was saved, so a self-transfer nets to zero.
    const receiver = getVoter(to, protocol);
    receiver.balance = receiver.balance.plus(value);
    receiver.save();
  }
  protocol.save();
}
