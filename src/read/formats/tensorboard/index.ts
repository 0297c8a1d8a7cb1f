// TensorBoard: an event file, known by its TFRecord framing, and a folder holding event files (a run, or one split per sub-folder).

import type { FolderFormat, Format } from '../../format.js';
import { findEventFiles, readTensorBoardFolder } from './directory.js';
import { readEventFile } from './event-file.js';
import { startsWithTfRecord } from './tfrecord.js';

export const tensorboard: Format = {
  id: 'tensorboard',
  // TFRecord framing whose first length CRC verifies: binary, and never by chance
  matches: (head) => startsWithTfRecord(head.bytes),
  read: (source) => readEventFile(source),
  trainerLog: true,
};

export const tensorboardFolder: FolderFormat = {
  id: 'tensorboard',
  lookedFor: 'TensorBoard event files in it or one folder down',
  matches: (dir) => findEventFiles(dir).length > 0,
  read: (dir) => readTensorBoardFolder(dir),
  trainerLog: true,
};
