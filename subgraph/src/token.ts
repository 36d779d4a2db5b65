// UMToken: balances and supply. Court voting weight is court stake (dispute-court.ts), so the
// token's ERC20Votes delegation is not indexed.
import { Address } from '@graphprotocol/graph-ts';
import { Transfer } from '../generated/UMToken/UMToken';
import { getProtocol, getVoter } from './helpers';

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
