import * as tf from '@tensorflow/tfjs';
import { draw, seedToBigInt, tags, uniformFromWord, type Seed } from './random.js';
import { EngineError } from './errors.js';
import type { TensorSpec } from './state.js';

export class InvalidModelError extends EngineError {
  override name = 'InvalidModelError';
}

/** Builds a LayersModel from a spec's topology (what model.toJSON(null, false) returns). */
export async function buildModel(topology: Record<string, unknown>): Promise<tf.LayersModel> {
  try {
    return await tf.models.modelFromJSON({
      modelTopology: topology as tf.io.ModelJSON['modelTopology'],
    });
  } catch (error) {
    throw new InvalidModelError(`the model topology does not build: ${(error as Error).message}`);
  }
}

/** The model's weights in TF.js weights-manifest order (model.weights). */
export const weightSpecs = (model: tf.LayersModel): TensorSpec[] =>
  model.weights.map((w) => ({ name: w.originalName, shape: [...w.shape] as number[] }));

export const trainableSpecs = (model: tf.LayersModel): TensorSpec[] =>
  model.trainableWeights.map((w) => ({ name: w.originalName, shape: [...w.shape] as number[] }));

/**
 * Glorot-uniform from the keccak stream, biases zero. For weight tensor k (manifest order) whose
 * name ends in "/kernel" with shape [..., fanInPerPos, fanOutPerPos] (receptive field r = product of
 * the leading dims): fanIn = r·shape[-2], fanOut = r·shape[-1], limit = sqrt(6 / (fanIn + fanOut)),
 * element e = float32(limit · (2u − 1)), u = uniform word (e mod 4) of draw("um/init/v1", seed, k, floor(e/4)).
 * Names ending in "/bias" are zero. Any other weight is an InvalidModelError.
 */
export function glorotUniformWeights(specs: readonly TensorSpec[], seed: Seed): Float32Array[] {
  const s = seedToBigInt(seed);
  return specs.map((spec, k) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    if (spec.name.endsWith('/bias')) return values;
    if (!spec.name.endsWith('/kernel') || spec.shape.length < 2) {
      throw new InvalidModelError(
        `no initializer rule for weight ${spec.name} [${spec.shape.join(', ')}]`,
      );
    }
    const receptive = spec.shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fanIn = receptive * spec.shape[spec.shape.length - 2]!;
    const fanOut = receptive * spec.shape[spec.shape.length - 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    let block: Uint8Array = new Uint8Array(32);
    for (let e = 0; e < n; e++) {
      if (e % 4 === 0) block = draw(tags.init, s, k, e / 4);
      values[e] = limit * (2 * uniformFromWord(block, e % 4) - 1);
    }
    return values;
  });
}

/** Floating-point operations of one forward pass for one example (2 per multiply-add), for the benchmark. */
export function forwardFlopsPerExample(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const out = layer.outputShape as (number | null)[];
    if (cls === 'Dense') {
      const kernel = layer.getWeights()[0]!;
      const [inUnits, units] = kernel.shape as [number, number];
      const positions = out.slice(1, -1).reduce<number>((a, b) => a * (b ?? 1), 1);
      flops += 2 * inUnits * units * positions;
    } else if (cls === 'Conv2D') {
      const [kh, kw, cin, cout] = layer.getWeights()[0]!.shape as [number, number, number, number];
      flops += 2 * kh * kw * cin * cout * (out[1] ?? 1) * (out[2] ?? 1);
    }
  }
  return flops;
}
