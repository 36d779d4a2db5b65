import { z } from 'zod';

/**
 * The run spec: the JSON document that fixes everything a step depends on. It is stored as
 * canonical JSON (see canonical.ts) and its keccak256 is the on-chain specHash. Specified field by
 * field in docs/engine.md; this schema is the single source of truth for what is accepted.
 */

const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte 0x-prefixed hex hash');
const seed = z
  .number()
  .int('a seed must be an integer')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER, 'a seed must be at most 2^53-1');
const positiveInt = z.number().int().positive();
const finitePositive = z.number().positive().finite();
const cid = z
  .string()
  .regex(
    /^(b[a-z2-7]{20,}|Qm[1-9A-HJ-NP-Za-km-z]{44})$/,
    'expected an IPFS CID (base32 CIDv1 or CIDv0)',
  );

/** Layers that train deterministically (no dropout/noise/batch statistics randomness). */
export const allowedLayerClasses = [
  'InputLayer',
  'Dense',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'Flatten',
  'Reshape',
  'Activation',
  'Add',
  'Concatenate',
] as const;

const layer = z.looseObject({ class_name: z.string(), config: z.looseObject({}) });

/** A TF.js LayersModel topology: what `model.toJSON(null, false)` returns (Sequential or functional). */
export const modelTopologySchema = z
  .looseObject({
    class_name: z.enum(['Sequential', 'Model', 'Functional']),
    config: z.looseObject({ layers: z.array(layer).min(1, 'a model needs at least one layer') }),
  })
  .superRefine((topology, ctx) => {
    topology.config.layers.forEach((l, i) => {
      if (!(allowedLayerClasses as readonly string[]).includes(l.class_name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['config', 'layers', i, 'class_name'],
          message: `layer class ${l.class_name} is not allowed (allowed: ${allowedLayerClasses.join(', ')})`,
        });
      }
    });
  });

export const initialStateSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('checkpoint'),
    /** CID of the checkpoint directory (model.json, weights.bin, optimizer.bin). */
    cid,
    /** stateHash of the checkpoint's canonical state bytes. */
    stateHash: hash32,
  }),
  z.strictObject({
    kind: z.literal('initializer'),
    /** Kernels glorot-uniform from the keccak stream, biases zero; see docs/engine.md. */
    initializer: z.literal('glorot-uniform'),
    seed,
  }),
]);

export const syntheticFunctions = ['square', 'cube', 'sin', 'linear'] as const;

const domain = z
  .tuple([z.number().finite(), z.number().finite()])
  .refine(([lo, hi]) => lo < hi, 'domain must be [low, high] with low < high');

export const splits = ['train', 'test', 'all'] as const;

export const datasetSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('iris'),
    /** Merkle root of the example hashes of this split, in split order. */
    root: hash32,
    split: z.enum(splits),
  }),
  z.strictObject({ name: z.literal('mnist'), root: hash32, split: z.enum(splits) }),
  z.strictObject({
    name: z.literal('synthetic'),
    function: z.enum(syntheticFunctions),
    domain,
    size: positiveInt.max(1_000_000),
    seed,
    root: hash32,
    split: z.enum(splits),
  }),
]);

export const learningRateScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant') }),
  /** lr(t) = learningRate · factor^floor((t-1)/every), the power by square-and-multiply in double */
  z.strictObject({ kind: z.literal('step'), every: positiveInt, factor: finitePositive }),
  /**
   * lr(t) = learningRate + (final − learningRate) · min(t−1, decaySteps) / decaySteps, in IEEE
   * double (only +, −, ×, ÷, so every language agrees; no pow/exp).
   */
  z.strictObject({
    kind: z.literal('linear'),
    decaySteps: positiveInt,
    final: z.number().min(0).finite(),
  }),
]);

const schedule = learningRateScheduleSchema.default({ kind: 'constant' });

export const optimizerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sgd'), learningRate: finitePositive, schedule }),
  z.strictObject({
    kind: z.literal('momentum'),
    learningRate: finitePositive,
    momentum: z.number().min(0).lt(1),
    schedule,
  }),
  z.strictObject({
    kind: z.literal('adam'),
    learningRate: finitePositive,
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: finitePositive.default(1e-7),
    schedule,
  }),
]);

export const losses = ['meanSquaredError', 'categoricalCrossentropy'] as const;

export const evaluationSchema = z.discriminatedUnion('metric', [
  z.strictObject({
    metric: z.literal('accuracy'),
    /** Held-out split the sample is drawn from. */
    split: z.enum(splits),
    sampleSize: positiveInt.max(100_000),
  }),
  z.strictObject({
    metric: z.enum(['r2', 'mse']),
    function: z.enum(syntheticFunctions),
    domain,
    sampleSize: positiveInt.max(1_000_000),
  }),
]);

export const computeProfileSchema = z.strictObject({
  backend: z.enum(['wasm', 'cpu', 'tensorflow']),
  /** Exact versions, e.g. {"@tensorflow/tfjs": "4.22.0", "@tensorflow/tfjs-backend-wasm": "4.22.0"}. */
  libraries: z.record(
    z.string().min(1),
    z.string().regex(/^\d+\.\d+\.\d+/, 'expected an exact version'),
  ),
});

export const runSpecSchema = z.strictObject({
  version: z.literal(1),
  model: z.strictObject({ format: z.literal('layers-model'), topology: modelTopologySchema }),
  initialState: initialStateSchema,
  dataset: datasetSchema,
  batchSize: positiveInt.max(65_536),
  schedule: z.strictObject({ seed }),
  optimizer: optimizerSchema,
  loss: z.enum(losses),
  stepsPerRound: positiveInt.max(100_000),
  evaluation: evaluationSchema,
  computeProfile: computeProfileSchema,
});

/** A run spec as written (defaults optional). */
export type RunSpecInput = z.input<typeof runSpecSchema>;
/** A validated run spec with defaults filled in. */
export type RunSpec = z.output<typeof runSpecSchema>;
export type DatasetRef = RunSpec['dataset'];
export type OptimizerSpec = RunSpec['optimizer'];
export type EvaluationSpec = RunSpec['evaluation'];
export type ComputeProfile = RunSpec['computeProfile'];
export type InitialState = RunSpec['initialState'];
export type SyntheticFunction = (typeof syntheticFunctions)[number];
export type Split = (typeof splits)[number];
export type LossName = (typeof losses)[number];
