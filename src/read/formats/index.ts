// The formats losscurve reads, in the order they are tried: the one place that order is decided (each format says from a head, or a folder's listing, whether the input is its own).

import type { FolderFormat, Format } from '../format.js';
import { csv } from './csv.js';
import { hfTrainerState } from './hf-trainer-state.js';
import { jsonl } from './jsonl.js';
import { kerasCsv } from './keras-csv.js';
import { kerasHistory } from './keras-history.js';
import { lightning } from './lightning.js';
import { llamaFactoryLog } from './llamafactory.js';
import { mlflowFolder, mlflowMetric } from './mlflow/index.js';
import { tensorboard, tensorboardFolder } from './tensorboard/index.js';
import { text } from './text/index.js';
import { wandbChart, wandbRunsTable } from './wandb-export.js';
import { wandbHistory } from './wandb-history.js';

// Binary formats first (their framing is checked), then each trainer's flavour before the general format it is
// written in: a one-line JSON document also looks like JSONL, and a W&B or Keras export is CSV with a particular header.
// Training stdout is the most general of all and comes last.
export const FORMATS: readonly Format[] = [
  tensorboard,
  hfTrainerState, kerasHistory,
  llamaFactoryLog, wandbHistory, jsonl,
  mlflowMetric,
  wandbChart, wandbRunsTable, kerasCsv, csv,
  text,
];

// Order matters: lightning_logs/version_N folders hold event files one level down, which TensorBoard would also claim.
export const FOLDER_FORMATS: readonly FolderFormat[] = [lightning, mlflowFolder, tensorboardFolder];
