/**
 * CSV and JSON exports of a run's loss curve, with losses printed exactly from the chain's fixed
 * point (no float round trip), so a researcher's analysis starts from the same numbers the chain holds.
 */
import { formatLoss } from './fixed-point.js';

export type CurveRow = { step: string; lossRaw: string; status: string };

export function curveToCsv(rows: readonly CurveRow[], stepsPerRound: bigint): string {
  const lines = ['step,round,loss,loss_raw_1e9,status'];
  for (const r of rows) {
    const step = BigInt(r.step);
    const round = step > 0n ? (step - 1n) / stepsPerRound : 0n;
    lines.push(`${step},${round},${formatLoss(BigInt(r.lossRaw), 9)},${r.lossRaw},${r.status}`);
  }
  return `${lines.join('\n')}\n`;
}

export type CurveJson = {
  run: string;
  block: number | null;
  lossScale: '1000000000';
  stepsPerRound: string;
  points: Array<{ step: number; round: number; loss: string; lossRaw: string; status: string }>;
};

export function curveToJson(
  run: string,
  block: number | null,
  rows: readonly CurveRow[],
  stepsPerRound: bigint,
): CurveJson {
  return {
    run,
    block,
    lossScale: '1000000000',
    stepsPerRound: stepsPerRound.toString(),
    points: rows.map((r) => {
      const step = BigInt(r.step);
      return {
        step: Number(step),
        round: Number(step > 0n ? (step - 1n) / stepsPerRound : 0n),
        loss: formatLoss(BigInt(r.lossRaw), 9),
        lossRaw: r.lossRaw,
        status: r.status,
      };
    }),
  };
}
