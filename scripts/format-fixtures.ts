// The file-format fixtures (TensorBoard, MLflow, Lightning) as data: make-format-fixtures.ts writes them, tests check reads against them.

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
const ALL = (): FixtureFile[] => [...tensorboardFixtures(), ...mlflowFixtures(), ...lightningFixtures()];
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

// MLflow file store: mlruns/<experiment>/<run>/{meta.yaml, metrics/<key>}, keys with a slash as nested folders.
export const MLFLOW_OLD_RUN = '3f2a9d0c41e84b7a9e1f5c2b6d7a8e90';
export const MLFLOW_NEW_RUN = '9c1b7e2f0a4d4c3b8e5f6a7b8c9d0e1f';
export const MLFLOW_OLD_EPOCHS = range(0, 19, 1);
export const MLFLOW_NEW_STEPS = range(0, 900, 20);
const MS = 1000;

const metricLines = (steps: number[], value: (step: number) => number, t0: number) =>
  steps.map((step, i) => `${t0 + 1000 * i} ${value(step)} ${step}\n`).join('');

function runMeta(id: string, name: string, start: number, end: number): string {
  return [`artifact_uri: file:///tmp/mlruns/1/${id}/artifacts`, `end_time: ${end}`, 'entry_point_name: \'\'', 'experiment_id: \'1\'',
    'lifecycle_stage: active', `run_id: ${id}`, `run_name: ${name}`, `run_uuid: ${id}`, 'source_type: 4', `start_time: ${start}`,
    'status: 3', 'tags: []', 'user_id: fixture', ''].join('\n');
}

function mlflowFixtures(): FixtureFile[] {
  const oldStart = WALL_START * MS;
  const newStart = (WALL_START + 10_000) * MS;
  const file = (path: string, text: string) => ({ path: `mlflow/mlruns/${path}`, bytes: Buffer.from(text) });
  const old = (path: string) => `1/${MLFLOW_OLD_RUN}/${path}`;
  const recent = (path: string) => `1/${MLFLOW_NEW_RUN}/${path}`;
  return [
    file('0/meta.yaml', 'artifact_location: file:///tmp/mlruns/0\nexperiment_id: \'0\'\nlifecycle_stage: active\nname: Default\n'),
    file('1/meta.yaml', 'artifact_location: file:///tmp/mlruns/1\nexperiment_id: \'1\'\nlifecycle_stage: active\nname: fixture experiment\n'),
    // Keras autologging: loss and val_loss per epoch
    file(old('meta.yaml'), runMeta(MLFLOW_OLD_RUN, 'keras-autolog', oldStart, oldStart + 600 * MS)),
    file(old('metrics/loss'), metricLines(MLFLOW_OLD_EPOCHS, (e) => trainLossAt(e * 40), oldStart)),
    file(old('metrics/val_loss'), metricLines(MLFLOW_OLD_EPOCHS, (e) => valLossAt(e * 40), oldStart)),
    // a later run logging nested keys per global step, as the Hugging Face MLflow callback does
    file(recent('meta.yaml'), runMeta(MLFLOW_NEW_RUN, 'hf-nested-keys', newStart, newStart + 900 * MS)),
    file(recent('metrics/train/loss'), metricLines(MLFLOW_NEW_STEPS, trainLossAt, newStart)),
    file(recent('metrics/eval/loss'), metricLines(MLFLOW_NEW_STEPS.filter((s) => s % 100 === 0), valLossAt, newStart)),
    file(recent('metrics/learning_rate'), metricLines(MLFLOW_NEW_STEPS, lrAt, newStart)),
  ];
}

// PyTorch Lightning CSVLogger: sparse rows (step rows, epoch rows), alphabetical header; the highest version is the latest.
export const LIGHTNING_STEPS_PER_EPOCH = 10;
export const LIGHTNING_EPOCHS = 12;

function lightningCsv(shift: number): string {
  const rows = ['epoch,lr-AdamW,step,train_loss_epoch,train_loss_step,val_loss'];
  for (let epoch = 0; epoch < LIGHTNING_EPOCHS; epoch++) {
    for (let i = 0; i < LIGHTNING_STEPS_PER_EPOCH; i++) {
      const step = epoch * LIGHTNING_STEPS_PER_EPOCH + i;
      rows.push(`,${lrAt(step)},${step},,,`);
      rows.push(`${epoch},,${step},,${trainLossAt(step * 5) + shift},`);
    }
    const last = (epoch + 1) * LIGHTNING_STEPS_PER_EPOCH - 1;
    rows.push(`${epoch},,${last},,,${valLossAt(last * 5) + shift}`);
    rows.push(`${epoch},,${last},${trainLossAt(last * 5) + shift},,`);
  }
  return rows.join('\n') + '\n';
}

/** Version 1 is shifted so a test can tell which version was read. */
export const LIGHTNING_VERSION_SHIFT = [0, 0.25];

function lightningFixtures(): FixtureFile[] {
  const file = (path: string, text: string) => ({ path: `lightning/lightning_logs/${path}`, bytes: Buffer.from(text) });
  return [
    file('version_0/hparams.yaml', 'lr: 0.0003\nbatch_size: 32\n'),
    file('version_0/metrics.csv', lightningCsv(LIGHTNING_VERSION_SHIFT[0])),
    file('version_1/hparams.yaml', 'lr: 0.0003\nbatch_size: 64\n'),
    file('version_1/metrics.csv', lightningCsv(LIGHTNING_VERSION_SHIFT[1])),
    // a run that crashed before logging anything
    file('version_2/hparams.yaml', 'lr: 0.003\nbatch_size: 64\n'),
  ];
}
