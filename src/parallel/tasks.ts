// What the worker can be asked to do: a registry of task runners by kind, filled by whoever defines a task (src/worker.ts), so parallel/ knows no reader and no detector.

/** A task is a plain object (it crosses to the worker by structured clone) whose `kind` names its runner. */
export interface Task {
  kind: string;
}

type Runner = (task: never) => void;

const runners = new Map<string, Runner>();

/** Makes `run` the runner of tasks of this kind, in the thread that calls it (the worker's entry registers every kind). */
export function registerTask<T extends Task>(kind: T['kind'], run: (task: T) => void): void {
  runners.set(kind, run as Runner);
}

/** Runs a task by its registered runner; a kind nobody registered throws, so the main thread does the task itself. */
export function runTask(task: Task): void {
  const run = runners.get(task.kind) as ((task: Task) => void) | undefined;
  if (!run) throw new Error(`no runner registered for helper task ${task.kind}`);
  run(task);
}
