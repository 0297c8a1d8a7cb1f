// The helper thread's entry: registers every task runner (the readers', the profile's, the statistics') with parallel/, then serves tasks.

import { registerTask } from './parallel/tasks.js';
import { serveTasks } from './parallel/serve.js';
import { runPasses, type PassesTask } from './detect/profile-passes.js';
import type { QuantileTask } from './detect/profile.js';
import { readSharedRows, type RowsTask } from './read/engine/shared-rows.js';
import { quantile } from './stats/robust.js';
import type { MediansTask } from './stats/rolling.js';
import { windowMedians } from './stats/window-medians.js';

registerTask<RowsTask>('rows', readSharedRows);
registerTask<MediansTask>('medians', (task) => windowMedians(task.values, task.w, task.out, task.at));
registerTask<PassesTask>('passes', (task) => runPasses(task));
registerTask<QuantileTask>('quantile', (task) => { task.result[0] = quantile(task.values, task.q); });
serveTasks();
