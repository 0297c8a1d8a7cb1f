// The file-format fixtures (TensorBoard for now) as data: make-format-fixtures.ts writes them, tests check reads against them.

import { eventFile, type EventSpec } from './tfevents-writer.js';

/** A fixture file: its path under fixtures/formats/ and its bytes. */
export interface FixtureFile {
  path: string;
  bytes: Buffer;
}

// Smooth, deterministic curves: a decaying train loss with a little wiggle, and a validation loss that turns up late.
export const trainLossAt = (step: number) => 2.4 * Math.exp(-step / 250) + 0.55 + 0.015 * Math.sin(step * 0.37);
export const valLossAt = (step: number) => 2.3 * Math.exp(-step / 250) + 0.62 + (step > 400 ? 0.0006 * (step - 400) : 0);
export const lrAt = (step: number) => 3e-4 * (1 - step / 1000);
export const range = (from: number, to: number, by: number) => Array.from({ length: Math.floor((to - from) / by) + 1 }, (_, i) => from + i * by);

const WALL_START = 1_700_000_000; // seconds, as TensorBoard writes wall_time
const ALL = (): FixtureFile[] => [...tensorboardFixtures()];
export { ALL as allFormatFixtures };

// PyTorch SummaryWriter (as the Hugging Face Trainer drives it): one event per scalar, simple_value, plus a text summary.
export const PYTORCH_STEPS = range(10, 600, 10);
export const PYTORCH_EVAL_STEPS = range(100, 600, 100);

function pytorchEvents(): EventSpec[] {
  const events: EventSpec[] = [{ wallTime: WALL_START + 1, values: [{ tag: 'args/text_summary', text: '{"learning_rate": 0.0003}' }], unknownFields: true }];
  for (const step of PYTORCH_STEPS) {
    const wallTime = WALL_START + step;
    events.push({ wallTime, step, values: [{ tag: 'train/loss', simple: trainLossAt(step) }] });
    events.push({ wallTime, step, values: [{ tag: 'train/learning_rate', simple: lrAt(step) }] });
    if (PYTORCH_EVAL_STEPS.includes(step)) events.push({ wallTime, step, values: [{ tag: 'eval/loss', simple: valLossAt(step) }] });
  }
  return events;
}

// TF2 Keras: scalars as one-element tensors (each encoding), with a histogram and a graph to skip.
export const TF2_EPOCHS = range(0, 19, 1);

function tf2Events(): EventSpec[] {
  const events: EventSpec[] = [{ wallTime: WALL_START, graphBytes: 5000 }];
  for (const epoch of TF2_EPOCHS) {
    const step = epoch * 50;
    events.push({
      wallTime: WALL_START + epoch,
      step: epoch,
      values: [
        { tag: 'epoch_loss', tensor: 'float-content', value: trainLossAt(step) },
        { tag: 'epoch_accuracy', tensor: 'float-val', value: 1 - trainLossAt(step) / 3 },
        { tag: 'epoch_learning_rate', tensor: 'double-val', value: lrAt(step) },
        { tag: 'epoch_val_ratio', tensor: 'double-content', value: valLossAt(step) / trainLossAt(step) },
        { tag: 'dense/kernel_0', floatVector: [0.1, 0.2, 0.3], plugin: 'histograms' },
      ],
    });
  }
  return events;
}

// Keras TensorBoard callback: train/ and validation/ sibling folders, each with epoch_loss; a profiler's header-only file beside.
export const KERAS_EPOCHS = range(0, 29, 1);

function kerasRun(split: 'train' | 'validation'): EventSpec[] {
  const loss = split === 'train' ? trainLossAt : valLossAt;
  return KERAS_EPOCHS.map((epoch) => ({ wallTime: WALL_START + 60 * epoch, step: epoch, values: [{ tag: 'epoch_loss', simple: loss(epoch * 25) }] }));
}

// A run restarted from a checkpoint into the same folder: the second file repeats steps 40-50 with other values.
export const RESTART_FIRST = range(1, 50, 1);
export const RESTART_SECOND = range(40, 80, 1);
export const RESTART_SHIFT = 0.01;

// A run that goes bad: finite, then NaN, then +Inf.
export const NAN_FROM_STEP = 31;
export const INF_AT_STEP = 35;

function nanEvents(): EventSpec[] {
  return range(1, 40, 1).map((step) => ({
    wallTime: WALL_START + step,
    step,
    values: [{ tag: 'train/loss', simple: step === INF_AT_STEP ? Infinity : step >= NAN_FROM_STEP ? NaN : trainLossAt(step * 10) }],
  }));
}

function tensorboardFixtures(): FixtureFile[] {
  const tb = (path: string, bytes: Buffer) => ({ path: `tensorboard/${path}`, bytes });
  return [
    tb('pytorch-simple-value.tfevents', eventFile(pytorchEvents())),
    tb('tf2-tensor-scalars.tfevents', eventFile(tf2Events())),
    tb('nan-loss.tfevents', eventFile(nanEvents())),
    tb('header-only.tfevents', eventFile([], WALL_START)),
    tb('keras-run/train/events.out.tfevents.1700000000.host.1.v2', eventFile(kerasRun('train'))),
    tb('keras-run/train/events.out.tfevents.1700000000.host.profile-empty', eventFile([], WALL_START)),
    tb('keras-run/validation/events.out.tfevents.1700000000.host.2.v2', eventFile(kerasRun('validation'))),
    tb('restarted-run/events.out.tfevents.1700000000.host.0', eventFile(
      RESTART_FIRST.map((step) => ({ wallTime: WALL_START + step, step, values: [{ tag: 'loss', simple: trainLossAt(step * 10) }] })))),
    tb('restarted-run/events.out.tfevents.1700000900.host.0', eventFile(
      RESTART_SECOND.map((step) => ({ wallTime: WALL_START + 900 + step, step, values: [{ tag: 'loss', simple: trainLossAt(step * 10) + RESTART_SHIFT }] })))),
  ];
}
