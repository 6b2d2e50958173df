/**
 * The trainer's optimizer: tfjs's Adam with a settable learning rate (for the schedule) and, where the
 * backend has them (WebGPU), fused update kernels. Its state and checkpoints are tfjs's Adam's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, type Tensor } from '@tensorflow/tfjs-core';
import { ADAM_MOMENT, ADAM_UPDATE, type AdamMomentAttrs, type AdamUpdateAttrs } from './backends/webgpu-adam-kernels';

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type Slot = { originalName: string; variable: tf.Variable };
/** tfjs's private Adam state, which the fused path updates exactly as the composed one does. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
}

export class TrainingAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999, 1e-7);
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  /** True when the current backend runs the fused update. */
  get fused(): boolean {
    return getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
  }

  override applyGradients(variableGradients: Gradients): void {
    if (!this.fused) return super.applyGradients(variableGradients);
    const state = this as unknown as AdamState;
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    // Bias corrections 1 - beta^t from the host's step count (tfjs keeps beta^t on the device, which
    // would need a read). Same float32 betas as tfjs; the power in float64, where tfjs's float32
    // products lose ~1e-5 (relative) of 1 - 0.999^t to cancellation.
    const t = this.iterations + 1;
    const correction = (beta: number) => 1 - Math.fround(beta) ** t;
    const update: AdamUpdateAttrs = { learningRate: this.learningRate, c1: correction(this.beta1), c2: correction(this.beta2), epsilon: this.epsilon };
    const engine = tf.engine();
    list.forEach(({ name, tensor: grad }, i) => {
      const param = engine.registeredVariables[name];
      const zeros = (suffix: string): Slot => ({ originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(param).variable(false)) });
      state.accumulatedFirstMoment[i] ??= zeros('m');
      state.accumulatedSecondMoment[i] ??= zeros('v');
      if (grad == null) return;
      const m1 = state.accumulatedFirstMoment[i].variable;
      const m2 = state.accumulatedSecondMoment[i].variable;
      tf.tidy(() => {
        const run = (kernel: string, inputs: Record<string, Tensor>, attrs: object) =>
          engine.runKernel(kernel, inputs, attrs as unknown as tf.NamedAttrMap) as Tensor;
        const m = run(ADAM_MOMENT, { moment: m1, grad }, { decay: this.beta1, power: 1 } satisfies AdamMomentAttrs);
        const v = run(ADAM_MOMENT, { moment: m2, grad }, { decay: this.beta2, power: 2 } satisfies AdamMomentAttrs);
        m1.assign(m);
        m2.assign(v);
        param.assign(run(ADAM_UPDATE, { param, m, v }, update));
      });
    });
    tf.tidy(() => {
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}
