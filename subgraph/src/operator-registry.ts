// OperatorRegistry: operators, their status and their stake history. StakeChanged is emitted for
// every change of active stake (registration, increase, exit request, slash) and carries the new
// total, so the history and the protocol total come from it alone.
import {
  ExitRequested,
  OperatorExited,
  OperatorRegistered,
  OperatorSlashed,
  StakeChanged,
} from '../generated/OperatorRegistry/OperatorRegistry';
import { StakeChange } from '../generated/schema';
import { eventId, getDay, getOperator, getProtocol, saveTotals } from './helpers';

export function handleOperatorRegistered(event: OperatorRegistered): void {
  const operator = getOperator(event.params.operator, event);
  operator.status = 'Active';
  operator.registeredAtBlock = event.block.number;
  operator.registeredAtTimestamp = event.block.timestamp;
  operator.withdrawableAt = null;
  operator.save();

  const protocol = getProtocol(event);
  protocol.operatorCount += 1;
  const day = getDay(event);
  day.operatorsRegistered += 1;
  saveTotals(protocol, day);
}

export function handleStakeChanged(event: StakeChanged): void {
  const operator = getOperator(event.params.operator, event);
  operator.stake = event.params.newStake;
  operator.save();

  const change = new StakeChange(eventId(event));
  change.operator = operator.id;
  change.kind = event.params.newStake.ge(event.params.oldStake) ? 'Increase' : 'Decrease';
  change.oldStake = event.params.oldStake;
  change.newStake = event.params.newStake;
  change.totalStake = event.params.totalStake;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transaction = event.transaction.hash;
  change.save();

  const protocol = getProtocol(event);
  protocol.totalOperatorStake = event.params.totalStake;
  saveTotals(protocol, getDay(event));
}

export function handleExitRequested(event: ExitRequested): void {
  const operator = getOperator(event.params.operator, event);
  operator.status = 'Exiting';
  operator.withdrawableAt = event.params.withdrawableAt;
  operator.save();

  const protocol = getProtocol(event);
  protocol.operatorCount -= 1;
  saveTotals(protocol, getDay(event));
}

export function handleOperatorExited(event: OperatorExited): void {
  const operator = getOperator(event.params.operator, event);
  operator.status = 'Exited';
  operator.withdrawn = event.params.amount;
  operator.exitedAtBlock = event.block.number;
  operator.save();

  const protocol = getProtocol(event);
  const day = getDay(event);
  day.operatorsExited += 1;
  saveTotals(protocol, day);
}

export function handleOperatorSlashed(event: OperatorSlashed): void {
  const operator = getOperator(event.params.operator, event);
  operator.totalSlashed = operator.totalSlashed.plus(event.params.amount);
  operator.save();

  const protocol = getProtocol(event);
  protocol.totalOperatorStake = event.params.totalStake;
  saveTotals(protocol, getDay(event));
}
