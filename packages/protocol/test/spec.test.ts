import { keccak256, stringToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  CanonicalJsonError,
  InvalidSpecError,
  NonCanonicalSpecError,
  SpecHashMismatchError,
  canonicalJson,
  decodeSpec,
  encodeSpec,
  parseSpec,
  specHash,
  type RunSpecInput,
} from '../src/index.js';

const irisSpec = (): RunSpecInput => ({
  version: 1,
  model: {
    format: 'layers-model',
    topology: {
      class_name: 'Sequential',
      config: {
        name: 'iris_mlp',
        layers: [
          {
            class_name: 'Dense',
            config: { units: 8, activation: 'relu', batch_input_shape: [null, 4] },
          },
          { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
        ],
      },
    },
  },
  initialState: { kind: 'initializer', initializer: 'glorot-uniform', seed: 7 },
  dataset: { name: 'iris', root: `0x${'ab'.repeat(32)}`, split: 'train' },
  batchSize: 16,
  schedule: { seed: 42 },
  optimizer: { kind: 'adam', learningRate: 0.01 },
  loss: 'categoricalCrossentropy',
  stepsPerRound: 10,
  evaluation: { metric: 'accuracy', split: 'test', sampleSize: 30 },
  computeProfile: { backend: 'wasm', libraries: { '@tensorflow/tfjs': '4.22.0' } },
});

describe('canonical JSON', () => {
  it('sorts keys, drops whitespace and writes shortest numbers (RFC 8785)', () => {
    expect(canonicalJson({ b: [1, 0.1, 1e21], a: { y: 'é"', x: null } })).toBe(
      '{"a":{"x":null,"y":"é\\""},"b":[1,0.1,1e+21]}',
    );
  });
  it('refuses values that are not JSON, naming where', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrowError(CanonicalJsonError);
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrowError(/a\[1\]/);
  });
});

describe('run spec', () => {
  it('fills in optimizer defaults so every party hashes the same document', () => {
    const spec = parseSpec(irisSpec());
    expect(spec.optimizer).toEqual({
      kind: 'adam',
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      schedule: { kind: 'constant' },
    });
    expect(specHash(irisSpec())).toBe(specHash(spec));
  });

  it('hashes the canonical bytes: key order in the input does not matter, values do', () => {
    const reordered = Object.fromEntries(Object.entries(irisSpec()).reverse()) as RunSpecInput;
    expect(specHash(reordered)).toBe(specHash(irisSpec()));
    expect(specHash({ ...irisSpec(), batchSize: 17 })).not.toBe(specHash(irisSpec()));
    expect(specHash(irisSpec())).toBe(keccak256(encodeSpec(irisSpec())));
  });

  it.each([
    [{ batchSize: 0 }, 'batchSize'],
    [{ optimizer: { kind: 'adam', learningRate: -1 } }, 'optimizer.learningRate'],
    [{ dataset: { name: 'iris', root: '0x12', split: 'train' } }, 'dataset.root'],
    [{ schedule: { seed: 1.5 } }, 'schedule.seed'],
    [{ loss: 'hinge' }, 'loss'],
    [{ computeProfile: { backend: 'webgl', libraries: {} } }, 'computeProfile.backend'],
  ])('names the bad field (%j → %s)', (patch, field) => {
    const input = { ...irisSpec(), ...patch };
    try {
      parseSpec(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSpecError);
      expect((error as InvalidSpecError).field).toBe(field);
      expect((error as Error).message).toContain(field);
    }
  });

  it('rejects layers that would not train deterministically, naming the layer', () => {
    const input = irisSpec();
    (input.model.topology.config.layers as unknown[]).splice(1, 0, {
      class_name: 'Dropout',
      config: { rate: 0.5 },
    });
    expect(() => parseSpec(input)).toThrowError(
      /model\.topology\.config\.layers\.1\.class_name: layer class Dropout/,
    );
  });

  it('rejects unknown fields instead of ignoring them', () => {
    expect(() => parseSpec({ ...irisSpec(), learningRate: 0.1 })).toThrowError(InvalidSpecError);
  });

  it('decodes stored bytes and checks them against the expected hash', () => {
    const bytes = encodeSpec(irisSpec());
    const hash = specHash(irisSpec());
    expect(decodeSpec(bytes, { expectedHash: hash })).toEqual(parseSpec(irisSpec()));
    expect(() => decodeSpec(bytes, { expectedHash: `0x${'00'.repeat(32)}` })).toThrowError(
      SpecHashMismatchError,
    );
    const pretty = stringToBytes(JSON.stringify(parseSpec(irisSpec()), null, 2));
    expect(() => decodeSpec(pretty)).toThrowError(NonCanonicalSpecError);
    expect(() => decodeSpec(stringToBytes('{"version":'))).toThrowError(InvalidSpecError);
  });
});
