// The downsampled valid loss curve of a run (LossBucket): level L groups 4^L consecutive global
// steps, L = 1..MAX_LEVEL, so a chart of any length is one query of at most ~1000 buckets at the
// right level. Buckets hold the valid chain only. Two facts keep every update bounded:
// - a submission always appends (its first step is the valid head + 1), so it touches at most
//   k/4^L + 1 buckets per level;
// - a fraud ruling always cuts a suffix (the ruled round and every later one), so a rollback
//   recomputes the one bucket per level that the cut splits (level 1 from its ≤ 4 steps, higher
//   levels from their 4 children) and empties the buckets after it, which the submissions being
//   rolled back had written.
import { BigInt, ethereum } from '@graphprotocol/graph-ts';
import { LossBucket, Round, RoundSlot, RunStats, Step } from '../generated/schema';
import { LOSS_DECIMALS, ZERO, fixedToDecimal } from './helpers';

export const MAX_LEVEL = 10;
const FANOUT: i32 = 4;

function widthOf(level: i32): BigInt {
  return BigInt.fromI32(FANOUT).pow(level as u8);
}

function bucketId(run: string, level: i32, index: BigInt): string {
  return run + '-' + level.toString() + '-' + index.toString();
}

/** Index of the level-`level` bucket holding global step `step` (steps count from 1). */
function indexOf(step: BigInt, level: i32): BigInt {
  return step.minus(BigInt.fromI32(1)).div(widthOf(level));
}

function loadOrCreate(run: string, level: i32, index: BigInt): LossBucket {
  const id = bucketId(run, level, index);
  let bucket = LossBucket.load(id);
  if (bucket == null) {
    bucket = new LossBucket(id);
    bucket.run = run;
    bucket.level = level;
    const width = widthOf(level);
    bucket.width = width;
    bucket.index = index;
    bucket.startStep = index.times(width).plus(BigInt.fromI32(1));
    clear(bucket);
  }
  return bucket;
}

function clear(bucket: LossBucket): void {
  bucket.count = 0;
  bucket.firstStep = null;
  bucket.lastStep = null;
  bucket.minLossRaw = null;
  bucket.minLoss = null;
  bucket.minLossStep = null;
  bucket.maxLossRaw = null;
  bucket.maxLoss = null;
  bucket.sumLossRaw = ZERO;
  bucket.meanLoss = null;
  bucket.firstLossRaw = null;
  bucket.lastLossRaw = null;
  bucket.lastLoss = null;
}

/** Appends one step (later than everything in the bucket). */
function addPoint(bucket: LossBucket, step: BigInt, raw: BigInt): void {
  if (bucket.count == 0) {
    bucket.firstStep = step;
    bucket.firstLossRaw = raw;
  }
  bucket.count += 1;
  bucket.lastStep = step;
  bucket.lastLossRaw = raw;
  bucket.sumLossRaw = bucket.sumLossRaw.plus(raw);
  const min = bucket.minLossRaw;
  if (min === null || raw.lt(min)) {
    bucket.minLossRaw = raw;
    bucket.minLossStep = step;
  }
  const max = bucket.maxLossRaw;
  if (max === null || raw.gt(max)) bucket.maxLossRaw = raw;
}

/** Appends a whole (later, non-empty) bucket into `into`. */
function addBucket(into: LossBucket, from: LossBucket): void {
  if (from.count == 0) return;
  if (into.count == 0) {
    into.firstStep = from.firstStep;
    into.firstLossRaw = from.firstLossRaw;
  }
  into.count += from.count;
  into.lastStep = from.lastStep;
  into.lastLossRaw = from.lastLossRaw;
  into.sumLossRaw = into.sumLossRaw.plus(from.sumLossRaw);
  const min = into.minLossRaw;
  const fromMin = from.minLossRaw!;
  if (min === null || fromMin.lt(min)) {
    into.minLossRaw = fromMin;
    into.minLossStep = from.minLossStep;
  }
  const max = into.maxLossRaw;
  const fromMax = from.maxLossRaw!;
  if (max === null || fromMax.gt(max)) into.maxLossRaw = fromMax;
}

/** Fills the decimal fields from the raw ones and saves. */
function finish(bucket: LossBucket, event: ethereum.Event): void {
  const min = bucket.minLossRaw;
  const max = bucket.maxLossRaw;
  const last = bucket.lastLossRaw;
  bucket.minLoss = min === null ? null : fixedToDecimal(min, LOSS_DECIMALS);
  bucket.maxLoss = max === null ? null : fixedToDecimal(max, LOSS_DECIMALS);
  bucket.lastLoss = last === null ? null : fixedToDecimal(last, LOSS_DECIMALS);
  bucket.meanLoss =
    bucket.count == 0
      ? null
      : fixedToDecimal(bucket.sumLossRaw, LOSS_DECIMALS).div(
          BigInt.fromI32(bucket.count).toBigDecimal(),
        );
  bucket.updatedAtBlock = event.block.number;
  bucket.save();
}

/** Adds a submitted round's steps (firstStep, firstStep+1, …) to every level. */
export function appendSteps(
  run: string,
  stats: RunStats,
  firstStep: BigInt,
  losses: BigInt[],
  event: ethereum.Event,
): void {
  if (losses.length == 0) return;
  for (let level = 1; level <= MAX_LEVEL; level++) {
    let bucket: LossBucket | null = null;
    for (let i = 0; i < losses.length; i++) {
      const step = firstStep.plus(BigInt.fromI32(i));
      const index = indexOf(step, level);
      if (bucket === null || !bucket.index.equals(index)) {
        if (bucket !== null) finish(bucket, event);
        bucket = loadOrCreate(run, level, index);
      }
      addPoint(bucket, step, losses[i]);
    }
    if (bucket !== null) finish(bucket, event);
  }
  stats.lossBucketLevels = MAX_LEVEL;
}

/** The valid Step entity with global index `step` (the current attempt of its round). */
function validStep(run: string, stepsPerRound: BigInt, step: BigInt): Step | null {
  const number = step.minus(BigInt.fromI32(1)).div(stepsPerRound);
  const slot = RoundSlot.load(run + '-' + number.toString());
  if (slot == null) return null;
  const round = Round.load(slot.current);
  if (round == null || round.status == 'Invalidated') return null;
  return Step.load(round.id + '-' + step.toString());
}

/**
 * Cuts the valid chain back to steps 1..`keep` (a fraud ruling on round keep/k), given the valid
 * head before the cut. Returns the level-MAX_LEVEL summary of what is kept (for RunStats) as a
 * transient bucket, or null when nothing is kept.
 */
export function rollBack(
  run: string,
  stepsPerRound: BigInt,
  keep: BigInt,
  oldHead: BigInt,
  event: ethereum.Event,
): LossBucket | null {
  const one = BigInt.fromI32(1);
  for (let level = 1; level <= MAX_LEVEL; level++) {
    // The bucket holding step keep+1: recompute it from what stays (if anything does).
    const cut = indexOf(keep.plus(one), level);
    const bucket = loadOrCreate(run, level, cut);
    clear(bucket);
    if (level == 1) {
      for (let s = bucket.startStep; s.le(keep); s = s.plus(one)) {
        const step = validStep(run, stepsPerRound, s);
        if (step != null) addPoint(bucket, s, step.lossRaw);
      }
    } else {
      const first = cut.times(BigInt.fromI32(FANOUT));
      for (let c = 0; c < FANOUT; c++) {
        const child = LossBucket.load(bucketId(run, level - 1, first.plus(BigInt.fromI32(c))));
        if (child != null) addBucket(bucket, child);
      }
    }
    finish(bucket, event);
    // Empty every later bucket the rolled-back submissions wrote.
    if (oldHead.gt(keep)) {
      const last = indexOf(oldHead, level);
      for (let i = cut.plus(one); i.le(last); i = i.plus(one)) {
        const later = LossBucket.load(bucketId(run, level, i));
        if (later == null || later.count == 0) continue;
        clear(later);
        finish(later, event);
      }
    }
  }
  if (keep.isZero()) return null;
  // Summary of steps 1..keep: fold the top level's buckets (one unless the run is longer than
  // 4^MAX_LEVEL steps).
  const summary = new LossBucket(bucketId(run, 0, ZERO) + '-summary');
  summary.run = run;
  summary.level = 0;
  summary.width = ZERO;
  summary.index = ZERO;
  summary.startStep = one;
  clear(summary);
  const top = indexOf(keep, MAX_LEVEL);
  for (let i = ZERO; i.le(top); i = i.plus(one)) {
    const bucket = LossBucket.load(bucketId(run, MAX_LEVEL, i));
    if (bucket != null) addBucket(summary, bucket);
  }
  return summary;
}
