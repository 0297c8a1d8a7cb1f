// MLflow: one metric file of a file store (`<ms-timestamp> <value> <step>` lines), and a run, experiment or mlruns store folder.

import type { FolderFormat, Format } from '../../format.js';
import { looksLikeMetricFile, metricKeyOf, MetricLineParser } from './metric-file.js';
import { isMlflowFolder, readMlflowFolder } from './store.js';

export const mlflowMetric: Format = {
  id: 'mlflow',
  // `<ms-timestamp> <value> <step>` lines: space-separated, so CSV would not claim them, but they must come before it
  matches: (head) => !head.binary && looksLikeMetricFile(head.lines),
  lines: (head) => new MetricLineParser(metricKeyOf(head.name)),
  trainerLog: true,
};

export const mlflowFolder: FolderFormat = {
  id: 'mlflow',
  lookedFor: 'an MLflow run (meta.yaml and metrics/), experiment or mlruns store',
  matches: isMlflowFolder,
  read: (dir) => readMlflowFolder(dir),
  trainerLog: true,
};
