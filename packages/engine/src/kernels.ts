import * as tf from '@tensorflow/tfjs';

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so Conv2D layers cannot train on the
 * wasm profile out of the box. This registers one, written so that its bits are defined here and
 * not by a library: NHWC only, and for each filter element (kh, kw, ci, co) the sum
 *   Σ over b, then oh, then ow (ascending) of x[b, oh·sh + kh − padTop, ow·sw + kw − padLeft, ci] · dy[b, oh, ow, co]
 * (terms whose x index is outside the input are skipped) accumulated in IEEE double from 0 and
 * rounded to float32 once at the end. Part of the wasm compute profile since @um/engine 0.1.0.
 */
export function registerWasmTrainingKernels(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
      if (dataFormat !== 'NHWC')
        throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const wasm = backend as unknown as {
        readSync(id: tf.DataId): Float32Array;
        makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
        typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
      };
      const xs = wasm.readSync(x.dataId);
      const dys = wasm.readSync(dy.dataId);
      const {
        batchSize,
        inHeight,
        inWidth,
        inChannels,
        outHeight,
        outWidth,
        outChannels,
        filterHeight,
        filterWidth,
        strideHeight,
        strideWidth,
      } = info;
      const top = info.padInfo.top;
      const left = info.padInfo.left;
      const out = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
      for (let kh = 0; kh < filterHeight; kh++) {
        for (let kw = 0; kw < filterWidth; kw++) {
          for (let ci = 0; ci < inChannels; ci++) {
            for (let co = 0; co < outChannels; co++) {
              let sum = 0;
              for (let b = 0; b < batchSize; b++) {
                for (let oh = 0; oh < outHeight; oh++) {
                  const ih = oh * strideHeight + kh - top;
                  if (ih < 0 || ih >= inHeight) continue;
                  for (let ow = 0; ow < outWidth; ow++) {
                    const iw = ow * strideWidth + kw - left;
                    if (iw < 0 || iw >= inWidth) continue;
                    sum +=
                      xs[((b * inHeight + ih) * inWidth + iw) * inChannels + ci]! *
                      dys[((b * outHeight + oh) * outWidth + ow) * outChannels + co]!;
                  }
                }
              }
              out[((kh * filterWidth + kw) * inChannels + ci) * outChannels + co] = sum;
            }
          }
        }
      }
      const result = wasm.makeOutput([...filterShape], 'float32');
      wasm.typedArrayFromHeap(result).set(out);
      return result;
    },
  });
}
